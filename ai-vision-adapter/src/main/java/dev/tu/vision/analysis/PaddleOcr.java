package dev.tu.vision.analysis;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tu.contracts.ImageAnalyzed.Box;
import dev.tu.contracts.ImageAnalyzed.Finding;
import dev.tu.vision.models.ModelCatalog;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * PP-OCRv4: the detection model's probability map is binarised (0.3), its connected regions become
 * boxes (kept when their mean probability is at least 0.6, then grown by the DB unclip ratio 1.5), and
 * each box is cropped from the photo, turned the right way up when the direction classifier is sure it
 * is upside down (180°, probability above 0.9, as PaddleOCR's {@code use_angle_cls}), and read by the
 * recognition model with greedy CTC decoding over the 6623-entry dictionary. Boxes are axis-aligned;
 * rotated text is read as its bounding box.
 */
final class PaddleOcr {

    private static final int MAX_SIDE = 960;
    private static final double BINARY_THRESHOLD = 0.3;
    private static final double BOX_THRESHOLD = 0.6;
    private static final double UNCLIP_RATIO = 1.5;
    private static final int REC_HEIGHT = 48;
    private static final int REC_MIN_WIDTH = 320;
    private static final int REC_MAX_WIDTH = 1280;
    private static final double MIN_TEXT_CONFIDENCE = 0.5;
    private static final int CLS_WIDTH = 192;
    private static final double UPSIDE_DOWN_THRESHOLD = 0.9;
    private static final float[] DET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] DET_STD = {0.229f, 0.224f, 0.225f};

    private final ModelCatalog catalog;
    private final List<String> dictionary;

    PaddleOcr(ModelCatalog catalog) {
        this.catalog = catalog;
        // Loaded now rather than on the first photo, so the start-up probe covers model loading.
        List.of("ppocr-v4-det", "ppocr-mobile-v2-cls", "ppocr-v4-rec").forEach(catalog::session);
        try {
            this.dictionary = Files.readAllLines(catalog.model("ppocr-v4-rec").path().resolveSibling("ppocr_keys_v1.txt"),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the OCR dictionary", e);
        }
    }

    /** A region the detector found, in photo pixels. */
    record Region(int x, int y, int width, int height, double score) {
    }

    List<Finding> read(BufferedImage photo) {
        List<Finding> texts = new ArrayList<>();
        for (Region region : detect(photo)) {
            BufferedImage crop = photo.getSubimage(region.x(), region.y(), region.width(), region.height());
            Recognised text = recognise(isUpsideDown(crop) ? rotate180(crop) : crop);
            if (!text.text().isBlank() && text.confidence() >= MIN_TEXT_CONFIDENCE) {
                texts.add(new Finding(text.text(), Math.round(text.confidence() * 1000) / 1000.0,
                        new Box(region.x(), region.y(), region.width(), region.height())));
            }
        }
        return texts;
    }

    /** Text regions, top to bottom then left to right. */
    List<Region> detect(BufferedImage photo) {
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(photo.getWidth(), photo.getHeight()));
        int w = Math.max(32, (int) Math.round(photo.getWidth() * scale / 32.0) * 32);
        int h = Math.max(32, (int) Math.round(photo.getHeight() * scale / 32.0) * 32);
        float[] map = run("ppocr-v4-det", detectionInput(resize(photo, w, h)), new long[] {1, 3, h, w});
        double sx = (double) photo.getWidth() / w;
        double sy = (double) photo.getHeight() / h;

        boolean[] seen = new boolean[w * h];
        List<Region> regions = new ArrayList<>();
        for (int start = 0; start < w * h; start++) {
            if (seen[start] || map[start] <= BINARY_THRESHOLD) {
                continue;
            }
            // Flood-fill one connected region of the binarised map.
            int minX = w;
            int minY = h;
            int maxX = -1;
            int maxY = -1;
            double sum = 0;
            int count = 0;
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            queue.add(start);
            seen[start] = true;
            while (!queue.isEmpty()) {
                int p = queue.poll();
                int px = p % w;
                int py = p / w;
                minX = Math.min(minX, px);
                maxX = Math.max(maxX, px);
                minY = Math.min(minY, py);
                maxY = Math.max(maxY, py);
                sum += map[p];
                count++;
                int[] neighbours = {px > 0 ? p - 1 : -1, px < w - 1 ? p + 1 : -1, py > 0 ? p - w : -1,
                        py < h - 1 ? p + w : -1};
                for (int n : neighbours) {
                    if (n >= 0 && !seen[n] && map[n] > BINARY_THRESHOLD) {
                        seen[n] = true;
                        queue.add(n);
                    }
                }
            }
            int bw = maxX - minX + 1;
            int bh = maxY - minY + 1;
            if (Math.min(bw, bh) < 3 || sum / count < BOX_THRESHOLD) {
                continue;
            }
            // DB "unclip": grow the shrunk text kernel back to the text's extent.
            double offset = (double) bw * bh * UNCLIP_RATIO / (2.0 * (bw + bh));
            int x1 = clamp((int) Math.floor((minX - offset) * sx), photo.getWidth() - 1);
            int y1 = clamp((int) Math.floor((minY - offset) * sy), photo.getHeight() - 1);
            int x2 = clamp((int) Math.ceil((maxX + 1 + offset) * sx), photo.getWidth());
            int y2 = clamp((int) Math.ceil((maxY + 1 + offset) * sy), photo.getHeight());
            if (x2 - x1 >= 3 && y2 - y1 >= 3) {
                regions.add(new Region(x1, y1, x2 - x1, y2 - y1, sum / count));
            }
        }
        regions.sort(Comparator.comparingInt((Region r) -> r.y() / 10).thenComparingInt(Region::x));
        return regions;
    }

    /** The direction classifier: {@code [p(0°), p(180°)]} for one text crop. */
    boolean isUpsideDown(BufferedImage crop) {
        int width = Math.min(CLS_WIDTH, (int) Math.ceil(REC_HEIGHT * (double) crop.getWidth() / crop.getHeight()));
        float[] input = symmetricInput(resize(crop, Math.max(1, width), REC_HEIGHT), CLS_WIDTH);
        float[] probabilities = run("ppocr-mobile-v2-cls", input, new long[] {1, 3, REC_HEIGHT, CLS_WIDTH});
        return probabilities[1] > UPSIDE_DOWN_THRESHOLD;
    }

    private static BufferedImage rotate180(BufferedImage crop) {
        int w = crop.getWidth();
        int h = crop.getHeight();
        BufferedImage turned = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                turned.setRGB(w - 1 - x, h - 1 - y, crop.getRGB(x, y));
            }
        }
        return turned;
    }

    /** What the recogniser read in one crop. */
    record Recognised(String text, double confidence) {
    }

    Recognised recognise(BufferedImage crop) {
        int width = (int) Math.ceil(REC_HEIGHT * (double) crop.getWidth() / crop.getHeight());
        int padded = Math.min(REC_MAX_WIDTH, Math.max(REC_MIN_WIDTH, (width + 7) / 8 * 8));
        int drawn = Math.min(width, padded);
        float[] input = symmetricInput(resize(crop, drawn, REC_HEIGHT), padded);
        float[] probabilities = run("ppocr-v4-rec", input, new long[] {1, 3, REC_HEIGHT, padded});
        int classes = dictionary.size() + 2;
        int steps = probabilities.length / classes;
        StringBuilder text = new StringBuilder();
        double confidence = 0;
        int kept = 0;
        int previous = 0;
        for (int t = 0; t < steps; t++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (probabilities[t * classes + c] > probabilities[t * classes + best]) {
                    best = c;
                }
            }
            if (best != 0 && best != previous) {
                text.append(best == classes - 1 ? " " : dictionary.get(best - 1));
                confidence += probabilities[t * classes + best];
                kept++;
            }
            previous = best;
        }
        return new Recognised(text.toString().strip(), kept == 0 ? 0 : confidence / kept);
    }

    private float[] run(String model, float[] input, long[] shape) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(catalog.environment(), FloatBuffer.wrap(input), shape);
                OrtSession.Result result = catalog.session(model).run(Map.of("x", tensor))) {
            FloatBuffer output = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[output.remaining()];
            output.get(values);
            return values;
        } catch (OrtException e) {
            throw new IllegalStateException(model + " inference failed", e);
        }
    }

    /**
     * NCHW in B, G, R order scaled to [-1, 1], {@code padded} wide: the right padding stays 0, as PaddleOCR
     * pads after normalising (recognition and direction classifier alike).
     */
    private static float[] symmetricInput(BufferedImage image, int padded) {
        int h = image.getHeight();
        int plane = h * padded;
        float[] input = new float[3 * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int i = y * padded + x;
                input[i] = ((rgb & 0xFF) / 255f - 0.5f) / 0.5f;
                input[plane + i] = (((rgb >> 8) & 0xFF) / 255f - 0.5f) / 0.5f;
                input[2 * plane + i] = (((rgb >> 16) & 0xFF) / 255f - 0.5f) / 0.5f;
            }
        }
        return input;
    }

    /** NCHW in B, G, R order with ImageNet mean/std, as PaddleOCR feeds its OpenCV (BGR) images. */
    private static float[] detectionInput(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        float[] input = new float[3 * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int i = y * w + x;
                input[i] = ((rgb & 0xFF) / 255f - DET_MEAN[0]) / DET_STD[0];
                input[plane + i] = (((rgb >> 8) & 0xFF) / 255f - DET_MEAN[1]) / DET_STD[1];
                input[2 * plane + i] = (((rgb >> 16) & 0xFF) / 255f - DET_MEAN[2]) / DET_STD[2];
            }
        }
        return input;
    }

    private static BufferedImage resize(BufferedImage image, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static int clamp(int value, int max) {
        return Math.max(0, Math.min(max, value));
    }
}
