package dev.sodam.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.protocol.ClientFrame;
import dev.sodam.server.protocol.FrameDecoder;
import dev.sodam.server.protocol.ServerFrame;
import dev.sodam.server.util.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class JsonFrameCodecTest {
    private static final int MAX_FRAME_BYTES = 65536;
    /** Entries of bad-inputs.json whose code depends on server state; the codec must let them through. */
    private static final Set<String> STATEFUL = Set.of("foreign conversation", "agent-only frame from a visitor",
            "second hello", "rate of a foreign conversation");

    private EmbeddedChannel channel;

    private static EmbeddedChannel newChannel() {
        return new EmbeddedChannel(new JsonFrameCodec(new FrameDecoder(4000), MAX_FRAME_BYTES));
    }

    @BeforeEach
    void setUp() {
        channel = newChannel();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private static Path repoRoot() {
        String root = System.getProperty("sodam.repo.root");
        return root == null || root.isBlank() ? Path.of("..") : Path.of(root);
    }

    private static JsonNode badInputs() throws IOException {
        return Json.MAPPER.readTree(Files.readString(repoRoot().resolve("docs/protocol/frames/bad-inputs.json"),
                StandardCharsets.UTF_8));
    }

    private static String frameOf(JsonNode entry) {
        String frame = entry.get("frame").asText();
        if (frame.equals("@LONG_TEXT@")) {
            return "{\"type\":\"send\",\"clientMsgId\":\"b-3\",\"text\":\"" + "a".repeat(4001) + "\",\"ref\":\""
                    + entry.get("ref").asText() + "\"}";
        }
        return frame;
    }

    private interface Check {
        void run() throws Exception;
    }

    /** Dynamic tests share one {@code @BeforeEach}; give each its own channel. */
    private void onFreshChannel(Check check) throws Exception {
        channel.finishAndReleaseAll();
        channel = newChannel();
        check.run();
    }

    /** Reads the one outbound frame, which must be an error text frame, and releases it. */
    private JsonNode readOneError() throws IOException {
        Object out = channel.readOutbound();
        try {
            assertThat(out).isInstanceOf(TextWebSocketFrame.class);
            JsonNode json = Json.MAPPER.readTree(((TextWebSocketFrame) out).text());
            assertThat(json.path("type").asText()).isEqualTo("error");
            assertThat(json.path("message").asText()).isNotBlank();
            return json;
        } finally {
            ReferenceCountUtil.release(out);
        }
    }

    private void assertNothingElseWritten() {
        Object extra = channel.readOutbound();
        ReferenceCountUtil.release(extra);
        assertThat(extra).as("unexpected outbound message").isNull();
    }

    private void assertNothingPassedOn() {
        Object inbound = channel.readInbound();
        ReferenceCountUtil.release(inbound);
        assertThat(inbound).as("bad frame must not reach the next handler").isNull();
    }

    private ClientFrame readDecoded() {
        Object inbound = channel.readInbound();
        assertThat(inbound).isInstanceOf(ClientFrame.class);
        return (ClientFrame) inbound;
    }

    @TestFactory
    Stream<DynamicTest> badInputsDecidableByTheCodecAreAnsweredWithTheirErrorAndDropped() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode entry : badInputs()) {
            String name = entry.get("name").asText();
            if (STATEFUL.contains(name)) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(name, () -> onFreshChannel(() -> {
                channel.writeInbound(new TextWebSocketFrame(frameOf(entry)));
                assertNothingPassedOn();
                JsonNode error = readOneError();
                assertThat(error.path("code").asText()).isEqualTo(entry.get("code").asText());
                if (entry.has("ref")) {
                    assertThat(error.path("ref").asText()).isEqualTo(entry.get("ref").asText());
                } else {
                    assertThat(error.has("ref")).isFalse();
                }
                assertNothingElseWritten();
                assertThat(channel.isOpen()).as("an error never closes the connection").isTrue();
            })));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(10);
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> badInputsThatDependOnServerStateDecodeAndPassOn() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode entry : badInputs()) {
            String name = entry.get("name").asText();
            if (!STATEFUL.contains(name)) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(name, () -> onFreshChannel(() -> {
                channel.writeInbound(new TextWebSocketFrame(frameOf(entry)));
                ClientFrame frame = readDecoded();
                assertThat(frame.ref()).isEqualTo(entry.get("ref").asText());
                assertNothingElseWritten();
            })));
        }
        assertThat(tests).as("every stateful entry is still in bad-inputs.json").hasSize(STATEFUL.size());
        return tests.stream();
    }

    @Test
    void payloadOverMaxFrameBytesIsTooLarge() throws IOException {
        String padded = "{\"type\":\"send\",\"clientMsgId\":\"b-9\",\"text\":\"hi\",\"ref\":\"big\"}"
                + " ".repeat(MAX_FRAME_BYTES);
        channel.writeInbound(new TextWebSocketFrame(padded));
        assertNothingPassedOn();
        assertThat(readOneError().path("code").asText()).isEqualTo("too_large");
        assertNothingElseWritten();
    }

    @Test
    void payloadOfExactlyMaxFrameBytesIsDecoded() {
        String head = "{\"type\":\"send\",\"clientMsgId\":\"b-9\",\"text\":\"hi\"}";
        String exact = head + " ".repeat(MAX_FRAME_BYTES - head.length());
        channel.writeInbound(new TextWebSocketFrame(exact));
        assertThat(readDecoded()).isInstanceOf(ClientFrame.Send.class);
        assertNothingElseWritten();
    }

    @Test
    void binaryFrameIsBadRequest() throws IOException {
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
        assertNothingPassedOn();
        assertThat(readOneError().path("code").asText()).isEqualTo("bad_request");
        assertNothingElseWritten();
    }

    @Test
    void validSendPassesAsClientFrameSend() {
        channel.writeInbound(new TextWebSocketFrame(
                "{\"type\":\"send\",\"clientMsgId\":\"c-1\",\"conversationId\":null,\"text\":\"배송 언제 와요?\",\"ref\":\"c-1\"}"));
        assertThat(readDecoded()).isEqualTo(new ClientFrame.Send("c-1", "c-1", null, "배송 언제 와요?", null));
        assertNothingElseWritten();
    }

    @Test
    void controlFramesPassThroughUntouched() {
        channel.writeInbound(new PingWebSocketFrame());
        Object inbound = channel.readInbound();
        try {
            assertThat(inbound).isInstanceOf(PingWebSocketFrame.class);
        } finally {
            ReferenceCountUtil.release(inbound);
        }
        assertNothingElseWritten();
    }

    @Test
    void outboundAckIsEncodedAsTheGoldenJson() throws IOException {
        channel.writeOutbound(new ServerFrame.Ack("c-1", "cv_01jd7k3m9p", 1, "m_01jd7k3m9q"));
        Object out = channel.readOutbound();
        try {
            assertThat(out).isInstanceOf(TextWebSocketFrame.class);
            JsonNode expected = Json.MAPPER.readTree(Files.readString(
                    repoRoot().resolve("docs/protocol/frames/s2c-ack.json"), StandardCharsets.UTF_8));
            assertThat(Json.MAPPER.readTree(((TextWebSocketFrame) out).text())).isEqualTo(expected);
        } finally {
            ReferenceCountUtil.release(out);
        }
    }

    @Test
    void textLimitCountsCharactersNotBytes() {
        String korean = "가".repeat(4000);
        assertThat(korean.getBytes(StandardCharsets.UTF_8)).hasSize(12000);
        channel.writeInbound(new TextWebSocketFrame(
                "{\"type\":\"send\",\"clientMsgId\":\"k-1\",\"text\":\"" + korean + "\"}"));
        ClientFrame frame = readDecoded();
        assertThat(frame).isInstanceOf(ClientFrame.Send.class);
        assertThat(((ClientFrame.Send) frame).text()).hasSize(4000);
        assertNothingElseWritten();
    }
}
