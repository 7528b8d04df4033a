package dev.sodam.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.model.Action;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Attachment;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Feedback;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Note;
import dev.sodam.server.model.Notice;
import dev.sodam.server.model.Suggestion;
import dev.sodam.server.model.VisitorProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every event another node delivers survives the trip through the pub/sub channel unchanged, so the
 * receiving node's delivery decides exactly as the committing node's did; what is not relayed stays home.
 */
class EventCodecTest {
    private static final Instant T = Instant.parse("2026-11-23T07:00:00.123456Z");
    private static final Author AGENT = new Author(Author.Kind.AGENT, "ag_1", "김상담");

    private static Conversation conversation(ConversationState state) {
        return new Conversation("cv_1", "demo", "vi_1", "방문자 1234", "ko", state, "ag_1", "김상담", 7,
                "배송 언제 와요?", T, T, T.plusSeconds(5), "delivery", "shipping", true, List.of("vip", "환불"), 6);
    }

    @Test
    void everyRelayedEventComesBackEqual() throws Exception {
        Conversation assigned = conversation(ConversationState.ASSIGNED);
        Message message = new Message("m_1", "cv_1", 7, "c-7", AGENT, "주문번호를 알려 주세요 <b>", T,
                List.of(new Suggestion("faq_1", "배송은 얼마나 걸려요?")), List.of(Action.handoff("ko")),
                new Notice("handoff.closed", Map.of("team", "결제", "opensAt", "09:00")),
                new Attachment("at_1", "image/png", 48213));
        List<ChatEvent> events = List.of(
                new ChatEvent.MessagePosted(assigned, message, "faq_1"),
                new ChatEvent.HandoffRequested(conversation(ConversationState.QUEUED),
                        ChatEvent.HandoffReason.BOT_UNSURE, 3),
                new ChatEvent.ConversationAssigned(assigned),
                new ChatEvent.ConversationResolved(conversation(ConversationState.RESOLVED), AGENT),
                new ChatEvent.ConversationDeleted(conversation(ConversationState.RESOLVED)),
                new ChatEvent.ConversationTransferred(assigned, "ag_1", "ag_2", null),
                new ChatEvent.NoteAdded(assigned, new Note("n_1", "cv_1", AGENT, "환불 요청 중", T)),
                new ChatEvent.VisitorIdentified(assigned, new VisitorProfile("vi_1", "김민지", "m@example.com", "u-1",
                        Map.of("plan", "pro"))),
                new ChatEvent.VisitorIdentified(null, new VisitorProfile("vi_1", null, null, null, null)),
                new ChatEvent.FeedbackGiven(assigned, new Feedback("fb_1", "demo", "cv_1", "m_1", Feedback.Kind.CSAT, 5,
                        "친절해요", T)),
                new ChatEvent.ConversationLabelled(assigned),
                new ChatEvent.ConversationsRequeued(List.of(conversation(ConversationState.QUEUED)), "ag_1"),
                new ChatEvent.TypingChanged(assigned, new Author(Author.Kind.VISITOR, "vi_1", "방문자 1234"), true),
                new ChatEvent.ReadUpTo(assigned, AGENT, 7));
        for (ChatEvent event : events) {
            assertThat(EventCodec.relayed(event)).as(event.getClass().getSimpleName()).isTrue();
            EventCodec.Envelope envelope = EventCodec.decode(EventCodec.encode("node-a", event));
            assertThat(envelope.node()).isEqualTo("node-a");
            assertThat(envelope.event()).as(event.getClass().getSimpleName()).isEqualTo(event);
        }
    }

    /**
     * Regression: a node published every queue change with every waiting conversation whole, 2.6 MB at 5,000
     * waiting. A queue change now travels as ids, with whole only what the sender had not sent as it is.
     */
    @Test
    void aQueueChangeTravelsAsIdsAndWhatChanged() throws Exception {
        Conversation first = conversation(ConversationState.QUEUED);
        Conversation second = new Conversation("cv_2", "demo", "vi_2", "김민지", "ko", ConversationState.QUEUED, null,
                null, 3, "환불은 언제 되나요?", T, T, T, null, null, false, List.of("환불"), 0);
        ChatEvent.QueueChanged changed = new ChatEvent.QueueChanged(List.of(first, second));
        assertThat(EventCodec.relayed(changed)).as("not relayed as the event").isFalse();

        QueueRelay sender = new QueueRelay();
        QueueRelay.Order order = sender.next(changed.queue());
        EventCodec.Envelope envelope = EventCodec.decode(EventCodec.encode("node-a", order));
        assertThat(envelope.type()).isEqualTo(EventCodec.QUEUE_CHANGED);
        assertThat(envelope.queue()).isEqualTo(order);
        assertThat(envelope.event()).isNull();

        Conversation moved = second.withMessage(4, "언제요?", T.plusSeconds(9));
        String json = EventCodec.encode("node-a", sender.next(List.of(moved)));
        assertThat(json).doesNotContain("배송 언제 와요?").doesNotContain("cv_1").contains("언제요?");
        assertThat(EventCodec.decode(json).queue())
                .isEqualTo(new QueueRelay.Order(2, List.of("cv_2"), List.of(moved)));
    }

