package dev.sodam.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.auth.Principal;
import dev.sodam.server.delivery.DeliveryListener;
import dev.sodam.server.delivery.SessionRegistry;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression: every agent of a site is sent the messages of every queued chat, and each agent's
 * connection recorded the chat's seq for good. At 5,000 chats and 1,000 agents that was five million map
 * entries, and G1's young pauses over them were scenario b's 60–90 ms p99.9 (docs/benchmarks.md). Once a
 * chat is assigned, only its agent keeps the record; the others' connections drop it.
 */
class AgentsForgetChatsAssignedElsewhereTest {
    private static final Instant T = Instant.parse("2026-11-23T22:00:00Z");

    private static ChannelSession agent(EmbeddedChannel channel, String id) {
        return new ChannelSession(channel, new Principal.AgentPrincipal(
                new Agent(id, id + "@sodam.test", id, Agent.Role.AGENT, "x", T)));
    }

    @Test
    void onlyTheAssignedAgentKeepsTheSeqOfAChatOnceItLeavesTheQueue() {
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        SessionRegistry sessions = new SessionRegistry();
        ChannelSession taker = agent(first, "ag_1");
        ChannelSession other = agent(second, "ag_2");
        sessions.register(taker);
        sessions.register(other);
        DeliveryListener delivery = new DeliveryListener(sessions);

        Conversation queued = new Conversation("cv_1", "demo", "vi_1", "방문자", "ko", ConversationState.QUEUED, null,
                null, 1, "안녕하세요", T, T, T, null, null, false, List.of(), 0);
        Message message = new Message("m_1", "cv_1", 1, "c-1", new Author(Author.Kind.VISITOR, "vi_1", "방문자"),
                "안녕하세요", T, List.of(), List.of());
        delivery.on(new ChatEvent.MessagePosted(queued, message, null));
        assertThat(taker.sentSeqs()).as("queued: every agent is sent it").containsEntry("cv_1", 1L);
        assertThat(other.sentSeqs()).containsEntry("cv_1", 1L);

        delivery.on(new ChatEvent.ConversationAssigned(queued.assigned("ag_1", "ag_1", T)));
        assertThat(taker.sentSeqs()).containsEntry("cv_1", 1L);
        assertThat(other.sentSeqs()).as("assigned elsewhere: nothing more comes, nothing is kept").isEmpty();

        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }
}
