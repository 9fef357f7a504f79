package dev.tu.vision.analysis;

import dev.tu.contracts.ImageAnalyzed.Box;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.springframework.stereotype.Component;

/**
 * The display derivative: the upright picture, at most 1600 px on its long side, faces pixelated
 * beyond recognition, re-encoded as a fresh JPEG — so no EXIF (GPS, camera serial) and no bytes of
 * the original survive. Clients are shown this, never the original.
 */
@Component
public class Derivatives {

    static final int MAX_SIDE = 1600;
    /** Faces are grown by this share on each side so hair and chin are covered too. */
    private static final double FACE_MARGIN = 0.2;

    /** JPEG bytes of the derivative. */
    public byte[] render(DecodedImage image, List<Box> faces) {
        BufferedImage source = image.pixels();
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(source.getWidth(), source.getHeight()));
        int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, w, h, null);
        g.dispose();
        for (Box face : faces) {
            int mx = (int) Math.round(face.width() * FACE_MARGIN);
            int my = (int) Math.round(face.height() * FACE_MARGIN);
            pixelate(out, (int) ((face.x() - mx) * scale), (int) ((face.y() - my) * scale),
                    (int) Math.ceil((face.width() + 2 * mx) * scale), (int) Math.ceil((face.height() + 2 * my) * scale));
        }
        return jpeg(out);
    }

    /** Replaces the region by blocks of its average colour, about 8 blocks across: no face survives that. */
    static void pixelate(BufferedImage image, int x0, int y0, int width, int height) {
        int x1 = Math.max(0, x0);
        int y1 = Math.max(0, y0);
        int x2 = Math.min(image.getWidth(), x0 + width);
        int y2 = Math.min(image.getHeight(), y0 + height);
        int block = Math.max(4, Math.max(x2 - x1, y2 - y1) / 8);
        for (int by = y1; by < y2; by += block) {
            for (int bx = x1; bx < x2; bx += block) {
                long r = 0;
                long gsum = 0;
                long b = 0;
                int n = 0;
                for (int y = by; y < Math.min(by + block, y2); y++) {
                    for (int x = bx; x < Math.min(bx + block, x2); x++) {
                        int rgb = image.getRGB(x, y);
                        r += (rgb >> 16) & 0xFF;
                        gsum += (rgb >> 8) & 0xFF;
                        b += rgb & 0xFF;
                        n++;
                    }
                }
                int average = (int) (r / n) << 16 | (int) (gsum / n) << 8 | (int) (b / n);
                for (int y = by; y < Math.min(by + block, y2); y++) {
                    for (int x = bx; x < Math.min(bx + block, x2); x++) {
                        image.setRGB(x, y, average);
                    }
                }
            }
        }
    }

    private static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                MemoryCacheImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.setOutput(output);
            writer.write(null, new IIOImage(image, null, null), param);
            output.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }
}
