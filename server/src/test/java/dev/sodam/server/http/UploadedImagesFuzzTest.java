package dev.sodam.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.model.Attachment;

/**
 * Coverage-guided fuzzing of what an upload's bytes go through before they are stored: the type
 * sniffing, the header check, ImageIO's decoders and our EXIF reader. Whatever the bytes, the answer
 * is an image to store (of the sniffed type, at most {@link UploadedImages#MAX_SIDE} on a side) or a
 * {@code too_large} / {@code unsupported_type} refusal, never another exception or error. Seeded with
 * a real PNG, JPEG (with and without EXIF) and GIF; the stored inputs are replayed in the normal run.
 */
class UploadedImagesFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyBytesAreAStoredImageOrAClearRefusal(byte @NotNull [] bytes) {
        String type = Attachment.sniff(bytes);
        if (type == null) {
            return; // refused before decoding (415), as AttachmentApiTest shows
        }
        try {
            UploadedImages.Cleaned cleaned = UploadedImages.clean(type, bytes);
            assertThat(cleaned.contentType()).isEqualTo(type);
            assertThat(cleaned.bytes()).isNotEmpty();
            assertThat(Math.max(cleaned.width(), cleaned.height())).isLessThanOrEqualTo(
                    type.endsWith("gif") || type.endsWith("webp") ? Integer.MAX_VALUE : UploadedImages.MAX_SIDE);
        } catch (ChatException refused) {
            assertThat(refused.code()).isIn(ErrorCode.TOO_LARGE, ErrorCode.UNSUPPORTED_TYPE);
        }
    }
}
