package dev.sodam.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

/**
 * Coverage-guided fuzzing of the frame decoder, the first code every byte from the internet meets:
 * whatever the text, the answer is a frame or a {@link ProtocolException} (an {@code error} frame with
 * a code), never another exception. In the normal run the stored inputs are replayed; the
 * {@code fuzz} executions of server/pom.xml fuzz for a while (docs/security.md).
 */
class FrameDecoderFuzzTest {
    private static final FrameDecoder DECODER = new FrameDecoder(4_000);

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"\"type\"", "\"hello\"", "\"send\"", "\"sync\"", "\"typing\"", "\"read\"", "\"accept\"",
            "\"resolve\"", "\"transfer\"", "\"label\"", "\"note\"", "\"rate\"", "\"identify\"", "\"page\"",
            "\"presence\"", "\"conversationId\"", "\"clientMsgId\"", "\"text\"", "\"afterSeq\"", "\"seq\"", "\"ref\"",
            "\"role\"", "\"visitor\"", "\"agent\"", "\"resume\"", "\"lastSeq\"", "\"attributes\"", "\"score\"",
            "\"kind\"", "\"csat\"", "\"url\"", "\"on\"", "true", "null", "-1", "1e999", "{", "}", "[", "]", ":", ","})
    void anyTextIsAFrameOrAProtocolError(@NotNull String text) {
        try {
            ClientFrame frame = DECODER.decode(text);
            assertThat(frame).isNotNull();
        } catch (ProtocolException refused) {
            assertThat(refused.code()).isNotNull();
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
