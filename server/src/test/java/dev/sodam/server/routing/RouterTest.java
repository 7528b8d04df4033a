package dev.sodam.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sodam.server.auth.Principal.AgentPrincipal;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Site;
import dev.sodam.server.store.SqliteStore;
import dev.sodam.server.testing.DomainThread;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.util.Ids;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing over the real service and a real SQLite file, with a manual clock: every timer (offer
 * deadline, presence grace) fires because the test moves time, never because it sleeps.
 */
class RouterTest {
    static final RoutingSettings SETTINGS = new RoutingSettings(2, Duration.ofSeconds(30), 3, Duration.ofSeconds(20));

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    SqliteStore store;
    ConversationService service;
    Router router;
    final Recorded recorded = new Recorded();

    /** What the router asked for, recorded; requeues are carried out for real through the service. */
    final class Recorded implements RoutingActions {
        record OfferMade(String agentId, String conversationId, Instant expiresAt) {
        }

        final List<OfferMade> offers = Collections.synchronizedList(new ArrayList<>());
        final List<String> withdrawn = Collections.synchronizedList(new ArrayList<>());
        final List<String> unplaced = Collections.synchronizedList(new ArrayList<>());
        /** "agentId:status" or "agentId:status:reason", each presence told. */
        final List<String> presences = Collections.synchronizedList(new ArrayList<>());
        volatile List<Integer> lastEtas = List.of();
        volatile List<Conversation> lastQueue = List.of();

        @Override
        public void offer(String agentId, Conversation conversation, int queuePosition, Instant expiresAt) {
            offers.add(new OfferMade(agentId, conversation.id(), expiresAt));
        }

        @Override
        public void offerWithdrawn(String agentId, String conversationId, String reason) {
            withdrawn.add(agentId + ":" + conversationId + ":" + reason);
        }

        @Override
        public void presence(String agentId, String agentName, Presence presence, int load, int cap, String reason) {
            presences.add(agentId + ":" + presence.wire() + (reason == null ? "" : ":" + reason));
        }

        @Override
        public void queueStatus(List<Conversation> queue, List<Integer> etaSeconds) {
            lastQueue = queue;
            lastEtas = etaSeconds;
        }

        @Override
        public void unplaced(Conversation conversation, int attempts) {
            unplaced.add(conversation.id());
        }

        @Override
        public void requeue(String agentId) {
            service.requeueAgent(agentId, Replies.of(r -> { }, e -> { }));
        }

        /** Carried out for real too: the committed presence change comes back to the router as an event. */
        @Override
        public void awayForMissedOffers(String agentId, int missed) {
            service.setPresence(agentId, Presence.AWAY, ChatEvent.PresenceSet.MISSED_OFFERS, Replies.of(p -> { }, e -> { }));
        }