    @Test
    void ticksAndStartsStayOnTheirNode() {
        for (ChatEvent event : List.of(new ChatEvent.ClockTicked(T),
                new ChatEvent.ConversationStarted(conversation(ConversationState.BOT)),
                new ChatEvent.RoutingRestored(List.of(), List.of(), T))) {
            assertThat(EventCodec.relayed(event) || EventCodec.routingInput(event)).as(event.toString()).isFalse();
        }
    }

    @Test
    void agentsConnectionEventsReachTheRoutingOwnerWithoutThePasswordHash() throws Exception {
        Agent agent = new Agent("ag_1", "kim@example.com", "김상담", Agent.Role.SUPERVISOR, "$argon2id$secret-hash", T, "demo");
        String json = EventCodec.encode("node-a", new ChatEvent.AgentConnected(agent, 3, ChatEvent.Presence.AWAY));
        assertThat(json).doesNotContain("argon2id");
        EventCodec.Envelope envelope = EventCodec.decode(json);
        assertThat(envelope.routingInput()).isTrue();
        assertThat(envelope.event()).isEqualTo(new ChatEvent.AgentConnected(
                new Agent("ag_1", "kim@example.com", "김상담", Agent.Role.SUPERVISOR, null, T, "demo"), 3,
                ChatEvent.Presence.AWAY));
        for (ChatEvent event : List.of(new ChatEvent.AgentDisconnected("ag_1"),
                new ChatEvent.PresenceSet("ag_1", ChatEvent.Presence.OFFLINE),
                new ChatEvent.PresenceSet("ag_1", ChatEvent.Presence.AWAY, ChatEvent.PresenceSet.MISSED_OFFERS),
                new ChatEvent.OfferDeclined("cv_1", "ag_1"))) {
            assertThat(EventCodec.routingInput(event)).isTrue();
            EventCodec.Envelope back = EventCodec.decode(EventCodec.encode("node-a", event));
            assertThat(back.routingInput()).isTrue();
            assertThat(back.event()).isEqualTo(event);
        }
    }

    @Test
    void theRoutingOwnersDecisionsComeBackEqual() throws Exception {
        Conversation queued = conversation(ConversationState.QUEUED);
        java.util.List<Integer> etas = new java.util.ArrayList<>(java.util.Arrays.asList(95, null));
        for (RoutingOutput output : List.of(
                new RoutingOutput.Offer("ag_1", queued, 2, T.plusSeconds(30)),
                new RoutingOutput.OfferWithdrawn("ag_1", "cv_1", "timeout"),
                new RoutingOutput.PresenceTold("ag_1", "김상담", ChatEvent.Presence.ONLINE, 2, 3, null),
                new RoutingOutput.PresenceTold("ag_1", "김상담", ChatEvent.Presence.AWAY, 0, 3,
                        ChatEvent.PresenceSet.MISSED_OFFERS),
                RoutingOutput.QueueStatus.of(List.of(queued, queued), etas),
                new RoutingOutput.Unplaced(queued, 3))) {
            EventCodec.Envelope envelope = EventCodec.decode(EventCodec.encode("node-a", output));
            assertThat(envelope.output()).as(output.getClass().getSimpleName()).isEqualTo(output);
            assertThat(envelope.event()).isNull();
        }
        EventCodec.Envelope request = EventCodec.decode(EventCodec.rosterRequest("node-b"));
        assertThat(request.type()).isEqualTo(EventCodec.ROSTER_REQUEST);
        assertThat(request.event()).isNull();
        assertThat(request.output()).isNull();
        assertThat(request.roster()).isNull();
    }

