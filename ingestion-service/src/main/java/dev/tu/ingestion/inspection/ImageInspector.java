package dev.tu.ingestion.inspection;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.lang.GeoLocation;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Decides whether bytes are an image we accept, without decoding a pixel. Order matters: cheap checks
 * first, and nothing reaches an image decoder before its dimensions are known to be within limits.
 */
@Component
public class ImageInspector {

    private static final Logger log = LoggerFactory.getLogger(ImageInspector.class);
    /** Path separators, control characters and characters that are unsafe in file systems or headers. */
    private static final Pattern UNSAFE_NAME = Pattern.compile("[\\p{Cntrl}/\\\\<>:\"|?*\\u2028\\u2029]");
    private static final String OCTET_STREAM = "application/octet-stream";

    private final InspectionProperties limits;

    public ImageInspector(InspectionProperties limits) {
        this.limits = limits;
        ImageIO.setUseCache(false);
    }

    /**
     * Inspects an upload.
     *
     * @param bytes        the whole file
     * @param declaredType the client's Content-Type for the part, may be null
     * @param fileName     the client's file name, may be null
     * @throws ImageRejectedException with a 4xx status and a stable code when the upload is refused
     */
    public Inspection inspect(byte[] bytes, String declaredType, String fileName) {
        String name = safeName(fileName);
        if (bytes.length == 0) {
            throw new ImageRejectedException(HttpStatus.BAD_REQUEST, "EMPTY_FILE", "The file is empty.");
        }
        if (bytes.length > limits.maxFileSize().toBytes()) {
            throw tooLarge();
        }
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new ImageRejectedException(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "NOT_AN_IMAGE",
                "The file is not a JPEG or PNG image (checked by its content, not its name or type)."));
        if (declaredType != null && !declaredType.isBlank() && !declaredType.startsWith(OCTET_STREAM)
                && !format.matchesDeclared(declaredType)) {
            throw new ImageRejectedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "CONTENT_TYPE_MISMATCH",
                    "The file was declared as " + declaredType + " but its content is " + format.mediaType() + ".");
        }
        Dimensions dimensions = readDimensions(bytes, format);
        if (dimensions.width() > limits.maxDimension() || dimensions.height() > limits.maxDimension()
                || (long) dimensions.width() * dimensions.height() > limits.maxPixels()) {
            throw new ImageRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "DIMENSIONS_TOO_LARGE",
                    "The image is " + dimensions.width() + "×" + dimensions.height() + " pixels; at most "
                            + limits.maxDimension() + " per side and " + limits.maxPixels() + " in all are accepted.");
        }
        if (!format.isComplete(bytes)) {
            throw new ImageRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "TRUNCATED_IMAGE",
                    "The " + format.mediaType() + " file is cut off: it does not end where such a file ends.");
        }
        Metadata exif = readMetadata(bytes);
        return new Inspection(format, name, bytes.length, sha256(bytes), dimensions.width(), dimensions.height(),
                orientation(exif), capturedAt(exif), gps(exif));
    }

    /** The rejection for a body over the size limit, also used when the multipart parser refuses it. */
    public ImageRejectedException tooLarge() {
        return new ImageRejectedException(HttpStatus.CONTENT_TOO_LARGE, "FILE_TOO_LARGE",
                "The file is larger than " + limits.maxFileSize() + ".");
    }

    private String safeName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return "image";
        }
        String name = Normalizer.normalize(fileName.strip(), Normalizer.Form.NFC);
        if (name.length() > limits.maxNameLength() || UNSAFE_NAME.matcher(name).find() || name.contains("..")
                || name.startsWith(".") || name.startsWith("-")) {
            throw new ImageRejectedException(HttpStatus.BAD_REQUEST, "UNSAFE_FILE_NAME",
                    "The file name must be a plain name of at most " + limits.maxNameLength()
                            + " characters, without path separators, control characters or <>:\"|?*.");
        }
        return name;
    }

    private record Dimensions(int width, int height) {
    }

    /** Width and height from the header only: the reader is asked for nothing that decodes pixels. */
    private static Dimensions readDimensions(byte[] bytes, ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new IllegalStateException("No ImageIO reader for " + format);
        }
        ImageReader reader = readers.next();
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw corrupt(format, "it declares no size");
            }
            return new Dimensions(width, height);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageRejectedException rejected) {
                throw rejected;
            }
            throw corrupt(format, "its header cannot be read");
        } finally {
            reader.dispose();
        }
    }

    private static ImageRejectedException corrupt(ImageFormat format, String why) {
        return new ImageRejectedException(HttpStatus.UNPROCESSABLE_CONTENT, "CORRUPT_IMAGE",
                "The file starts like " + format.mediaType() + " but " + why + ".");
    }

    /** EXIF is optional: a photo whose metadata cannot be parsed is still a photo. */
    private static Metadata readMetadata(byte[] bytes) {
        try {
            return ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            log.debug("No readable metadata: {}", e.toString());
            return new Metadata();
        }
    }

    private static int orientation(Metadata metadata) {
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        try {
            if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int orientation = ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                return orientation >= 1 && orientation <= 8 ? orientation : 1;
            }
        } catch (MetadataException e) {
            log.debug("Unreadable orientation: {}", e.toString());
        }
        return 1;
    }

    /** DateTimeOriginal, with its offset when the camera wrote one, else read as UTC. */
    private static Instant capturedAt(Metadata metadata) {
        ExifSubIFDDirectory exif = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        java.util.Date date = exif == null ? null : exif.getDateOriginal();
        return date == null ? null : date.toInstant();
    }

    private static Inspection.GpsPosition gps(Metadata metadata) {
        GpsDirectory gps = metadata.getFirstDirectoryOfType(GpsDirectory.class);
        GeoLocation location = gps == null ? null : gps.getGeoLocation();
        if (location == null || location.isZero() || Math.abs(location.getLatitude()) > 90
                || Math.abs(location.getLongitude()) > 180) {
            return null;
        }
        return new Inspection.GpsPosition(location.getLatitude(), location.getLongitude());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
