package dev.tu.vision.analysis;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tu.contracts.ImageAnalyzed.Box;
import dev.tu.contracts.ImageAnalyzed.Finding;
import dev.tu.vision.models.ModelCatalog;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * NanoDet-g 416 (COCO-80): letterbox to 416×416, BGR mean/std normalisation, then for each stride
 * (8, 16, 32) the class scores (sigmoid already applied) and the four side distances as an
 * expectation over 11 bins, decoded around the cell centre, filtered and NMS'd per class.
 */
final class NanoDet {

    static final int SIZE = 416;
    static final int[] STRIDES = {8, 16, 32};
    static final int BINS = 11;
    private static final double[] MEAN = {103.53, 116.28, 123.675};
    private static final double[] STD = {57.375, 57.12, 58.395};

    private final ModelCatalog catalog;
    private final double scoreThreshold;
    private final double iouThreshold;

    NanoDet(ModelCatalog catalog, double scoreThreshold, double iouThreshold) {
        this.catalog = catalog;
        // Loaded now rather than on the first photo, so the start-up probe covers model loading.
        catalog.session("nanodet");
        this.scoreThreshold = scoreThreshold;
        this.iouThreshold = iouThreshold;
    }

    /** One detection in model (416×416) coordinates. */
    record Detection(int classIndex, double score, double x1, double y1, double x2, double y2) {
    }

    /** Raw outputs by name, for the reference test. */
    Map<String, float[]> run(float[] nchw) {
        try (OnnxTensor input = OnnxTensor.createTensor(catalog.environment(), FloatBuffer.wrap(nchw),
                new long[] {1, 3, SIZE, SIZE});
                OrtSession.Result result = catalog.session("nanodet").run(Map.of("input", input))) {
            Map<String, float[]> outputs = new java.util.HashMap<>();
            for (var entry : result) {
                OnnxTensor tensor = (OnnxTensor) entry.getValue();
                FloatBuffer buffer = tensor.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                outputs.put(entry.getKey(), values);
            }
            return outputs;
        } catch (OrtException e) {
            throw new IllegalStateException("NanoDet inference failed", e);
        }
    }

    /** Detections in the original image's pixels. */
    List<Finding> detect(BufferedImage image) {
        double scale = (double) SIZE / Math.max(image.getWidth(), image.getHeight());
        float[] tensor = letterbox(image, scale);
        List<Detection> detections = nms(decode(run(tensor), scoreThreshold));
        List<String> labels = catalog.model("nanodet").labels();
        List<Finding> findings = new ArrayList<>();
        for (Detection d : detections) {
            int x = clamp((int) Math.round(d.x1() / scale), image.getWidth());
            int y = clamp((int) Math.round(d.y1() / scale), image.getHeight());
            int x2 = clamp((int) Math.round(d.x2() / scale), image.getWidth());
            int y2 = clamp((int) Math.round(d.y2() / scale), image.getHeight());
            findings.add(new Finding(labels.get(d.classIndex()), Math.round(d.score() * 1000) / 1000.0,
                    new Box(x, y, x2 - x, y2 - y)));
        }
        return findings;
    }

    /** The picture scaled into the top-left of a 416×416 canvas (padding black), NCHW in B, G, R order. */
    static float[] letterbox(BufferedImage image, double scale) {
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage canvas = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        var g = canvas.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return normalise(canvas);
    }

    /** NCHW, channel 0 = B, 1 = G, 2 = R, {@code (p - mean) / std}. */
    static float[] normalise(BufferedImage canvas) {
        int plane = SIZE * SIZE;
        float[] tensor = new float[3 * plane];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int rgb = canvas.getRGB(x, y);
                int i = y * SIZE + x;
                tensor[i] = (float) (((rgb & 0xFF) - MEAN[0]) / STD[0]);
                tensor[plane + i] = (float) ((((rgb >> 8) & 0xFF) - MEAN[1]) / STD[1]);
                tensor[2 * plane + i] = (float) ((((rgb >> 16) & 0xFF) - MEAN[2]) / STD[2]);
            }
        }
        return tensor;
    }

    /** Every cell whose best class scores at least {@code threshold}, as a box in model pixels. */
    static List<Detection> decode(Map<String, float[]> outputs, double threshold) {
        List<Detection> detections = new ArrayList<>();
        for (int stride : STRIDES) {
            int grid = SIZE / stride;
            float[] scores = outputs.get("cls_pred_stride_" + stride);
            float[] distances = outputs.get("dis_pred_stride_" + stride);
            int classes = scores.length / (grid * grid);
            for (int cell = 0; cell < grid * grid; cell++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (scores[cell * classes + c] > scores[cell * classes + best]) {
                        best = c;
                    }
                }
                double score = scores[cell * classes + best];
                if (score < threshold) {
                    continue;
                }
                double cx = (cell % grid + 0.5) * stride;
                double cy = (cell / grid + 0.5) * stride;
                double[] side = new double[4];
                for (int s = 0; s < 4; s++) {
                    side[s] = stride * expectation(distances, cell * 4 * BINS + s * BINS);
                }
                detections.add(new Detection(best, score, Math.max(0, cx - side[0]), Math.max(0, cy - side[1]),
                        Math.min(SIZE, cx + side[2]), Math.min(SIZE, cy + side[3])));
            }
        }
        return detections;
    }

    /** Σ k·softmax(logits)_k over the 11 bins starting at {@code offset}. */
    static double expectation(float[] logits, int offset) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < BINS; k++) {
            max = Math.max(max, logits[offset + k]);
        }
        double sum = 0;
        double weighted = 0;
        for (int k = 0; k < BINS; k++) {
            double e = Math.exp(logits[offset + k] - max);
            sum += e;
            weighted += k * e;
        }
        return weighted / sum;
    }

    /** Greedy per-class non-maximum suppression. */
    List<Detection> nms(List<Detection> detections) {
        List<Detection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection candidate : sorted) {
            boolean overlaps = kept.stream().anyMatch(k -> k.classIndex() == candidate.classIndex()
                    && iou(k, candidate) > iouThreshold);
            if (!overlaps) {
                kept.add(candidate);
            }
            if (kept.size() == 100) {
                break;
            }
        }
        return kept;
    }

    private static double iou(Detection a, Detection b) {
        double w = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double h = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double intersection = w * h;
        double union = (a.x2() - a.x1()) * (a.y2() - a.y1()) + (b.x2() - b.x1()) * (b.y2() - b.y1()) - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    private static int clamp(int value, int max) {
        return Math.max(0, Math.min(max, value));
    }
}
