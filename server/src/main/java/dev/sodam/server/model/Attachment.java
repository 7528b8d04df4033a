package dev.sodam.server.model;

import java.util.Locale;

/**
 * An image in a conversation, as messages refer to it: its id, type and size (the bytes stay in
 * storage). Types are recognised from the bytes themselves, never from a name or a header.
 */
public record Attachment(String id, String contentType, long size) {
    /** Largest image accepted, in bytes. */
    public static final int MAX_BYTES = 2 * 1024 * 1024;

    /** The image type of these bytes (png, jpeg, gif, webp), or null for anything else. */
    public static String sniff(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0d && b[5] == 0x0a && b[6] == 0x1a && b[7] == 0x0a) {
            return "image/png";
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (b.length >= 6) {
            String head = new String(b, 0, 6, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (head.equals("GIF87a") || head.equals("GIF89a")) {
                return "image/gif";
            }
        }
        if (b.length >= 12 && new String(b, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("RIFF")
                && new String(b, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("WEBP")) {
            return "image/webp";
        }
        return null;
    }

    /** What a message with only an image says in text, for previews and older clients. */
    public static String caption(String locale) {
        return "ko".equals(locale) ? "📷 이미지" : "📷 Image";
    }

    public String kind() {
        return contentType.substring(contentType.indexOf('/') + 1).toLowerCase(Locale.ROOT);
    }
}
