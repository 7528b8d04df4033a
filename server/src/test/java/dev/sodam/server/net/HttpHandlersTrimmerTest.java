package dev.sodam.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpHandlersTrimmerTest {
    /** Records the user events that reach it. */
    static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            seen.add(event);
        }
    }

    private static EmbeddedChannel pipeline(Events events) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("body-limit", new ChannelInboundHandlerAdapter());
        channel.pipeline().addLast("origin-guard", new ChannelInboundHandlerAdapter());
        channel.pipeline().addLast("trimmer", new HttpHandlersTrimmer(List.of("body-limit", "origin-guard", "router")));
        channel.pipeline().addLast("protocol", new ChannelInboundHandlerAdapter());
        channel.pipeline().addLast("router", new ChannelInboundHandlerAdapter());
        channel.pipeline().addLast("events", events);
        return channel;
    }

    @Test
    void aCompletedHandshakeTakesTheHttpOnlyHandlersAndTheTrimmerOutAndPassesTheEventOn() {
        Events events = new Events();
        EmbeddedChannel channel = pipeline(events);
        WebSocketServerProtocolHandler.HandshakeComplete done =
                new WebSocketServerProtocolHandler.HandshakeComplete("/ws?site=demo", new DefaultHttpHeaders(), null);
        channel.pipeline().fireUserEventTriggered(done);
        assertThat(channel.pipeline().names()).containsExactly("protocol", "events", "DefaultChannelPipeline$TailContext#0");
        assertThat(events.seen).containsExactly(done);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void otherEventsLeaveThePipelineAsItIs() {
        Events events = new Events();
        EmbeddedChannel channel = pipeline(events);
        List<String> before = channel.pipeline().names();
        channel.pipeline().fireUserEventTriggered(Map.of("some", "event"));
        assertThat(channel.pipeline().names()).isEqualTo(before);
        assertThat(events.seen).containsExactly(Map.of("some", "event"));
        assertThat(channel.finish()).isFalse();
    }
}
