package dev.sodam.server.http;

import java.awt.image.BufferedImage;

/**
 * The EXIF orientation of a JPEG (tag 0x0112 of its first image directory), and turning pixels by it.
 * Phones store a photo as the sensor saw it and say in this tag how to turn it; once the tag is
 * stripped by re-encoding, the turn must already be in the pixels.
 */
final class ExifOrientation {
    /** As stored: no turn. */
    static final int NORMAL = 1;
    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation (1–8) of a JPEG's bytes; {@link #NORMAL} when it has none or it cannot be read. */
    static int of(byte[] jpeg) {
        int at = 2; // after SOI
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xff) == 0xff) {
            int marker = jpeg[at + 1] & 0xff;
            int length = u16(jpeg, at + 2, false);
            if (marker == 0xda || marker == 0xd9 || length < 2) {
                return NORMAL; // image data begins: no EXIF before it
            }
            int body = at + 4;
            if (marker == 0xe1 && body + 14 <= jpeg.length && jpeg[body] == 'E' && jpeg[body + 1] == 'x'
                    && jpeg[body + 2] == 'i' && jpeg[body + 3] == 'f' && jpeg[body + 4] == 0 && jpeg[body + 5] == 0) {
                return fromTiff(jpeg, body + 6, Math.min(jpeg.length, at + 2 + length));
            }
            at += 2 + length;
        }
        return NORMAL;
    }

    private static int fromTiff(byte[] b, int tiff, int end) {
        boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
        if (!little && !(b[tiff] == 'M' && b[tiff + 1] == 'M')) {
            return NORMAL;
        }
        long ifd = tiff + u32(b, tiff + 4, little);
        if (ifd < tiff || ifd + 2 > end) {
            return NORMAL;
        }
        int entries = u16(b, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + 12 * i;
            if (entry + 12 > end) {
                return NORMAL;
            }
            if (u16(b, entry, little) == ORIENTATION_TAG) {
                int value = u16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : NORMAL;
            }
        }
        return NORMAL;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int first = b[at] & 0xff;
        int second = b[at + 1] & 0xff;
        return little ? first | second << 8 : first << 8 | second;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long high = u16(b, little ? at + 2 : at, little);
        long low = u16(b, little ? at : at + 2, little);
        return high << 16 | low;
    }

    /** The image as it should be seen: flipped and turned as the orientation says. */
    static BufferedImage apply(int orientation, BufferedImage image) {
        if (orientation == NORMAL) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swaps = orientation >= 5;
        BufferedImage turned = new BufferedImage(swaps ? h : w, swaps ? w : h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int tx;
                int ty;
                switch (orientation) {
                    case 2 -> { tx = w - 1 - x; ty = y; }          // mirrored
                    case 3 -> { tx = w - 1 - x; ty = h - 1 - y; }  // upside down
                    case 4 -> { tx = x; ty = h - 1 - y; }          // mirrored upside down
                    case 5 -> { tx = y; ty = x; }                  // transposed
                    case 6 -> { tx = h - 1 - y; ty = x; }          // turned a quarter clockwise
                    case 7 -> { tx = h - 1 - y; ty = w - 1 - x; }  // transversed
                    default -> { tx = y; ty = w - 1 - x; }         // 8: a quarter anticlockwise
                }
                turned.setRGB(tx, ty, row[x]);
            }
        }
        return turned;
    }
}