    /**
     * Regression: the routing owner published the whole queue at every change, each conversation whole
     * (preview, names, labels, timestamps): 2.6 MB per change with 5,000 waiting, decoded on every node.
     * Now a place travels as its conversation's and visitor's ids, and the receiving node tells its visitors
     * the same statuses the owner's node tells its own.
     */
    @Test
    void aQueueStatusAcrossNodesCarriesNoConversationBodies() throws Exception {
        Conversation first = conversation(ConversationState.QUEUED);
        Conversation second = new Conversation("cv_2", "demo", "vi_2", "김민지", "ko", ConversationState.QUEUED, null,
                null, 3, "환불은 언제 되나요?", T, T, T, null, null, false, List.of("환불"), 0);
        List<Conversation> queue = List.of(first, second);
        List<Integer> etas = new java.util.ArrayList<>(java.util.Arrays.asList(null, 95));

        String json = EventCodec.encode("node-a", RoutingOutput.QueueStatus.of(queue, etas));
        for (String body : List.of("배송 언제 와요?", "환불은 언제 되나요?", "방문자 1234", "김민지", "김상담", "vip", "환불",
                "delivery", "shipping", "2026-11-23")) {
            assertThat(json).as("the envelope carries no " + body).doesNotContain(body);
        }
        assertThat(json.length()).as(json).isLessThan(200);

        EventCodec.Envelope envelope = EventCodec.decode(json);
        List<List<Object>> told = new java.util.ArrayList<>();
        envelope.output().applyTo(new dev.sodam.server.routing.RoutingActions() {
            @Override
            public void queueStatus(List<Conversation> waiting, List<Integer> etaSeconds) {
                for (int i = 0; i < waiting.size(); i++) {
                    Conversation c = waiting.get(i);
                    told.add(java.util.Arrays.asList(c.visitorId(),
                            dev.sodam.server.protocol.Frames.status(c, i + 1, etaSeconds.get(i))));
                }
            }

            @Override
            public void offer(String agentId, Conversation conversation, int queuePosition, Instant expiresAt) {
                throw new AssertionError();
            }

            @Override
            public void offerWithdrawn(String agentId, String conversationId, String reason) {
                throw new AssertionError();
            }

            @Override
            public void presence(String agentId, String agentName, ChatEvent.Presence presence, int load, int cap,
                                 String reason) {
                throw new AssertionError();
            }

            @Override
            public void unplaced(Conversation conversation, int attempts) {
                throw new AssertionError();
            }

            @Override
            public void requeue(String agentId) {
                throw new AssertionError();
            }

            @Override
            public void awayForMissedOffers(String agentId, int missed) {
                throw new AssertionError();
            }
        });
        // What the visitors are told, and whose connections: as from the whole conversations on the owner.
        assertThat(told).containsExactly(
                java.util.Arrays.asList("vi_1", dev.sodam.server.protocol.Frames.status(first, 1, null)),
                java.util.Arrays.asList("vi_2", dev.sodam.server.protocol.Frames.status(second, 2, 95)));

        assertThatThrownBy(() -> EventCodec.decode("{\"node\":\"x\",\"type\":\"QueueStatus\",\"output\":"
                + "{\"conversationIds\":[\"cv_1\"],\"visitorIds\":[],\"etaSeconds\":[null]}}"))
                .as("places without their visitors").isInstanceOf(Exception.class);
    }

    @Test
    void aNodeKnowsWhatItPublishedItselfBeforeDecodingIt() throws Exception {
        Conversation queued = conversation(ConversationState.QUEUED);
        for (String json : List.of(EventCodec.heartbeat("node-a"), EventCodec.rosterRequest("node-a"),
                EventCodec.encode("node-a", new ChatEvent.QueueChanged(List.of(queued))),
                EventCodec.encode("node-a", RoutingOutput.QueueStatus.of(List.of(queued), java.util.Arrays.asList(5))))) {
            assertThat(EventCodec.sentBy("node-a", json)).as(json).isTrue();
            assertThat(EventCodec.sentBy("node-b", json)).as(json).isFalse();
            assertThat(EventCodec.sentBy("node-", json)).as(json).isFalse();
            assertThat(EventCodec.sentBy("node-a", json.replace("node-a", "node-ab"))).as(json).isFalse();
        }
        assertThat(EventCodec.sentBy("no\"de", EventCodec.heartbeat("no\"de"))).isTrue();
    }

