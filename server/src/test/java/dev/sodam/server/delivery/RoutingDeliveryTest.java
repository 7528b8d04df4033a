package dev.sodam.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.auth.Principal;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Visitor;
import dev.sodam.server.protocol.ServerFrame;
import dev.sodam.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What waiting visitors are told of their place: a new place at once near the front, held back behind
 * {@link RoutingDelivery#LIVE_PLACES} until the visitor's interval has passed and the node's budget
 * allows, and never lost: a place held back is told on a later tick.
 */
class RoutingDeliveryTest {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");
    private final MutableClock clock = new MutableClock(T);
    private final SessionRegistry sessions = new SessionRegistry();
    private final RoutingDelivery delivery = new RoutingDelivery(sessions, null, clock);
    /** Each visitor's status frames, in order. */
    private final Map<String, List<ServerFrame.Status>> told = new ConcurrentHashMap<>();

    /** A visitor's connection that keeps what it is sent. */
    private final class Tab implements Session {
        private final Principal principal;

        Tab(String visitorId) {
            principal = new Principal.VisitorPrincipal(new Visitor(visitorId, "demo", null, "ko", T));
        }

        @Override
        public Principal principal() {
            return principal;
        }

        @Override
        public void send(ServerFrame frame) {
            if (frame instanceof ServerFrame.Status status) {
                told.computeIfAbsent(((Principal.VisitorPrincipal) principal).visitor().id(),
                        id -> Collections.synchronizedList(new ArrayList<>())).add(status);
            }
        }

        @Override
        public void sendJson(String json) {
            throw new AssertionError("status frames are sent as frames");
        }
    }

    private List<Conversation> queueOf(int from, int to) {
        List<Conversation> queue = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String visitorId = "vi_" + i;
            if (sessions.visitor(visitorId).isEmpty()) {
                sessions.register(new Tab(visitorId));
            }
            queue.add(new Conversation("cv_" + i, "demo", visitorId, null, "ko", ConversationState.QUEUED, null, null, 1,
                    "상담원 연결", T, T, T, null, null, false, List.of(), 0));
        }
        return queue;
    }

    private static List<Integer> unknownEtas(int n) {
        return new ArrayList<>(Collections.nCopies(n, (Integer) null));
    }

    private int lastPlace(int visitor) {
        List<ServerFrame.Status> frames = told.getOrDefault("vi_" + visitor, List.of());
        return frames.isEmpty() ? 0 : frames.get(frames.size() - 1).queuePosition();
    }

    private int frames() {
        return told.values().stream().mapToInt(List::size).sum();
    }

    private void tick(Duration after) {
        clock.advance(after);
        delivery.on(new ChatEvent.ClockTicked(clock.instant()));
    }

    @Test
    void everyNewlyQueuedVisitorLearnsTheirPlaceAtOnce() {
        delivery.queueStatus(queueOf(0, 1_200), unknownEtas(1_200));

        assertThat(frames()).isEqualTo(1_200);
        assertThat(lastPlace(0)).isEqualTo(1);
        assertThat(lastPlace(1_199)).isEqualTo(1_200);
    }

    @Test
    void aDequeueWithThousandsWaitingNoLongerSendsEveryoneAFrame() {
        delivery.queueStatus(queueOf(0, 3_000), unknownEtas(3_000));
        told.clear();

        // The first visitor is taken: everyone behind moves up one place.
        delivery.queueStatus(queueOf(1, 3_000), unknownEtas(2_999));

        assertThat(frames()).as("only the live places are told within the interval").isEqualTo(RoutingDelivery.LIVE_PLACES);
        assertThat(lastPlace(1)).isEqualTo(1);
        assertThat(lastPlace(20)).isEqualTo(20);
        assertThat(lastPlace(21)).as("held back").isZero();
    }

    @Test
    void aPlaceHeldBackIsToldOnceTheIntervalHasPassedWithTheNewestPlace() {
        delivery.queueStatus(queueOf(0, 100), unknownEtas(100));
        told.clear();
        delivery.queueStatus(queueOf(1, 100), unknownEtas(99));
        delivery.queueStatus(queueOf(2, 100), unknownEtas(98));
        tick(Duration.ofSeconds(1));
        assertThat(lastPlace(50)).as("within the interval").isZero();

        tick(RoutingDelivery.DEEP_INTERVAL);

        assertThat(lastPlace(50)).isEqualTo(49);
        assertThat(told.get("vi_50")).as("two moves, one frame").hasSize(1);
        assertThat(lastPlace(99)).isEqualTo(98);
        assertThat(told.get("vi_20")).as("a live place, told at each move").hasSize(2);
        assertThat(lastPlace(20)).isEqualTo(19);
        assertThat(told.get("vi_21")).as("held back, then live").hasSize(1);
        assertThat(lastPlace(21)).isEqualTo(20);
    }

    @Test
    void heldBackPlacesGoOutWithinTheNodesBudgetFrontFirstAndNoneIsLost() {
        int waiting = 2_000;
        delivery.queueStatus(queueOf(0, waiting), unknownEtas(waiting));
        tick(RoutingDelivery.DEEP_INTERVAL);
        told.clear();

        delivery.queueStatus(queueOf(1, waiting), unknownEtas(waiting - 1));
        int first = frames() - RoutingDelivery.LIVE_PLACES;
        assertThat(first).as("the budget: a second's worth").isEqualTo(RoutingDelivery.DEEP_PER_SECOND);
        assertThat(lastPlace(RoutingDelivery.LIVE_PLACES + 1)).as("front first").isEqualTo(RoutingDelivery.LIVE_PLACES + 1);
        assertThat(lastPlace(waiting - 1)).isZero();

        List<Integer> perTick = new ArrayList<>();
        for (int i = 0; i < 10 && IntStream.range(1, waiting).anyMatch(v -> lastPlace(v) != v); i++) {
            int before = frames();
            tick(Duration.ofSeconds(1));
            perTick.add(frames() - before);
        }
        assertThat(perTick).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(RoutingDelivery.DEEP_PER_SECOND));
        assertThat(IntStream.range(1, waiting).filter(v -> lastPlace(v) != v).boxed().toList())
                .as("everyone knows their place in the end").isEmpty();
        assertThat(frames()).as("one frame each").isEqualTo(waiting - 1);
    }

    @Test
    void aTickWithNothingHeldBackTellsNobodyAnything() {
        delivery.queueStatus(queueOf(0, 50), unknownEtas(50));
        told.clear();

        tick(Duration.ofSeconds(30));

        assertThat(frames()).isZero();
    }

    @Test
    void anEtaThatChangesIsAChangedPlace() {
        delivery.queueStatus(queueOf(0, 30), unknownEtas(30));
        told.clear();
        List<Integer> etas = IntStream.rangeClosed(1, 30).mapToObj(p -> p * 60).collect(java.util.stream.Collectors.toList());

        delivery.queueStatus(queueOf(0, 30), etas);
        tick(RoutingDelivery.DEEP_INTERVAL);

        assertThat(frames()).isEqualTo(30);
        assertThat(told.get("vi_29").get(0).etaSeconds()).isEqualTo(1_800);
    }
}
