package dev.tu.vision.analysis;

import com.drew.lang.GeoLocation;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import dev.tu.contracts.ImageAnalyzed.Finding;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * EXIF facts as findings: {@code captured:<ISO time>}, {@code camera:<make model>},
 * {@code gps:<lat>,<lon>}, {@code orientation:<n>} (already applied before the models ran).
 */
@Component
@Order(2)
class ExifAnalyzer implements Analyzer {

    @Override
    public String name() {
        return "exif";
    }

    @Override
    public List<Finding> analyze(DecodedImage image) {
        List<Finding> facts = new ArrayList<>();
        ExifSubIFDDirectory exif = image.metadata().getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        if (exif != null && exif.getDateOriginal() != null) {
            facts.add(fact("captured:" + exif.getDateOriginal().toInstant()));
        }
        ExifIFD0Directory ifd0 = image.metadata().getFirstDirectoryOfType(ExifIFD0Directory.class);
        if (ifd0 != null) {
            String make = ifd0.getString(ExifIFD0Directory.TAG_MAKE);
            String model = ifd0.getString(ExifIFD0Directory.TAG_MODEL);
            if (make != null || model != null) {
                facts.add(fact(("camera:" + (make == null ? "" : make.strip()) + " "
                        + (model == null ? "" : model.strip())).strip()));
            }
            if (ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                facts.add(fact("orientation:" + ifd0.getString(ExifIFD0Directory.TAG_ORIENTATION)));
            }
        }
        GpsDirectory gps = image.metadata().getFirstDirectoryOfType(GpsDirectory.class);
        GeoLocation location = gps == null ? null : gps.getGeoLocation();
        if (location != null && !location.isZero()) {
            facts.add(fact("gps:" + location.getLatitude() + "," + location.getLongitude()));
        }
        return facts;
    }

    private static Finding fact(String label) {
        return new Finding(label, 1.0, null);
    }
}
