package dev.sodam.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.auth.Principal;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.model.Agent;
import dev.sodam.server.protocol.Frames;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChannelSessionTest {

    private static ChannelSession session(EmbeddedChannel channel) {
        return new ChannelSession(channel, new Principal.AgentPrincipal(
                new Agent("ag_1", "a@sodam.test", "상담원", Agent.Role.AGENT, "x", Instant.EPOCH)));
    }

    @Test
    void framesPassWhileTheClientKeepsUp() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelSession session = session(channel);
        session.send(Frames.error(ErrorCode.BAD_REQUEST, "one", null));
        session.sendJson("{\"type\":\"pong\"}");
        Object first = channel.readOutbound();
        assertThat(first).isInstanceOf(Frames.error(ErrorCode.BAD_REQUEST, "x", null).getClass());
        TextWebSocketFrame text = channel.readOutbound();
        assertThat(text.text()).isEqualTo("{\"type\":\"pong\"}");
        text.release();
        assertThat(channel.isOpen()).isTrue();
        assertThat(session.overflowed()).isFalse();
    }

    @Test
    void aClientThatStopsReadingIsCutOffAndGetsNothingAfterTheFirstDroppedFrame() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelSession session = session(channel);
        // What the outbound buffer reports once more than the high water mark is queued.
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        session.send(Frames.error(ErrorCode.BAD_REQUEST, "dropped", null));
        assertThat(session.overflowed()).isTrue();
        assertThat(channel.isOpen()).as("closed, so the client reconnects and resumes by seq").isFalse();
        // A later frame after a dropped one would be a gap the client cannot notice: never sent.
        session.sendJson("{\"type\":\"pong\"}");
        Object nothing = channel.readOutbound();
        assertThat(nothing).isNull();
    }
}
