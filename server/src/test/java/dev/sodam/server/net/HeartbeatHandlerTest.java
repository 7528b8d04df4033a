package dev.sodam.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat on a clock the test moves: ping after 20 s without writing, ping after 30 s without
 * reading (half of the 60 s idle timeout), close at 60 s without reading; plain HTTP closes at 30 s.
 */
class HeartbeatHandlerTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final HeartbeatHandler.Heartbeats heartbeats = new HeartbeatHandler.Heartbeats(20, 60, nanos::get);
    private final HeartbeatHandler handler = new HeartbeatHandler(heartbeats);
    /** What the WebSocket encoder behind the heartbeat would get; the ping must pass it, not skip it. */
    private int pingsEncoded;
    private final EmbeddedChannel channel = new EmbeddedChannel(handler, new ChannelOutboundHandlerAdapter() {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof PingWebSocketFrame) {
                pingsEncoded++;
            }
            ReferenceCountUtil.release(msg);
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
        }
    });

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private void markWebSocket() {
        channel.attr(ChannelAttributes.WEBSOCKET).set(Boolean.TRUE);
    }

    private void at(long seconds) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
        handler.beat(nanos.get());
    }

    private void read() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        ReferenceCountUtil.release(channel.readInbound());
    }

    @Test
    void writerIdleWebSocketGetsAPingThroughTheEncoder() {
        markWebSocket();
        at(19);
        assertThat(pingsEncoded).isZero();
        read();
        at(1);
        assertThat(pingsEncoded).isEqualTo(1);
        at(19);
        assertThat(pingsEncoded).as("the ping counts as writing").isEqualTo(1);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aConnectionThatOnlyReceivesIsPingedBeforeItIsClosed() {
        // Regression: a busy agent's socket is written to constantly, so it was never write-idle and
        // never pinged, and the reader-idle timeout closed it although the browser was alive.
        markWebSocket();
        for (int s = 0; s < 29; s++) {
            channel.writeAndFlush("busy").syncUninterruptibly();
            at(1);
        }
        assertThat(pingsEncoded).isZero();
        channel.writeAndFlush("busy").syncUninterruptibly();
        at(1);
        assertThat(pingsEncoded).as("30 s without reading").isEqualTo(1);
        at(29);
        assertThat(channel.isOpen()).as("the ping is not sent twice, nor is it closed yet").isTrue();
        assertThat(pingsEncoded).isEqualTo(2); // 20 s without writing since the first ping
        at(1);
        assertThat(channel.isOpen()).as("still silent 60 s after the last read").isFalse();
    }

    @Test
    void aPongBeforeTheTimeoutKeepsTheConnection() {
        markWebSocket();
        at(30);
        assertThat(pingsEncoded).isEqualTo(1);
        read();
        at(59);
        assertThat(channel.isOpen()).isTrue();
        at(1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aPlainHttpConnectionClosesAtHalfTheIdleTimeoutWithoutAPing() {
        at(20);
        assertThat(pingsEncoded).isZero();
        assertThat(channel.isOpen()).isTrue();
        at(10);
        assertThat(channel.isOpen()).isFalse();
        assertThat(pingsEncoded).isZero();
    }

    @Test
    void theLoopsTimerLooksAtItsConnectionsEverySecondAndForgetsClosedOnes() {
        markWebSocket();
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(60));
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        channel.runPendingTasks();
        assertThat(handler.next).isNull();
        assertThat(handler.prev).isNull();
    }
}