        OfferMade lastOffer() {
            return offers.get(offers.size() - 1);
        }
    }

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        EventBus bus = new EventBus();
        service = new ConversationService(store, bus, clock, new Ids(clock), SETTINGS);
        router = new Router(SETTINGS, recorded, clock);
        bus.subscribe(router);
        Replies.<Void>future(r -> service.execute(tx -> {
            tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
            return null;
        }, r)).join();
    }

    @AfterEach
    void close() {
        service.close();
        store.close();
    }


    private AgentPrincipal agent(String name) {
        // A hash in argon2's format: an account with a password set, not a pending invitation.
        Agent agent = new Agent("ag_" + name, name + "@sodam.test", name, Agent.Role.AGENT, "$argon2id$test",
                clock.instant());
        Replies.<Void>future(r -> service.execute(tx -> {
            tx.insertAgent(agent);
            return null;
        }, r)).join();
        return new AgentPrincipal(agent);
    }

    private AgentPrincipal online(String name) {
        AgentPrincipal agent = agent(name);
        Replies.<Integer>future(r -> service.agentConnected(agent, r)).join();
        DomainThread.settle(service);
        return agent;
    }

    private String handoff() {
        VisitorPrincipal visitor = new VisitorPrincipal(Replies.<Results.VisitorHello>future(r ->
                service.helloVisitor("demo", null, "ko", null, 0, r)).join().visitor());
        String id = Replies.<Results.Posted>future(r -> service.post(visitor, null, "c-1", "상담원 연결", null, r))
                .join().conversation().id();
        Replies.<Conversation>future(r -> service.requestHandoff(visitor, id, HandoffReason.VISITOR_ASKED, r)).join();
        DomainThread.settle(service);
        return id;
    }

    private void pass(Duration time) {
        clock.advance(time);
        service.tick();
        DomainThread.settle(service);
    }

    private Conversation accept(AgentPrincipal agent, String conversationId) {
        Conversation c = Replies.<Conversation>future(r -> service.accept(agent, conversationId, r)).join();
        DomainThread.settle(service);
        return c;
    }

    private Conversation stored(String id) {
        return store.read(tx -> tx.conversation(id)).orElseThrow();
    }

    @Test
    void aChatAcceptedInTheBatchThatFreesAnotherAgentIsNotOfferedToThem() {
        // Regression: the router's queue mirror is only replaced by the batch's QueueChanged, published after
        // the batch's other events. An accept and a resolve in one batch made the resolve's dispatch offer
        // the chat just accepted (its offer already gone) to the agent whose place had freed: a ghost offer,
        // withdrawn a moment later, and a conflict for the agent who clicked it (QueueCrowd --agents).
        AgentPrincipal kim = online("kim");
        List<String> kims = new ArrayList<>();
        for (int i = 0; i < SETTINGS.defaultCap(); i++) {
            String held = handoff();
            accept(kim, held);
            kims.add(held);
        }
        AgentPrincipal lee = online("lee");
        String x = handoff();
        assertThat(recorded.lastOffer().agentId()).isEqualTo(lee.agent().id());
        assertThat(recorded.lastOffer().conversationId()).isEqualTo(x);
        int before = recorded.offers.size();

        java.util.concurrent.CountDownLatch release = DomainThread.hold(service);
        java.util.concurrent.CompletableFuture<Conversation> accepted =
                Replies.<Conversation>future(r -> service.accept(lee, x, r));
        java.util.concurrent.CompletableFuture<Conversation> resolved =
                Replies.<Conversation>future(r -> service.resolve(kim, kims.get(0), r));
        release.countDown();
        accepted.join();
        resolved.join();
        DomainThread.settle(service);

        assertThat(stored(x).agentId()).isEqualTo(lee.agent().id());
        assertThat(recorded.offers.subList(before, recorded.offers.size())).extracting(o -> o.conversationId())
                .doesNotContain(x);
        assertThat(recorded.withdrawn).noneMatch(w -> w.endsWith(":" + x + ":taken"));
    }

    @Test
    void anOfferGoesToTheLeastLoadedOnlineAgentAndTiesGoToTheOneIdleLongest() {
        AgentPrincipal kim = online("kim");
        clock.advance(Duration.ofSeconds(1));
        AgentPrincipal lee = online("lee");
        String first = handoff();
        assertThat(recorded.lastOffer().agentId()).as("both idle: kim has been idle longer").isEqualTo(kim.agent().id());
        accept(kim, first);
        String second = handoff();
        assertThat(recorded.lastOffer()).extracting(o -> o.agentId(), o -> o.conversationId())
                .containsExactly(lee.agent().id(), second);
        assertThat(recorded.lastOffer().expiresAt()).isEqualTo(clock.instant().plus(SETTINGS.offerTimeout()));
    }

    @Test
    void anOfferNotAcceptedInTimeGoesToTheNextAgent() {
        AgentPrincipal kim = online("kim");
        clock.advance(Duration.ofSeconds(1));
        AgentPrincipal lee = online("lee");
        String id = handoff();
        assertThat(recorded.lastOffer().agentId()).isEqualTo(kim.agent().id());
        pass(Duration.ofSeconds(29));
        assertThat(recorded.offers).hasSize(1);
        pass(Duration.ofSeconds(1));
        assertThat(recorded.withdrawn).containsExactly(kim.agent().id() + ":" + id + ":timeout");
        assertThat(recorded.lastOffer().agentId()).isEqualTo(lee.agent().id());
        accept(lee, id);
        assertThat(stored(id).agentId()).isEqualTo(lee.agent().id());
        assertThat(router.load(lee.agent().id()).orElseThrow().assigned()).isEqualTo(1);
    }

    @Test
    void afterTheLastFailedOfferTheChatStaysQueuedAndSupervisorsAreAlerted() {
        restart(SETTINGS.withAwayAfterMissedOffers(0)); // kim stays online through every missed offer
        online("kim");
        String id = handoff();
        for (int i = 0; i < SETTINGS.maxOfferAttempts(); i++) {
            pass(SETTINGS.offerTimeout());
        }
        assertThat(recorded.unplaced).containsExactly(id);
        int offersSoFar = recorded.offers.size();
        assertThat(offersSoFar).isEqualTo(SETTINGS.maxOfferAttempts());
        pass(SETTINGS.offerTimeout());
        assertThat(recorded.offers).as("no more automatic offers").hasSize(offersSoFar);
        assertThat(stored(id).state()).isEqualTo(ConversationState.QUEUED);
    }

    @Test
    void aChatItsOnlyAgentLetGoIsOfferedToAnAgentWhoComesOnlineLater() {
        AgentPrincipal kim = online("kim");
        String id = handoff();
        for (int i = 0; i < SETTINGS.maxOfferAttempts(); i++) {
            if (i > 0) {
                pass(SETTINGS.declineCooldown()); // offered to kim again only after the cool-off
            }
            assertThat(recorded.lastOffer().agentId()).isEqualTo(kim.agent().id());
            decline(kim, id);
        }
        assertThat(recorded.unplaced).containsExactly(id);
        int offersSoFar = recorded.offers.size();
        pass(SETTINGS.offerTimeout());
        assertThat(recorded.offers).as("kim let it go three times: not offered to kim again").hasSize(offersSoFar);

        // Lee comes on shift: the chat is offered to him (not just listed), once he lets it go too, no more.
        AgentPrincipal lee = online("lee");
        assertThat(recorded.offers).hasSize(offersSoFar + 1);
        assertThat(recorded.lastOffer()).extracting(o -> o.agentId(), o -> o.conversationId())
                .containsExactly(lee.agent().id(), id);
        pass(SETTINGS.offerTimeout());
        pass(SETTINGS.offerTimeout());
        assertThat(recorded.offers).as("one offer per agent who never had it").hasSize(offersSoFar + 1);
        assertThat(recorded.unplaced).as("the alert is not repeated").containsExactly(id);
        assertThat(stored(id).state()).isEqualTo(ConversationState.QUEUED);

        AgentPrincipal park = online("park");
        assertThat(recorded.lastOffer().agentId()).isEqualTo(park.agent().id());
        accept(park, id);
        assertThat(stored(id).agentId()).isEqualTo(park.agent().id());
    }

    private void decline(AgentPrincipal agent, String conversationId) {
        Replies.<Conversation>future(r -> service.decline(agent, conversationId, r)).join();
        DomainThread.settle(service);
    }

    /**
     * Regression: an agent alone online who declined a chat was offered the same chat again at once (a
     * declined offer started the next round, and they were the whole round). Now they are not offered it
     * for the cool-off, it stays queued where it was (the visitor's place and ETA do not move), and a
     * tick after the cool-off offers it to them again.
     */
    @Test
    void aLoneAgentWhoDeclinesAChatIsNotOfferedItBackUntilTheCoolOffEnds() {
        AgentPrincipal kim = online("kim");
        String id = handoff();
        assertThat(recorded.offers).hasSize(1);
        decline(kim, id);
        assertThat(recorded.withdrawn).containsExactly(kim.agent().id() + ":" + id + ":declined");
        assertThat(recorded.offers).as("not bounced straight back").hasSize(1);

        pass(SETTINGS.declineCooldown().minusSeconds(1));
        assertThat(recorded.offers).as("still cooling off").hasSize(1);
        assertThat(recorded.unplaced).as("one decline is no alert").isEmpty();
        assertThat(stored(id).state()).isEqualTo(ConversationState.QUEUED);
        assertThat(recorded.lastQueue).extracting(Conversation::id).as("still first in line").containsExactly(id);

        pass(Duration.ofSeconds(1));
        assertThat(recorded.offers).hasSize(2);
        assertThat(recorded.lastOffer()).extracting(o -> o.agentId(), o -> o.conversationId())
                .containsExactly(kim.agent().id(), id);
    }

    @Test
    void aChatDeclinedMomentsAgoCanStillBeTakenFromTheQueueByHand() {
        AgentPrincipal kim = online("kim");
        String id = handoff();
        decline(kim, id);
        pass(Duration.ofSeconds(5));
        accept(kim, id);
        assertThat(stored(id).agentId()).isEqualTo(kim.agent().id());
        pass(SETTINGS.declineCooldown());
        assertThat(recorded.offers).as("taken: nothing left to offer").hasSize(1);
    }

    @Test
    void decliningOneChatDoesNotHoldBackTheNextOne() {
        AgentPrincipal kim = online("kim");
        String first = handoff();
        decline(kim, first);
        String second = handoff();
        assertThat(recorded.lastOffer()).extracting(o -> o.agentId(), o -> o.conversationId())
                .containsExactly(kim.agent().id(), second);
        assertThat(recorded.offers).extracting(o -> o.conversationId()).containsExactly(first, second);
    }

    @Test
    void aColleagueIsOfferedADeclinedChatAtOnceAndTheDeclinerOnlyAfterTheCoolOff() {
        AgentPrincipal kim = online("kim");
        clock.advance(Duration.ofSeconds(1));
        AgentPrincipal lee = online("lee");
        String id = handoff();
        decline(kim, id);
        assertThat(recorded.lastOffer().agentId()).isEqualTo(lee.agent().id());
        pass(Duration.ofSeconds(10));
        decline(lee, id);
        assertThat(recorded.offers).as("both declined: nobody left for now").hasSize(2);
        pass(SETTINGS.declineCooldown().minusSeconds(10));
        assertThat(recorded.offers).hasSize(3);
        assertThat(recorded.lastOffer().agentId()).as("kim's cool-off ended first").isEqualTo(kim.agent().id());
    }

    @Test
    void withNoCoolOffADeclinedChatIsOfferedAgainAtOnce() {
        restart(new RoutingSettings(SETTINGS.defaultCap(), SETTINGS.offerTimeout(), SETTINGS.maxOfferAttempts(),
                SETTINGS.presenceGrace(), Duration.ZERO));
        AgentPrincipal kim = online("kim");
        String id = handoff();
        decline(kim, id);
        assertThat(recorded.offers).hasSize(2);
        assertThat(recorded.lastOffer().conversationId()).isEqualTo(id);
    }

    @Test
    void aDeclinedOfferGoesToTheNextAgentAtOnce() {
        AgentPrincipal kim = online("kim");
        clock.advance(Duration.ofSeconds(1));
        AgentPrincipal lee = online("lee");
        String id = handoff();
        Replies.<Conversation>future(r -> service.decline(kim, id, r)).join();
        DomainThread.settle(service);
        assertThat(recorded.withdrawn).containsExactly(kim.agent().id() + ":" + id + ":declined");
        assertThat(recorded.lastOffer().agentId()).isEqualTo(lee.agent().id());
    }

    /** Moves time and waits out what the timers set off two commits deep (the away, then the requeue). */
    private void passAndSettle(Duration time) {
        pass(time);
        DomainThread.settle(service);
    }

    private void setPresence(AgentPrincipal agent, Presence presence) {
        Replies.<Presence>future(r -> service.setPresence(agent, presence, r)).join();
        DomainThread.settle(service);
    }

    private Presence presenceOf(AgentPrincipal agent) {
        return router.load(agent.agent().id()).orElseThrow().presence();
    }

    /**
     * Regression: an agent who walked away from an open console stayed online, so every new round offered
     * them the chat again and each visitor waited out the offer for nothing. Two offers in a row let time
     * out (routing.awayAfterMissedOffers, default 2) now set them away, as their own "away" would: the
     * offer they still had is withdrawn, they get no more, and the console is told why.
     */
    @Test
    void anAgentWhoLetsTwoOffersInARowTimeOutIsSetAwayAndTheirOtherOfferIsWithdrawn() {
        assertThat(SETTINGS.awayAfterMissedOffers()).isEqualTo(2);
        AgentPrincipal kim = online("kim");
        String k = kim.agent().id();
        String a = handoff();
        pass(Duration.ofSeconds(10));
        String b = handoff();
        assertThat(recorded.offers).extracting(o -> o.conversationId()).containsExactly(a, b);

        pass(Duration.ofSeconds(20)); // a times out (one miss): a new round offers it to kim again
        assertThat(recorded.withdrawn).containsExactly(k + ":" + a + ":timeout");
        assertThat(recorded.offers).extracting(o -> o.conversationId()).containsExactly(a, b, a);
        assertThat(presenceOf(kim)).isEqualTo(Presence.ONLINE);

        passAndSettle(Duration.ofSeconds(10)); // b times out: the second miss in a row
        assertThat(recorded.withdrawn).containsExactly(k + ":" + a + ":timeout", k + ":" + b + ":timeout",
                k + ":" + a + ":presence");
        assertThat(presenceOf(kim)).isEqualTo(Presence.AWAY);
        assertThat(recorded.presences).contains(k + ":away:missed_offers");
        assertThat(router.load(k).orElseThrow().offered()).isZero();

        passAndSettle(SETTINGS.offerTimeout().multipliedBy(3));
        assertThat(recorded.offers).as("no more offers to an agent who is away").hasSize(3);
        assertThat(recorded.lastQueue).extracting(Conversation::id).as("both still waiting, in order")
                .containsExactly(a, b);

        // A colleague on shift is offered them at once.
        AgentPrincipal lee = online("lee");
        assertThat(recorded.offers.subList(3, recorded.offers.size()))
                .extracting(o -> o.agentId(), o -> o.conversationId())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(lee.agent().id(), a),
                        org.assertj.core.groups.Tuple.tuple(lee.agent().id(), b));
    }

    @Test
    void anAgentSetAwayForMissedOffersLosesTheirChatsToTheQueueAsWhenTheySetThemselvesAway() {
        AgentPrincipal kim = online("kim");
        String mine = handoff();
        accept(kim, mine);
        clock.advance(Duration.ofSeconds(5));
        String waiting = handoff();
        passAndSettle(SETTINGS.offerTimeout());
        passAndSettle(SETTINGS.offerTimeout());
        assertThat(presenceOf(kim)).isEqualTo(Presence.AWAY);
        List<Conversation> queue = store.read(tx -> tx.queue());
        assertThat(queue).extracting(Conversation::id).containsExactly(mine, waiting);
        assertThat(queue).allSatisfy(c -> assertThat(c.agentId()).isNull());
        assertThat(router.load(kim.agent().id()).orElseThrow().assigned()).isZero();
    }

    private void connect(AgentPrincipal agent) {
        Replies.<Integer>future(r -> service.agentConnected(agent, r)).join();
        DomainThread.settle(service);
    }

    private String lastPresence() {
        return recorded.presences.get(recorded.presences.size() - 1);
    }

    /**
     * Regression: only the presence frame of the change said why, so a console connecting afterwards (a
     * reload, a second tab) showed "away" without the notice. The router keeps the reason until the next
     * presence change and tells it with every presence of the agent meanwhile: the requeue's load change,
     * another connection, a reload within the grace period; not after the grace ran out, nor once the
     * agent chose a presence themselves.
     */
    @Test
    void theReasonForMissedOffersIsToldWithEveryPresenceUntilThePresenceChanges() {
        AgentPrincipal kim = online("kim");
        String k = kim.agent().id();
        String mine = handoff();
        accept(kim, mine);
        clock.advance(Duration.ofSeconds(5));
        handoff();
        passAndSettle(SETTINGS.offerTimeout());
        passAndSettle(SETTINGS.offerTimeout());
        assertThat(presenceOf(kim)).isEqualTo(Presence.AWAY);
        int set = recorded.presences.indexOf(k + ":away:missed_offers");
        assertThat(set).isNotNegative();
        assertThat(recorded.presences.subList(set, recorded.presences.size()))
                .as("the requeue's load change says it too").hasSizeGreaterThan(1)
                .allMatch(p -> p.equals(k + ":away:missed_offers"));

        connect(kim); // a second tab
        assertThat(lastPresence()).isEqualTo(k + ":away:missed_offers");
        service.agentDisconnected(k);
        service.agentDisconnected(k);
        DomainThread.settle(service);
        pass(SETTINGS.presenceGrace().minusSeconds(1));
        connect(kim); // the page reloaded in time: still away, still why
        assertThat(lastPresence()).isEqualTo(k + ":away:missed_offers");

        setPresence(kim, Presence.ONLINE);
        assertThat(lastPresence()).isEqualTo(k + ":online");
        setPresence(kim, Presence.AWAY); // their own choice
        connect(kim);
        assertThat(lastPresence()).as("no reason for their own away").isEqualTo(k + ":away");

        // Set away again, then gone past the grace period: offline, and the reason with it.
        setPresence(kim, Presence.ONLINE);
        passAndSettle(SETTINGS.offerTimeout());
        passAndSettle(SETTINGS.offerTimeout());
        assertThat(lastPresence()).isEqualTo(k + ":away:missed_offers");
        service.agentDisconnected(k);
        service.agentDisconnected(k);
        DomainThread.settle(service);
        passAndSettle(SETTINGS.presenceGrace());
        assertThat(presenceOf(kim)).isEqualTo(Presence.OFFLINE);
        connect(kim);
        assertThat(lastPresence()).as("a fresh start").isEqualTo(k + ":online");
    }

    @Test
    void aDeclineBetweenMissedOffersStartsTheCountAgain() {
        AgentPrincipal kim = online("kim");
        String a = handoff();
        pass(SETTINGS.offerTimeout()); // one miss; a is offered to kim again
        String b = handoff();
        decline(kim, b);               // an answer: kim is there
        passAndSettle(SETTINGS.offerTimeout()); // a times out again: one miss since the decline
        assertThat(presenceOf(kim)).isEqualTo(Presence.ONLINE);
        assertThat(recorded.presences).noneMatch(p -> p.endsWith("missed_offers"));
        assertThat(recorded.withdrawn).containsExactly(kim.agent().id() + ":" + a + ":timeout",
                kim.agent().id() + ":" + b + ":declined", kim.agent().id() + ":" + a + ":timeout");
    }

    @Test
    void anAcceptBetweenMissedOffersStartsTheCountAgain() {
        AgentPrincipal kim = online("kim");
        String a = handoff();
        pass(SETTINGS.offerTimeout()); // one miss; a is offered to kim again
        accept(kim, a);
        String b = handoff();
        passAndSettle(SETTINGS.offerTimeout()); // one miss since the accept
        assertThat(recorded.withdrawn).containsExactly(kim.agent().id() + ":" + a + ":timeout",
                kim.agent().id() + ":" + b + ":timeout");
        assertThat(presenceOf(kim)).isEqualTo(Presence.ONLINE);
        assertThat(recorded.presences).noneMatch(p -> p.endsWith("missed_offers"));
    }

    @Test
    void aChatTakenFromTheQueueByHandBetweenMissedOffersStartsTheCountAgain() {
        AgentPrincipal kim = online("kim");
        clock.advance(Duration.ofSeconds(1));
        AgentPrincipal lee = online("lee");
        String a = handoff();
        pass(SETTINGS.offerTimeout()); // kim's first miss: a goes to lee
        assertThat(recorded.lastOffer().agentId()).isEqualTo(lee.agent().id());
        accept(kim, a);                // kim takes it from the queue by hand
        String b = handoff();
        String c = handoff();
        assertThat(recorded.offers.subList(recorded.offers.size() - 2, recorded.offers.size()))
                .extracting(o -> o.agentId(), o -> o.conversationId())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(lee.agent().id(), b),
                        org.assertj.core.groups.Tuple.tuple(kim.agent().id(), c));
        passAndSettle(SETTINGS.offerTimeout()); // kim lets c time out: one miss since the take
        assertThat(recorded.withdrawn).contains(kim.agent().id() + ":" + c + ":timeout");
        assertThat(presenceOf(kim)).isEqualTo(Presence.ONLINE);
        assertThat(recorded.presences).noneMatch(p -> p.endsWith("missed_offers"));
    }

    @Test
    void anAgentWhoComesBackOnlineAfterBeingSetAwayIsOfferedChatsAgainWithTheCountStartedAfresh() {
        AgentPrincipal kim = online("kim");
        String a = handoff();
        passAndSettle(SETTINGS.offerTimeout());
        passAndSettle(SETTINGS.offerTimeout());
        assertThat(presenceOf(kim)).isEqualTo(Presence.AWAY);
        int offersSoFar = recorded.offers.size();

        setPresence(kim, Presence.ONLINE);
        assertThat(recorded.presences.get(recorded.presences.size() - 1))
                .as("their own choice carries no reason").isEqualTo(kim.agent().id() + ":online");
        assertThat(recorded.offers).hasSize(offersSoFar + 1);
        assertThat(recorded.lastOffer().conversationId()).isEqualTo(a);
        passAndSettle(SETTINGS.offerTimeout().minusSeconds(1));
        passAndSettle(Duration.ofSeconds(1)); // one miss since coming back: not enough
        assertThat(presenceOf(kim)).isEqualTo(Presence.ONLINE);
    }

    @Test
    void withAwayAfterMissedOffersZeroAnAgentWhoMissesOffersStaysOnline() {
        restart(SETTINGS.withAwayAfterMissedOffers(0));
        AgentPrincipal kim = online("kim");
        String a = handoff();
        passAndSettle(SETTINGS.offerTimeout());
        passAndSettle(SETTINGS.offerTimeout());
        assertThat(presenceOf(kim)).isEqualTo(Presence.ONLINE);
        assertThat(recorded.offers).extracting(o -> o.conversationId()).as("offered round after round")
                .containsExactly(a, a, a);
        assertThat(recorded.presences).noneMatch(p -> p.endsWith("missed_offers"));
    }

    @Test
    void anAgentWhoGoesAwayLosesTheirChatsToTheQueueInTheirOriginalOrder() {
        AgentPrincipal kim = online("kim");
        String first = handoff();
        clock.advance(Duration.ofSeconds(5));
        String second = handoff();
        accept(kim, first);
        accept(kim, second);
        clock.advance(Duration.ofSeconds(5));
        String third = handoff(); // waits: kim is full (cap 2)
        assertThat(recorded.offers).extracting(o -> o.conversationId()).doesNotContain(third);

        Replies.<Presence>future(r -> service.setPresence(kim, Presence.AWAY, r)).join();
        DomainThread.settle(service);
        List<Conversation> queue = store.read(tx -> tx.queue());
        assertThat(queue).hasSize(3);
        assertThat(queue).extracting(Conversation::id).containsExactly(first, second, third);
        assertThat(queue).allSatisfy(c -> assertThat(c.agentId()).isNull());
        assertThat(router.load(kim.agent().id()).orElseThrow().assigned()).isZero();

        // A colleague comes online and is offered the queue from the top, up to their cap.
        AgentPrincipal lee = online("lee");
        assertThat(recorded.offers.subList(recorded.offers.size() - 2, recorded.offers.size()))
                .extracting(o -> o.agentId(), o -> o.conversationId())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(lee.agent().id(), first),
                        org.assertj.core.groups.Tuple.tuple(lee.agent().id(), second));
    }

    @Test
    void aReloadWithinTheGracePeriodKeepsTheChatsButALongerAbsenceRequeuesThem() {
        AgentPrincipal kim = online("kim");
        String id = handoff();
        accept(kim, id);

        service.agentDisconnected(kim.agent().id());
        DomainThread.settle(service);
        pass(Duration.ofSeconds(10));
        Replies.<Integer>future(r -> service.agentConnected(kim, r)).join();
        DomainThread.settle(service);
        pass(Duration.ofSeconds(30));
        assertThat(stored(id).state()).as("reloaded in time").isEqualTo(ConversationState.ASSIGNED);

        service.agentDisconnected(kim.agent().id());
        DomainThread.settle(service);
        pass(SETTINGS.presenceGrace());
        Conversation back = stored(id);
        assertThat(back.state()).isEqualTo(ConversationState.QUEUED);
        assertThat(back.agentId()).isNull();
        assertThat(router.load(kim.agent().id()).orElseThrow().presence()).isEqualTo(Presence.OFFLINE);
    }

    /**
     * The presence the transfer dialog shows agrees with {@link Router#online}, which transfer checks: only a
     * connected agent can be online or away; anyone without an open connection is offline, also during
     * the grace period after a disconnect (a chat handed to them now would wait for nobody).
     */
    @Test
    void presenceForTransfersIsOfflineWithoutAConnection() {
        AgentPrincipal kim = online("kim");
        AgentPrincipal never = agent("never");
        String kimId = kim.agent().id();
        assertThat(router.presence(never.agent().id())).isEqualTo(Presence.OFFLINE);
        assertThat(router.presence("ag_nobody")).isEqualTo(Presence.OFFLINE);
        assertThat(router.presence(kimId)).isEqualTo(Presence.ONLINE);
        assertThat(router.online(kimId)).isTrue();

        Replies.<Presence>future(r -> service.setPresence(kim, Presence.AWAY, r)).join();
        DomainThread.settle(service);
        assertThat(router.presence(kimId)).isEqualTo(Presence.AWAY);
        assertThat(router.online(kimId)).isFalse();

        service.agentDisconnected(kimId);
        DomainThread.settle(service);
        assertThat(router.presence(kimId)).as("in the grace period, not connected").isEqualTo(Presence.OFFLINE);
        assertThat(Availability.UNKNOWN.presence(kimId)).as("no router: everyone counts as there")
                .isEqualTo(Presence.ONLINE);
    }

    private Conversation transfer(AgentPrincipal from, String conversationId, AgentPrincipal to) {
        Conversation c = Replies.<Conversation>future(r -> service.transfer(from, conversationId, to.agent().id(), null,
                null, r)).join();
        DomainThread.settle(service);
        return c;
    }

    /**
     * Defence in depth for the s28 bug: however a chat came to an agent who never connected (here a transfer
     * on a node that cannot tell who is online, as this test's service, which does not ask the router), the
     * agent gets the same grace period as after a disconnect, and then the chat goes back to the queue.
     */
    @Test
    void aChatHandedToAnAgentWhoNeverConnectsGoesBackToTheQueueAfterTheGracePeriod() {
        AgentPrincipal kim = online("kim");
        AgentPrincipal absent = agent("absent");
        String id = handoff();
        accept(kim, id);
        Instant waitingSince = stored(id).waitingSince();
        transfer(kim, id, absent);
        assertThat(stored(id).agentId()).isEqualTo(absent.agent().id());

        pass(SETTINGS.presenceGrace().minusSeconds(1));
        assertThat(stored(id).state()).as("still within the grace period").isEqualTo(ConversationState.ASSIGNED);
        pass(Duration.ofSeconds(1));
        Conversation back = stored(id);
        assertThat(back.state()).isEqualTo(ConversationState.QUEUED);
        assertThat(back.agentId()).isNull();
        assertThat(back.waitingSince()).as("at its original place").isEqualTo(waitingSince);
        assertThat(router.load(absent.agent().id()).orElseThrow().assigned()).isZero();
        assertThat(recorded.lastOffer().conversationId()).isEqualTo(id);
        assertThat(recorded.lastOffer().agentId()).as("offered to the agent who is online").isEqualTo(kim.agent().id());
    }

    @Test
    void anAgentWhoConnectsWithinTheGracePeriodKeepsAChatHandedToThemBefore() {
        AgentPrincipal kim = online("kim");
        AgentPrincipal late = agent("late");
        String id = handoff();
        accept(kim, id);
        transfer(kim, id, late);
        pass(Duration.ofSeconds(5));
        Replies.<Integer>future(r -> service.agentConnected(late, r)).join();
        DomainThread.settle(service);
        pass(SETTINGS.presenceGrace().multipliedBy(2));
        assertThat(stored(id).state()).isEqualTo(ConversationState.ASSIGNED);
        assertThat(stored(id).agentId()).isEqualTo(late.agent().id());
    }

    /** With the router as the judge (as SodamServer wires it), a transfer needs a target who is connected and online. */
    @Test
    void aTransferNeedsATargetWhoIsConnectedAndOnline() {
        service.checkAvailabilityWith(router);
        AgentPrincipal kim = online("kim");
        AgentPrincipal lee = agent("lee");
        String id = handoff();
        accept(kim, id);

        assertThatThrownBy(() -> transfer(kim, id, lee)).as("never connected")
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ChatException.class).extracting("code").isEqualTo(ErrorCode.CONFLICT);
        Replies.<Integer>future(r -> service.agentConnected(lee, r)).join();
        Replies.<Presence>future(r -> service.setPresence(lee, Presence.AWAY, r)).join();
        DomainThread.settle(service);
        assertThatThrownBy(() -> transfer(kim, id, lee)).as("away")
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ChatException.class).extracting("code").isEqualTo(ErrorCode.CONFLICT);
        assertThat(stored(id).agentId()).as("the chat stays with the sender").isEqualTo(kim.agent().id());

        Replies.<Presence>future(r -> service.setPresence(lee, Presence.ONLINE, r)).join();
        DomainThread.settle(service);
        assertThat(transfer(kim, id, lee).agentId()).isEqualTo(lee.agent().id());
        assertThat(transfer(lee, id, kim).agentId()).as("and back to kim, who is online").isEqualTo(kim.agent().id());
    }

    @Test
    void theCapHoldsForManualPicksToo() {
        AgentPrincipal kim = online("kim");
        List<String> ids = List.of(handoff(), handoff(), handoff());
        accept(kim, ids.get(0));
        accept(kim, ids.get(1));
        assertThatThrownBy(() -> Replies.<Conversation>future(r -> service.accept(kim, ids.get(2), r)).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ChatException.class).extracting("code").isEqualTo(ErrorCode.CONFLICT);
        List<Conversation> assigned = store.read(tx -> tx.assignedTo(kim.agent().id()));
        assertThat(assigned).hasSize(2);
    }

    @Test
    void aReturningAgentDrainsTheQueue() {
        String a = handoff();
        String b = handoff();
        assertThat(recorded.offers).isEmpty();
        AgentPrincipal kim = online("kim");
        assertThat(recorded.offers).extracting(o -> o.conversationId()).containsExactly(a, b);
        assertThat(recorded.offers).allSatisfy(o -> assertThat(o.agentId()).isEqualTo(kim.agent().id()));
    }

    @Test
    void theEtaComesFromHowFastTheQueueActuallyMoves() {
        AgentPrincipal kim = online("kim");
        Replies.<Integer>future(r -> service.agentConnected(kim, r)).join();
        String a = handoff();
        String b = handoff();
        String c = handoff();
        assertThat(recorded.lastEtas).as("no history yet").containsOnlyNulls();
        pass(Duration.ofSeconds(40));
        accept(kim, a);
        pass(Duration.ofSeconds(60));
        accept(kim, b);
        // Two dequeues 60 s apart: the one still waiting is first in line, about a minute away.
        assertThat(recorded.lastQueue).extracting(Conversation::id).containsExactly(c);
        assertThat(recorded.lastEtas).containsExactly(60);
    }

    /** Closes the service and store and starts over on the same SQLite file, as a server restart does. */
    private void restart() {
        restart(SETTINGS);
    }

    private void restart(RoutingSettings settings) {
        service.close();
        store.close();
        store = SqliteStore.open(dir);
        EventBus bus = new EventBus();
        service = new ConversationService(store, bus, clock, new Ids(clock), settings);
        router = new Router(settings, recorded, clock);
        bus.subscribe(router);
        recorded.lastEtas = List.of();
        recorded.lastQueue = List.of();
        Replies.<Void>future(r -> service.restoreRouting(r)).join();
        DomainThread.settle(service);
    }

    /**
     * Regression: after a restart the queue's ETA was gone until two more chats were accepted, because the
     * dequeue history lived only in memory. The router now starts from the accepts stored before it.
     */
    @Test
    void theEtaAfterARestartComesFromTheAcceptsStoredBeforeIt() {
        AgentPrincipal kim = online("kim");
        String a = handoff();
        String b = handoff();
        String c = handoff();
        pass(Duration.ofSeconds(40));
        accept(kim, a);
        pass(Duration.ofSeconds(60));
        accept(kim, b);

        clock.advance(Duration.ofSeconds(5));
        restart();
        assertThat(recorded.lastQueue).extracting(Conversation::id).as("restored").containsExactly(c);
        assertThat(recorded.lastEtas).as("two stored accepts 60 s apart").containsExactly(60);

        // The first visitor queued after the restart is second in line: about two minutes.
        String d = handoff();
        assertThat(recorded.lastQueue).extracting(Conversation::id).containsExactly(c, d);
        assertThat(recorded.lastEtas).containsExactly(60, 120);
    }

    @Test
    void acceptsOlderThanTheEtaWindowAreNotReadBackAfterARestart() {
        AgentPrincipal kim = online("kim");
        String a = handoff();
        String b = handoff();
        accept(kim, a);
        pass(Duration.ofSeconds(60));
        accept(kim, b);

        clock.advance(Router.ETA_WINDOW.plusSeconds(1));
        restart();
        handoff();
        assertThat(recorded.lastEtas).as("an hour-old throughput says nothing about now").containsOnlyNulls();
    }
}
