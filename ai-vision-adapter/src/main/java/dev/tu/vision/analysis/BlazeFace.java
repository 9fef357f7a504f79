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
 * MediaPipe BlazeFace, the 256×256 "back camera" model (faces at a distance, as in site photos): RGB
 * scaled to [-1, 1] on a letterboxed square; 512 anchors on a 16×16 grid (2 per cell) and 384 on 8×8
 * (6 per cell); box = anchor centre + offset / 256, size / 256; score = sigmoid; NMS at IoU 0.3.
 */
final class BlazeFace {

    static final int SIZE = 256;
    private static final double SCORE_THRESHOLD = 0.6;
    private static final double IOU_THRESHOLD = 0.3;

    private final ModelCatalog catalog;

    BlazeFace(ModelCatalog catalog) {
        this.catalog = catalog;
        // Loaded now rather than on the first photo, so the start-up probe covers model loading.
        catalog.session("blazeface-back-256");
    }

    private record Face(double score, double x1, double y1, double x2, double y2) {
    }

    List<Finding> detect(BufferedImage image) {
        double scale = (double) SIZE / Math.max(image.getWidth(), image.getHeight());
        BufferedImage canvas = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        var g = canvas.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, (int) Math.round(image.getWidth() * scale), (int) Math.round(image.getHeight() * scale),
                null);
        g.dispose();
        float[] input = new float[SIZE * SIZE * 3];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int rgb = canvas.getRGB(x, y);
                int i = (y * SIZE + x) * 3;
                input[i] = ((rgb >> 16) & 0xFF) / 127.5f - 1f;
                input[i + 1] = ((rgb >> 8) & 0xFF) / 127.5f - 1f;
                input[i + 2] = (rgb & 0xFF) / 127.5f - 1f;
            }
        }
        Map<String, float[]> outputs = run(input);
        List<Face> faces = new ArrayList<>();
        decode(outputs.get("Identity:0"), outputs.get("Identity_2:0"), 16, 2, faces);
        decode(outputs.get("Identity_1:0"), outputs.get("Identity_3:0"), 8, 6, faces);
        List<Finding> findings = new ArrayList<>();
        for (Face face : nms(faces)) {
            int x1 = clamp((int) Math.round(face.x1() * SIZE / scale), image.getWidth());
            int y1 = clamp((int) Math.round(face.y1() * SIZE / scale), image.getHeight());
            int x2 = clamp((int) Math.round(face.x2() * SIZE / scale), image.getWidth());
            int y2 = clamp((int) Math.round(face.y2() * SIZE / scale), image.getHeight());
            if (x2 > x1 && y2 > y1) {
                findings.add(new Finding("face", Math.round(face.score() * 1000) / 1000.0,
                        new Box(x1, y1, x2 - x1, y2 - y1)));
            }
        }
        return findings;
    }

    private static void decode(float[] scores, float[] boxes, int grid, int perCell, List<Face> faces) {
        for (int index = 0; index < scores.length; index++) {
            double score = 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, scores[index]))));
            if (score < SCORE_THRESHOLD) {
                continue;
            }
            int cell = index / perCell;
            double ax = (cell % grid + 0.5) / grid;
            double ay = (cell / grid + 0.5) / grid;
            double cx = ax + boxes[index * 16] / SIZE;
            double cy = ay + boxes[index * 16 + 1] / SIZE;
            double w = boxes[index * 16 + 2] / SIZE;
            double h = boxes[index * 16 + 3] / SIZE;
            faces.add(new Face(score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2));
        }
    }

    private static List<Face> nms(List<Face> faces) {
        List<Face> sorted = new ArrayList<>(faces);
        sorted.sort(Comparator.comparingDouble(Face::score).reversed());
        List<Face> kept = new ArrayList<>();
        for (Face candidate : sorted) {
            if (kept.stream().noneMatch(face -> iou(face, candidate) > IOU_THRESHOLD)) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    private static double iou(Face a, Face b) {
        double w = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        double h = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        double intersection = w * h;
        double union = (a.x2() - a.x1()) * (a.y2() - a.y1()) + (b.x2() - b.x1()) * (b.y2() - b.y1()) - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    private Map<String, float[]> run(float[] nhwc) {
        try (OnnxTensor input = OnnxTensor.createTensor(catalog.environment(), FloatBuffer.wrap(nhwc),
                new long[] {1, SIZE, SIZE, 3});
                OrtSession.Result result = catalog.session("blazeface-back-256").run(Map.of("input:0", input))) {
            Map<String, float[]> outputs = new java.util.HashMap<>();
            for (var entry : result) {
                FloatBuffer buffer = ((OnnxTensor) entry.getValue()).getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                outputs.put(entry.getKey(), values);
            }
            return outputs;
        } catch (OrtException e) {
            throw new IllegalStateException("BlazeFace inference failed", e);
        }
    }

    private static int clamp(int value, int max) {
        return Math.max(0, Math.min(max, value));
    }
}
