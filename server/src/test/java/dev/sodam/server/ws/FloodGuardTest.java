package dev.sodam.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.MutableClock;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FloodGuardTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    final EmbeddedChannel channel = new EmbeddedChannel(new FloodGuard(clock, 20, 40));

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private int passed() {
        int n = 0;
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            n++;
            ReferenceCountUtil.release(msg);
        }
        return n;
    }

    @Test
    void invalidFramesBeyondTheCeilingAreDroppedUnparsedAndReleased() {
        int ceiling = 40 * FloodGuard.CEILING;
        TextWebSocketFrame[] frames = new TextWebSocketFrame[ceiling + 10];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new TextWebSocketFrame("{not json " + i);
            channel.writeInbound(frames[i]);
        }
        assertThat(passed()).isEqualTo(ceiling);
        for (TextWebSocketFrame frame : frames) {
            assertThat(frame.refCnt()).as("every frame released, passed or dropped").isZero();
        }
        assertThat(channel.isOpen()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        channel.writeInbound(new TextWebSocketFrame("{}"));
        assertThat(passed()).as("the bucket refills").isEqualTo(1);
    }

    @Test
    void aConnectionThatKeepsFloodingIsClosedAsAPolicyViolation() {
        for (int i = 0; i < 40 * FloodGuard.CEILING + FloodGuard.CLOSE_AFTER; i++) {
            channel.writeInbound(new TextWebSocketFrame("x"));
        }
        passed();
        Object close = channel.readOutbound();
        try {
            assertThat(close).isInstanceOf(CloseWebSocketFrame.class);
            assertThat(((CloseWebSocketFrame) close).statusCode()).isEqualTo(1008);
        } finally {
            ReferenceCountUtil.release(close);
        }
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void controlFramesAreNeverCounted() {
        for (int i = 0; i < 1000; i++) {
            channel.writeInbound(new PingWebSocketFrame());
        }
        assertThat(passed()).isEqualTo(1000);
    }
}
