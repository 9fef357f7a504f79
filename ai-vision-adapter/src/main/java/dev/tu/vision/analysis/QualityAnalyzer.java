package dev.tu.vision.analysis;

import dev.tu.contracts.ImageAnalyzed.Finding;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Is the photo usable? Rule-based, no model: too small, blurred (variance of the Laplacian of a
 * grey downscale), under- or over-exposed (share of near-black / near-white pixels). Findings are the
 * scores (label {@code blur}, {@code dark}, {@code bright}, confidence = score 0..1) and a verdict
 * {@code usable} or {@code unusable:<reasons>}.
 */
@Component
@Order(0)
class QualityAnalyzer implements Analyzer {

    static final int MIN_SIDE = 320;
    /** Below this Laplacian variance (on a 512 px grey image) a photo is blurred beyond reading plates. */
    static final double BLUR_VARIANCE_THRESHOLD = 60.0;
    static final double CLIPPED_SHARE_THRESHOLD = 0.75;

    @Override
    public String name() {
        return "quality";
    }

    @Override
    public List<Finding> analyze(DecodedImage image) {
        double[][] grey = greyDownscale(image.pixels(), 512);
        double sharpness = laplacianVariance(grey);
        double dark = share(grey, value -> value < 20);
        double bright = share(grey, value -> value > 235);

        List<String> problems = new ArrayList<>();
        if (Math.min(image.width(), image.height()) < MIN_SIDE) {
            problems.add("too-small");
        }
        if (sharpness < BLUR_VARIANCE_THRESHOLD) {
            problems.add("blurred");
        }
        if (dark > CLIPPED_SHARE_THRESHOLD) {
            problems.add("underexposed");
        }
        if (bright > CLIPPED_SHARE_THRESHOLD) {
            problems.add("overexposed");
        }
        String verdict = problems.isEmpty() ? "usable" : "unusable:" + String.join(",", problems);
        // Blur score: 1 = sharp, 0 = no detail at all.
        double blurScore = Math.min(1.0, sharpness / (4 * BLUR_VARIANCE_THRESHOLD));
        return List.of(
                new Finding(verdict, 1.0, null),
                new Finding("sharpness", round(blurScore), null),
                new Finding("dark", round(dark), null),
                new Finding("bright", round(bright), null));
    }

    private static double[][] greyDownscale(BufferedImage image, int longSide) {
        double scale = Math.min(1.0, (double) longSide / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        double[][] grey = new double[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(Math.min(image.getWidth() - 1, (int) (x / scale)),
                        Math.min(image.getHeight() - 1, (int) (y / scale)));
                grey[y][x] = 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
            }
        }
        return grey;
    }

    static double laplacianVariance(double[][] grey) {
        int h = grey.length;
        int w = grey[0].length;
        if (h < 3 || w < 3) {
            return 0;
        }
        double sum = 0;
        double sumSquares = 0;
        long n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                double lap = grey[y - 1][x] + grey[y + 1][x] + grey[y][x - 1] + grey[y][x + 1] - 4 * grey[y][x];
                sum += lap;
                sumSquares += lap * lap;
                n++;
            }
        }
        double mean = sum / n;
        return sumSquares / n - mean * mean;
    }

    private static double share(double[][] grey, java.util.function.DoublePredicate test) {
        long hits = 0;
        long all = 0;
        for (double[] row : grey) {
            for (double value : row) {
                all++;
                if (test.test(value)) {
                    hits++;
                }
            }
        }
        return (double) hits / all;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