    @Test
    void aNodesRosterTravelsWithoutPasswordHashes() throws Exception {
        Agent agent = new Agent("ag_1", "kim@example.com", "김상담", Agent.Role.AGENT, "$argon2id$secret-hash", T, null);
        String json = EventCodec.encode("node-c", new Roster(List.of(new Roster.Entry(agent, 3, ChatEvent.Presence.AWAY, 2,
                ChatEvent.PresenceSet.MISSED_OFFERS))));
        assertThat(json).doesNotContain("argon2id");
        EventCodec.Envelope envelope = EventCodec.decode(json);
        assertThat(envelope.roster()).isEqualTo(new Roster(List.of(new Roster.Entry(
                new Agent("ag_1", "kim@example.com", "김상담", Agent.Role.AGENT, null, T, null), 3, ChatEvent.Presence.AWAY, 2,
                ChatEvent.PresenceSet.MISSED_OFFERS))));
    }

    /** A node of the version before the reason sends rosters without it: read as no reason. */
    @Test
    void aRosterWithoutReasonsIsReadAsNone() throws Exception {
        Agent agent = new Agent("ag_1", "kim@example.com", "김상담", Agent.Role.AGENT, null, T, null);
        String json = EventCodec.encode("node-c", new Roster(List.of(new Roster.Entry(agent, 3, ChatEvent.Presence.AWAY, 1))))
                .replace(",\"reason\":null", "");
        assertThat(json).doesNotContain("reason");
        assertThat(EventCodec.decode(json).roster().agents().get(0).reason()).isNull();
    }

    @Test
    void aHeartbeatHasNoEventAndStrangersAreRefused() throws Exception {
        EventCodec.Envelope beat = EventCodec.decode(EventCodec.heartbeat("node-b"));
        assertThat(beat.node()).isEqualTo("node-b");
        assertThat(beat.event()).isNull();
        assertThatThrownBy(() -> EventCodec.decode("{\"node\":\"x\",\"type\":\"ClockTicked\",\"event\":{}}"))
                .hasMessageContaining("not a relayed event");
        assertThatThrownBy(() -> EventCodec.decode("{\"type\":\"heartbeat\"}")).hasMessageContaining("no node");
        assertThatThrownBy(() -> EventCodec.decode("not json")).isInstanceOf(Exception.class);
    }

    @Test
    void theBotsNoticesSayOnlyWhatChanged() throws Exception {
        EventCodec.Envelope faq = EventCodec.decode(EventCodec.botChanged("node-a", dev.sodam.server.faq.BotPeers.Change.FAQ));
        assertThat(faq.node()).isEqualTo("node-a");
        assertThat(faq.type()).isEqualTo(EventCodec.FAQ_CHANGED);
        assertThat(faq.event()).isNull();
        EventCodec.Envelope thresholds = EventCodec.decode(EventCodec.botChanged("node-a",
                dev.sodam.server.faq.BotPeers.Change.THRESHOLDS));
        assertThat(thresholds.type()).isEqualTo(EventCodec.THRESHOLDS_CHANGED);
        assertThat(thresholds.output()).isNull();
        assertThat(thresholds.roster()).isNull();
    }

    @Test
    void aRevocationCarriesTheAccountItsTokensOrNoneForAllAndTheReason() throws Exception {
        EventCodec.Envelope some = EventCodec.decode(EventCodec.encode("node-a",
                new EventCodec.Revocation("ag_1", java.util.Set.of("ab12", "cd34"), "session revoked")));
        assertThat(some.node()).isEqualTo("node-a");
        assertThat(some.type()).isEqualTo(EventCodec.ACCESS_REVOKED);
        assertThat(some.revocation()).isEqualTo(new EventCodec.Revocation("ag_1", java.util.Set.of("ab12", "cd34"),
                "session revoked"));
        assertThat(some.event()).isNull();
        EventCodec.Envelope all = EventCodec.decode(EventCodec.encode("node-a",
                new EventCodec.Revocation("ag_1", null, "account disabled")));
        assertThat(all.revocation().tokenHashes()).as("every token of the account").isNull();
        assertThatThrownBy(() -> EventCodec.decode("{\"node\":\"x\",\"type\":\"accessRevoked\",\"revocation\":{}}"))
                .hasMessageContaining("not a relayed event");
    }

    @Test
    void theChannelIsNamedAfterTheSharedDatabase() {
        assertThat(RedisFanout.channelFor("jdbc:postgresql://db.internal:5432/shop?sslmode=verify-full"))
                .isEqualTo("sodam:shop:events");
        assertThat(RedisFanout.channelFor("jdbc:postgresql://10.0.0.5/sodam")).isEqualTo("sodam:sodam:events");
    }
}
