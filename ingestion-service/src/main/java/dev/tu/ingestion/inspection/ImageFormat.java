package dev.tu.ingestion.inspection;

import java.util.Arrays;
import java.util.Optional;

/** The formats accepted for upload, recognised by their magic bytes and checked for a proper ending. */
public enum ImageFormat {

    JPEG("image/jpeg", "jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
            new byte[] {(byte) 0xFF, (byte) 0xD9}),
    PNG("image/png", "png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
            new byte[] {'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82});

    private final String mediaType;
    private final String imageIoName;
    private final byte[] magic;
    private final byte[] trailer;

    ImageFormat(String mediaType, String imageIoName, byte[] magic, byte[] trailer) {
        this.mediaType = mediaType;
        this.imageIoName = imageIoName;
        this.magic = magic;
        this.trailer = trailer;
    }

    /** The IANA media type. */
    public String mediaType() {
        return mediaType;
    }

    String imageIoName() {
        return imageIoName;
    }

    /** The format the bytes start with, if it is one we accept. */
    static Optional<ImageFormat> sniff(byte[] bytes) {
        return Arrays.stream(values()).filter(format -> startsWith(bytes, format.magic)).findFirst();
    }

    /**
     * Whether the file ends the way a whole file of this format ends (JPEG end-of-image marker, PNG
     * IEND chunk), ignoring zero padding some writers add. A cut-off upload fails this.
     */
    boolean isComplete(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        if (end < trailer.length) {
            return false;
        }
        return Arrays.equals(bytes, end - trailer.length, end, trailer, 0, trailer.length);
    }

    /** Whether a client-declared media type names this format (image/jpg is a common alias). */
    boolean matchesDeclared(String declared) {
        String normalized = declared.toLowerCase().split(";", 2)[0].strip();
        return normalized.equals(mediaType) || this == JPEG && normalized.equals("image/jpg");
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
