package dev.sodam.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeartbeatHandlerTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new HeartbeatHandler());

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private void markWebSocket() {
        channel.attr(ChannelAttributes.WEBSOCKET).set(Boolean.TRUE);
    }

    @Test
    void writerIdleWebSocketGetsAPing() {
        markWebSocket();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        Object out = channel.readOutbound();
        try {
            assertThat(out).isInstanceOf(PingWebSocketFrame.class);
        } finally {
            ReferenceCountUtil.release(out);
        }
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void readerIdleWebSocketIsClosed() {
        markWebSocket();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.<Object>readOutbound()).isNull();
    }

    @Test
    void aConnectionThatOnlyReceivesIsPingedBeforeItIsClosed() {
        // Regression: a busy agent's socket is written to constantly, so it was never write-idle and
        // never pinged, and the reader-idle timeout closed it although the browser was alive.
        markWebSocket();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        Object out = channel.readOutbound();
        try {
            assertThat(out).isInstanceOf(PingWebSocketFrame.class);
        } finally {
            io.netty.util.ReferenceCountUtil.release(out);
        }
        assertThat(channel.isOpen()).isTrue();
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).as("still silent after the ping").isFalse();
    }

    @Test
    void readerIdlePlainHttpConnectionIsClosed() {
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void writerIdlePlainHttpConnectionWritesNothing() {
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void otherUserEventsPassThrough() {
        Object[] seen = new Object[1];
        channel.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
                seen[0] = evt;
            }
        });
        channel.pipeline().fireUserEventTriggered("custom");
        assertThat(seen[0]).isEqualTo("custom");
    }
}
