package dev.tu.vision.analysis;

import dev.tu.contracts.ImageAnalyzed.Finding;
import dev.tu.vision.models.ModelCatalog;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** {@code text}: what PP-OCRv4 reads on signs, plates and hour meters, with confidence and box. */
@Component
@Order(4)
class TextAnalyzer implements Analyzer {

    private final ModelCatalog catalog;
    private final PaddleOcr ocr;

    TextAnalyzer(ModelCatalog catalog) {
        this.catalog = catalog;
        this.ocr = new PaddleOcr(catalog);
    }

    @Override
    public String name() {
        return "text";
    }

    @Override
    public String model() {
        return catalog.model("ppocr-v4-det").nameAndVersion() + " + " + catalog.model("ppocr-mobile-v2-cls").nameAndVersion()
                + " + " + catalog.model("ppocr-v4-rec").nameAndVersion();
    }

    @Override
    public String modelSha256() {
        return catalog.model("ppocr-v4-rec").sha256();
    }

    @Override
    public List<Finding> analyze(DecodedImage image) {
        return ocr.read(image.pixels());
    }
}
