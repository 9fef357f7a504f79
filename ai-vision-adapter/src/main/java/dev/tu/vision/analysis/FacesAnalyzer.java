package dev.tu.vision.analysis;

import dev.tu.contracts.ImageAnalyzed.Finding;
import dev.tu.vision.models.ModelCatalog;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * {@code faces}: BlazeFace boxes; the display derivative blurs them (privacy), nothing else uses them. It runs
 * right after the quality gate so the derivative can be written while the slower models run.
 */
@Component
@Order(1)
class FacesAnalyzer implements Analyzer {

    private final ModelCatalog catalog;
    private final BlazeFace blazeFace;

    FacesAnalyzer(ModelCatalog catalog) {
        this.catalog = catalog;
        this.blazeFace = new BlazeFace(catalog);
    }

    @Override
    public String name() {
        return "faces";
    }

    @Override
    public String model() {
        return catalog.model("blazeface-back-256").nameAndVersion();
    }

    @Override
    public String modelSha256() {
        return catalog.model("blazeface-back-256").sha256();
    }

    @Override
    public List<Finding> analyze(DecodedImage image) {
        return blazeFace.detect(image.pixels());
    }
}
