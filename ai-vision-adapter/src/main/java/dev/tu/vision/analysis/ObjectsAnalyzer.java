package dev.tu.vision.analysis;

import dev.tu.contracts.ImageAnalyzed.Finding;
import dev.tu.vision.models.ModelCatalog;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** {@code objects}: NanoDet COCO-80 detections (truck, car, bus, person, …) with score and box. */
@Component
@Order(3)
class ObjectsAnalyzer implements Analyzer {

    private final NanoDet nanoDet;
    private final ModelCatalog catalog;

    ObjectsAnalyzer(ModelCatalog catalog) {
        this.catalog = catalog;
        this.nanoDet = new NanoDet(catalog, 0.35, 0.5);
    }

    @Override
    public String name() {
        return "objects";
    }

    @Override
    public String model() {
        return catalog.model("nanodet").nameAndVersion();
    }

    @Override
    public String modelSha256() {
        return catalog.model("nanodet").sha256();
    }

    @Override
    public List<Finding> analyze(DecodedImage image) {
        return nanoDet.detect(image.pixels());
    }
}
