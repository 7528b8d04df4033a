package dev.sodam.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.protocol.ClientFrame;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.util.Json;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitHandlerTest {
    private MutableClock clock;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        clock = MutableClock.atGoldenInstant();
        channel = new EmbeddedChannel(new RateLimitHandler(clock, 20, 40));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private static ClientFrame send(int i) {
        return new ClientFrame.Send("r-" + i, "c-" + i, "cv_1", "hello " + i, null);
    }

    /** Writes frames i..i+count-1 and asserts each one is passed on unchanged, with no answer. */
    private void assertPass(int from, int count) {
        for (int i = from; i < from + count; i++) {
            ClientFrame frame = send(i);
            channel.writeInbound(frame);
            assertThat(channel.<Object>readInbound()).as("frame %d", i).isEqualTo(frame);
        }
        assertThat(channel.<Object>readOutbound()).isNull();
    }

    private void assertRateLimited(int i) throws Exception {
        channel.writeInbound(send(i));
        assertThat(channel.<Object>readInbound()).as("a rate-limited frame is dropped").isNull();
        Object out = channel.readOutbound();
        try {
            assertThat(out).isInstanceOf(TextWebSocketFrame.class);
            JsonNode error = Json.MAPPER.readTree(((TextWebSocketFrame) out).text());
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("rate_limited");
            assertThat(error.path("ref").asText()).isEqualTo("r-" + i);
        } finally {
            ReferenceCountUtil.release(out);
        }
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void burstPassesThenTheNextFrameIsRateLimitedAndDropped() throws Exception {
        assertPass(0, 40);
        assertRateLimited(40);
    }

    @Test
    void tokensRefillAtTheRatePerSecond() throws Exception {
        assertPass(0, 40);
        assertRateLimited(40);
        clock.advance(Duration.ofSeconds(1));
        assertPass(41, 20);
        assertRateLimited(61);
    }

    @Test
    void refillNeverExceedsTheBurst() throws Exception {
        assertPass(0, 40);
        clock.advance(Duration.ofMinutes(10));
        assertPass(40, 40);
        assertRateLimited(80);
    }

    @Test
    void clockGoingBackwardsGrantsNoTokens() throws Exception {
        assertPass(0, 40);
        clock.advance(Duration.ofSeconds(-5));
        assertRateLimited(40);
        clock.advance(Duration.ofSeconds(5));
        assertRateLimited(41);
    }
}
