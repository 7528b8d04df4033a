package dev.sodam.server.http;

import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ErrorCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * What an uploaded image becomes before it is stored. PNG and JPEG are decoded and encoded afresh:
 * only pixels survive, so camera metadata (the GPS position of a phone photo, its owner's name),
 * comments and anything hidden after the image's end (a polyglot file that is also HTML or a
 * script) never reach the other side. A phone photo's EXIF orientation is applied to the pixels first,
 * so it is not shown sideways once the tag is gone, and photos larger than {@link #MAX_SIDE} on their
 * long side are scaled down while they are read, which bounds the memory one upload takes.
 *
 * <p>GIF and WebP are kept as sent (re-encoding would lose a GIF's animation, and the JDK cannot
 * write WebP); they are served with {@code Content-Security-Policy: sandbox} and {@code nosniff} like
 * every image. Every type's size is read from its header before anything is decoded: an image that
 * claims more than {@link #MAX_PIXELS} pixels — a decompression bomb fits in a few kilobytes — is
 * refused.
 */
final class UploadedImages {
    /** Longest side, in pixels, of a stored PNG or JPEG; larger ones are scaled down. */
    static final int MAX_SIDE = 2048;
    /** Most pixels an uploaded image may claim. */
    static final long MAX_PIXELS = 50_000_000L;
    private static final float JPEG_QUALITY = 0.9f;

    /** An image ready to store. */
    record Cleaned(String contentType, byte[] bytes, int width, int height) {
    }

    private UploadedImages() {
    }

    /** The image to store for these bytes of a sniffed {@code contentType}; a clear error when it cannot be read. */
    static Cleaned clean(String contentType, byte[] bytes) {
        String format = contentType.substring(contentType.indexOf('/') + 1);
        // In memory: ImageIO's default stream cache writes a temporary file per upload.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                if (format.equals("webp")) {
                    return new Cleaned(contentType, bytes, -1, -1); // the JDK reads no WebP; served sandboxed
                }
                throw unreadable();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS) {
                    throw new ChatException(ErrorCode.TOO_LARGE, "images are at most " + MAX_PIXELS / 1_000_000
                            + " megapixels; this one claims " + width + " × " + height);
                }
                if (format.equals("gif")) {
                    return new Cleaned(contentType, bytes, width, height);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, (Math.max(width, height) + MAX_SIDE - 1) / MAX_SIDE);
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage image = reader.read(0, param);
                if (format.equals("jpeg")) {
                    image = ExifOrientation.apply(ExifOrientation.of(bytes), toRgb(image));
                }
                byte[] encoded = encode(image, format);
                return new Cleaned(contentType, encoded, image.getWidth(), image.getHeight());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ChatException chat) {
                throw chat;
            }
            throw unreadable();
        }
    }

    private static ChatException unreadable() {
        return new ChatException(ErrorCode.UNSUPPORTED_TYPE,
                "the image could not be read; send it again as a PNG or JPEG (RGB) file");
    }

    /** JPEG has no alpha and ImageIO writes CMYK or indexed pixels wrongly: plain RGB is written. */
    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_3BYTE_BGR
                || image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.createGraphics().drawImage(image, 0, 0, null);
        return rgb;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
