package dev.sodam.server.http;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Real images made with ImageIO, and the hostile variants of them that uploads must survive. */
final class TestImages {
    /** Written into a photo's EXIF description: it must not survive the upload. */
    static final String SECRET = "GPS 37.5665N 126.9780E home of 김민수";

    private TestImages() {
    }

    /** An image whose left half is red and right half blue, so a turn shows in its pixels. */
    static BufferedImage halves(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static BufferedImage read(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png(int width, int height) {
        return write(halves(width, height), "png");
    }

    /**
     * A JPEG as a phone writes it: an EXIF block right after SOI with the orientation tag and a
     * description that stands for the camera's personal metadata.
     */
    static byte[] phonePhoto(int width, int height, int orientation) {
        byte[] jpeg = write(halves(width, height), "jpeg");
        byte[] description = (SECRET + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4 + description.length).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x010e).putShort((short) 2).putInt(description.length).putInt(8 + 2 + 2 * 12 + 4);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        tiff.put(description);
        byte[] exif = concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), tiff.array());
        int length = exif.length + 2;
        byte[] segment = concat(new byte[] {(byte) 0xff, (byte) 0xe1, (byte) (length >> 8), (byte) length}, exif);
        byte[] soi = {jpeg[0], jpeg[1]};
        return concat(concat(soi, segment), java.util.Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    /** A PNG whose header claims {@code width} × {@code height}: a decompression bomb's first bytes. */
    static byte[] claimingPng(int width, int height) {
        byte[] png = png(1, 1);
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, width).putInt(20, height); // IHDR data starts at 16: signature 8, length 4, type 4
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13);
        b.putInt(29, (int) crc.getValue());
        return png;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(
                new String(needle.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    /** Whether the pixel is clearly red (as opposed to blue), allowing for JPEG's loss. */
    static boolean reddish(BufferedImage image, int x, int y) {
        Color c = new Color(image.getRGB(x, y));
        return c.getRed() > 180 && c.getBlue() < 80;
    }

    static boolean bluish(BufferedImage image, int x, int y) {
        Color c = new Color(image.getRGB(x, y));
        return c.getBlue() > 180 && c.getRed() < 80;
    }
}
