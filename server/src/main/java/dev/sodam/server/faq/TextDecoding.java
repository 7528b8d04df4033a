package dev.sodam.server.faq;

import dev.sodam.server.conversation.ChatException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Turns an uploaded file into text without asking the admin which encoding it has. Korean
 * spreadsheets arrive in three shapes: UTF-8 (often with a byte-order mark, which Excel writes for
 * "CSV UTF-8"), UTF-16 with a mark (Excel's "Unicode text"), and plain CSV saved by Excel on a
 * Korean Windows, which is CP949 (MS949, a superset of EUC-KR). A BOM decides; otherwise strict
 * UTF-8 is tried first (CP949 Hangul is never valid UTF-8, so a file that decodes is UTF-8), then
 * strict CP949. A file that is neither is refused with the line of the first undecodable byte,
 * never read as replacement characters.
 */
public final class TextDecoding {
    /** Java's name of Microsoft's code page 949 (the JDK's {@code jdk.charsets} module). */
    static final String CP949 = "x-windows-949";

    private TextDecoding() {
    }

    /** The text and the name of the encoding it was read in ({@code UTF-8}, {@code UTF-8 (BOM)}, {@code CP949}, …). */
    public record Decoded(String text, String encoding) {
    }

    public static Decoded decode(byte[] bytes) {
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            return new Decoded(strict(StandardCharsets.UTF_8, bytes, 3, "UTF-8"), "UTF-8 (BOM)");
        }
        if (startsWith(bytes, 0xFF, 0xFE)) {
            return new Decoded(strict(StandardCharsets.UTF_16LE, bytes, 2, "UTF-16LE"), "UTF-16LE (BOM)");
        }
        if (startsWith(bytes, 0xFE, 0xFF)) {
            return new Decoded(strict(StandardCharsets.UTF_16BE, bytes, 2, "UTF-16BE"), "UTF-16BE (BOM)");
        }
        try {
            return new Decoded(decodeOrThrow(StandardCharsets.UTF_8, bytes, 0), "UTF-8");
        } catch (CharacterCodingException notUtf8) {
            Charset cp949 = cp949();
            try {
                return new Decoded(decodeOrThrow(cp949, bytes, 0), "CP949");
            } catch (CharacterCodingException neither) {
                int at = offsetOf(notUtf8, StandardCharsets.UTF_8, bytes);
                int line = lineAt(bytes, at);
                throw ChatException.invalid("the file is neither UTF-8 nor CP949 (EUC-KR): line " + line
                        + " has bytes that are not text; save it as \"CSV UTF-8\" and try again",
                        ChatException.Reason.INVALID, "encoding", "line", line);
            }
        }
    }

    private static String strict(Charset charset, byte[] bytes, int skip, String name) {
        try {
            return decodeOrThrow(charset, bytes, skip);
        } catch (CharacterCodingException e) {
            int at = offsetOf(e, charset, bytes);
            int line = lineAt(bytes, at);
            throw ChatException.invalid("the file starts with a " + name + " byte-order mark but line " + line
                    + " is not valid " + name, ChatException.Reason.INVALID, "encoding", "line", line, "value", name);
        }
    }

    private static String decodeOrThrow(Charset charset, byte[] bytes, int skip) throws CharacterCodingException {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, skip, bytes.length - skip));
        return chars.toString();
    }

    /** Where decoding stopped: decodes again step by step to find the byte offset of the failure. */
    private static int offsetOf(CharacterCodingException failure, Charset charset, byte[] bytes) {
        if (!(failure instanceof MalformedInputException)) {
            return 0;
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 2);
        decoder.decode(in, out, true);
        return in.position();
    }

    /** 1-based line of a byte offset (counting LF; a CR-only file counts CR). */
    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, bytes.length); i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n')) {
                line++;
            }
        }
        return line;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static Charset cp949() {
        try {
            return Charset.forName(CP949);
        } catch (UnsupportedCharsetException e) {
            // A JDK without jdk.charsets: EUC-KR covers every Hangul syllable Excel writes for common text.
            return Charset.forName("EUC-KR");
        }
    }
}
