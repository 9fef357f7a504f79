package dev.tu.testsupport;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * Crafted inputs for upload hardening: valid small images, and files that lie about what they are,
 * are cut off, or declare a size meant to exhaust a decoder (decompression bombs).
 */
public final class HostileImages {

    private HostileImages() {
    }

    /** A valid PNG drawn in memory. */
    public static byte[] png(int width, int height) {
        return encode(drawing(width, height), "png");
    }

    /** A valid baseline JPEG drawn in memory (no EXIF). */
    public static byte[] jpeg(int width, int height) {
        return encode(drawing(width, height), "jpeg");
    }

    /**
     * A tiny PNG whose header declares {@code width × height}: a few hundred bytes that would need
     * gigabytes once decoded. Structurally valid (CRCs right, IEND present) so only the size betrays it.
     */
    public static byte[] pngBomb(int width, int height) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", deflate(new byte[64 * 1024]));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /**
     * A real JPEG whose start-of-frame claims {@code width × height}; the scan data is the original's.
     * Walks the marker segments so an EXIF thumbnail's own frame header is not the one changed.
     */
    public static byte[] jpegWithForgedSize(byte[] jpeg, int width, int height) {
        byte[] forged = jpeg.clone();
        int i = 2;
        while (i + 9 < forged.length && (forged[i] & 0xFF) == 0xFF) {
            int marker = forged[i + 1] & 0xFF;
            int length = ((forged[i + 2] & 0xFF) << 8) | (forged[i + 3] & 0xFF);
            if (marker >= 0xC0 && marker <= 0xC2) {
                forged[i + 5] = (byte) (height >> 8);
                forged[i + 6] = (byte) height;
                forged[i + 7] = (byte) (width >> 8);
                forged[i + 8] = (byte) width;
                return forged;
            }
            i += 2 + length;
        }
        throw new IllegalArgumentException("No start-of-frame marker before the scan: not a baseline JPEG");
    }

    /** {@code payload} appended after the image's end: a file that no longer ends like an image. */
    public static byte[] appended(byte[] image, byte[] payload) {
        byte[] file = Arrays.copyOf(image, image.length + payload.length);
        System.arraycopy(payload, 0, file, image.length, payload.length);
        return file;
    }

    /**
     * A JPEG polyglot that still looks complete: {@code payload} in a comment segment, then after the
     * image a zip archive holding {@code payload} as {@code shell.php}, the payload in the clear, and a
     * final end-of-image marker so the file ends like a JPEG. Decoders stop at the first end marker;
     * unzip and browsers that sniff find the rest.
     */
    public static byte[] jpegPolyglot(byte[] jpeg, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xFE,
                (byte) ((payload.length + 2) >> 8), (byte) (payload.length + 2)});
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("shell.php"));
            zip.write(payload);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(out.toByteArray());
        all.writeBytes(payload);
        all.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return all.toByteArray();
    }

    /**
     * A JPEG with an EXIF segment whose text fields hold {@code hostile}: ImageDescription, Make and
     * Model in IFD0, and DateTimeOriginal (which a parser expects as {@code yyyy:MM:dd HH:mm:ss}) in the
     * Exif sub-IFD. Big-endian TIFF, offsets from the TIFF header.
     */
    public static byte[] jpegWithExif(byte[] jpeg, String hostile) {
        byte[] text = (hostile + "\0").getBytes(StandardCharsets.UTF_8);
        int[] ifd0Tags = {0x010E, 0x010F, 0x0110};
        int ifd0Size = 2 + (ifd0Tags.length + 1) * 12 + 4;
        int subIfdOffset = 8 + ifd0Size;
        int subIfdSize = 2 + 12 + 4;
        int dataOffset = subIfdOffset + subIfdSize;
        ByteBuffer tiff = ByteBuffer.allocate(dataOffset + text.length);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
        tiff.putShort((short) (ifd0Tags.length + 1));
        for (int tag : ifd0Tags) {
            tiff.putShort((short) tag).putShort((short) 2).putInt(text.length).putInt(dataOffset);
        }
        tiff.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(subIfdOffset);
        tiff.putInt(0);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x9003).putShort((short) 2).putInt(text.length).putInt(dataOffset);
        tiff.putInt(0);
        tiff.put(text);
        byte[] exifHeader = {'E', 'x', 'i', 'f', 0, 0};
        int length = 2 + exifHeader.length + tiff.capacity();
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("EXIF segment over 64 KiB");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
        out.writeBytes(exifHeader);
        out.writeBytes(tiff.array());
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** The first {@code fraction} of a file, as an interrupted upload leaves it. */
    public static byte[] truncated(byte[] file, double fraction) {
        return Arrays.copyOf(file, (int) (file.length * fraction));
    }

    /** A PHP script that starts with nothing an image starts with, for a client that calls it a JPEG. */
    public static byte[] script() {
        return "<?php system($_GET['c']); ?>".getBytes(StandardCharsets.UTF_8);
    }

    /** An SVG with a script: a format the service refuses to take at all. */
    public static byte[] svgWithScript() {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes that start like a JPEG but are a few random bytes and an end marker. */
    public static byte[] jpegLookalike(int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(42).nextBytes(bytes);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        bytes[2] = (byte) 0xFF;
        bytes[size - 2] = (byte) 0xFF;
        bytes[size - 1] = (byte) 0xD9;
        return bytes;
    }

    private static BufferedImage drawing(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0xF2B705));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.DARK_GRAY);
        g.fillRect(width / 4, height / 3, width / 2, height / 3);
        g.dispose();
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("No ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        byte[] buffer = new byte[data.length + 64];
        int length = deflater.deflate(buffer);
        deflater.end();
        return Arrays.copyOf(buffer, length);
    }
}
