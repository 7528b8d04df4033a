package dev.sodam.server.routing;

import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.model.Conversation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which agent is offered which queued conversation. It is a listener of committed events
 * and runs on the domain thread, so it sees every change in commit order and needs no locks: its
 * picture of the queue and of each agent's load is a mirror of what is stored, and the stored
 * accept (which checks the cap against the database) has the last word.
 * <ul>
 *   <li>Offers go to the online agent with the lowest load (assigned + offered) below their cap;
 *       ties go to the agent idle longest.</li>
 *   <li>An offer not accepted in time (or declined) goes to the next agent; after
 *       {@code maxOfferAttempts} failures the conversation stays queued and supervisors are alerted.</li>
 *   <li>An agent who declined a chat is not offered that chat again for {@code declineCooldown}, also
 *       when nobody else could take it: "no" should not be answered by the same offer at once. They
 *       can still take it from the queue by hand.</li>
 *   <li>An agent who goes away or offline (or stays disconnected past the grace period) loses their
 *       offers, and their conversations go back to the queue in their original order.</li>
 *   <li>An agent who lets {@code awayAfterMissedOffers} offers in a row time out (no decline, accept or
 *       manual take between them, no presence change) has walked away from an open console: the router
 *       has them set away through the committed presence change an agent's own choice makes
 *       ({@link RoutingActions#awayForMissedOffers}, reason {@code missed_offers}), and acts on it as on
 *       theirs: other offers withdrawn, chats back to the queue, the console and supervisors told why
 *       (and told again whenever their presence is told, a connect included, until it changes). Until
 *       it arrives they get no new offers. 0 turns this off.</li>
 *   <li>Queue positions come with an ETA from recent actual dequeues, not a constant; after a restart
 *       from the accepts stored before it.</li>
 * </ul>
 */
public final class Router implements ChatEventListener, Availability {
    /** How many recent dequeues the ETA looks at, and how far back (also what a restart reads back from the store). */
    public static final int ETA_SAMPLES = 10;
    public static final Duration ETA_WINDOW = Duration.ofHours(1);

    private final RoutingSettings settings;
    private final RoutingActions actions;
    private final Clock clock;
    private final TeamDirectory teams;

    /** Per agent: what routing needs to know. */
    private static final class Slot {
        final String id;
        String name;
        int cap;
        /** The one site the agent's account serves, or null for every site (known once the agent connects). */
        String siteId;
        Presence presence = Presence.OFFLINE;
        int sessions;
        int load;
        final Set<String> offered = new HashSet<>();
        Instant idleSince;
        Instant graceDeadline;
        /** Offers this agent let time out one after another since their last decline, accept or presence change. */
        int missedInARow;
        /** Routing asked for them to be set away (missed offers); until that presence change arrives, no offers. */
        boolean goingAway;
        /**
         * Why the presence is what it is when routing changed it ({@code missed_offers}), until the next
         * presence change: every presence frame about them carries it meanwhile, so a console that connects
         * later (a reload, a second tab, a supervisor) is told why as well as the one that saw the change.
         */
        String reason;

        Slot(String id, String name, int cap, Instant now) {
            this.id = id;
            this.name = name;
            this.cap = cap;
            this.idleSince = now;
        }

        boolean available() {
            return presence == Presence.ONLINE && !goingAway && sessions > 0 && load + offered.size() < cap;
        }
    }

    private record Offer(String agentId, Instant deadline) {
    }

    /** Failed offers of one conversation: how many, to whom in the current round, and to whom ever. */
    private static final class Attempts {
        int failures;
        final Set<String> tried = new HashSet<>();
        /** Everyone who let it go (timeout or decline) since it was queued: once exhausted, only others get it. */
        final Set<String> failedBy = new HashSet<>();
        /** Who declined it, and until when they are not offered it again. */
        final Map<String, Instant> declinedUntil = new HashMap<>();
        boolean exhausted;

        boolean coolingOff(String agentId, Instant now) {
            Instant until = declinedUntil.get(agentId);
            return until != null && until.isAfter(now);
        }
    }

    private final Map<String, Slot> agents = new LinkedHashMap<>();
    private final Map<String, Offer> offers = new HashMap<>();
    private final Map<String, Attempts> attempts = new HashMap<>();
    private final Deque<Instant> dequeues = new ArrayDeque<>();
    private List<Conversation> queue = List.of();
    /**
     * Chats that left the queue since {@link #queue} was last replaced: a batch publishes its QueueChanged after
     * its other events, so a resolve in the batch of an accept dispatched over a queue that still held the chat
     * just taken, and offered it again (a ghost offer, withdrawn a moment later).
     */
    private final Set<String> leftQueue = new HashSet<>();

    public Router(RoutingSettings settings, RoutingActions actions, Clock clock) {
        this(settings, actions, clock, TeamDirectory.none());
    }

    /** With teams: a conversation of a team is offered only to its members, and only while the team is open. */
    public Router(RoutingSettings settings, RoutingActions actions, Clock clock, TeamDirectory teams) {
        this.settings = settings;
        this.actions = actions;
        this.clock = clock;
        this.teams = teams;
    }

    @Override
    public void on(ChatEvent event) {
        Instant now = clock.instant();
        if (event instanceof ChatEvent.RoutingRestored restored) {
            for (Conversation c : restored.assigned()) {
                Slot slot = slot(c.agentId(), c.agentName(), settings.defaultCap(), now);
                slot.load++;
                // Nobody is connected after a restart: give agents the grace period to come back.
                slot.graceDeadline = now.plus(settings.presenceGrace());
            }
            // The stored accepts stand in for the ones this router did not see, so the first visitor
            // queued after a restart gets an ETA (etas() drops those outside the window).
            dequeues.clear();
            dequeues.addAll(restored.recentDequeues());
            while (dequeues.size() > ETA_SAMPLES) {
                dequeues.removeFirst();
            }
            queueChanged(restored.queue(), now);
        } else if (event instanceof ChatEvent.AgentConnected connected) {
            Slot slot = slot(connected.agent().id(), connected.agent().name(), connected.cap(), now);
            slot.name = connected.agent().name();
            slot.cap = connected.cap();
            slot.siteId = connected.agent().siteId();
            slot.sessions++;
            slot.graceDeadline = null;
            if (slot.presence == Presence.OFFLINE) {
                slot.presence = connected.presence();
            }
            tellPresence(slot);
            if (connected.agent().supervises()) {
                // A supervisor who just connected needs the whole roster, not only later changes.
                agents.values().stream().filter(other -> other != slot).forEach(this::tellPresence);
            }
            dispatch(now);
        } else if (event instanceof ChatEvent.AgentDisconnected disconnected) {
            Slot slot = agents.get(disconnected.agentId());
            if (slot != null && slot.sessions > 0 && --slot.sessions == 0) {
                slot.graceDeadline = now.plus(settings.presenceGrace());
                withdrawAll(slot, "presence");
                dispatch(now);
            }
        } else if (event instanceof ChatEvent.PresenceSet set) {
            Slot slot = agents.get(set.agentId());
            if (slot != null) {
                changePresence(slot, set.presence(), set.reason(), now);
            }
        } else if (event instanceof ChatEvent.OfferDeclined declined) {
            Offer offer = offers.get(declined.conversationId());
            if (offer != null && offer.agentId().equals(declined.agentId())) {
                fail(declined.conversationId(), offer, "declined");
                // A "no" is an answer: whoever gives one is at their desk.
                Slot slot = agents.get(offer.agentId());
                if (slot != null) {
                    slot.missedInARow = 0;
                }
                // Without this a lone agent's decline came straight back as a new offer (the next round
                // starts with everyone again). A tick after the cool-off offers it to them again.
                attempts.get(declined.conversationId()).declinedUntil
                        .put(offer.agentId(), now.plus(settings.declineCooldown()));
                dispatch(now);
            }
        } else if (event instanceof ChatEvent.ClockTicked tick) {
            onTick(tick.now());
        } else if (event instanceof ChatEvent.QueueChanged changed) {
            queueChanged(changed.queue(), now);
        } else if (event instanceof ChatEvent.ConversationAssigned assigned) {
            onAssigned(assigned.conversation(), now);
        } else if (event instanceof ChatEvent.ConversationResolved
                || event instanceof ChatEvent.ConversationDeleted) {
            // Deleted with its visitor: the agent's place is free as after a resolve.
            Conversation c = event.conversation();
            leftQueue.add(c.id());
            Slot slot = c.agentId() == null ? null : agents.get(c.agentId());
            if (slot != null && slot.load > 0) {
                slot.load--;
                if (slot.load == 0) {
                    slot.idleSince = now;
                }
                tellPresence(slot);
                dispatch(now);
            }
        } else if (event instanceof ChatEvent.ConversationTransferred transferred) {
            Slot from = agents.get(transferred.fromAgentId());
            if (from != null && from.load > 0) {
                from.load--;
                tellPresence(from);
            }
            Conversation c = transferred.conversation();
            if (transferred.toAgentId() != null) {
                leftQueue.add(c.id());
                Slot to = slot(c.agentId(), c.agentName(), settings.defaultCap(), now);
                to.load++;
                awaitPresence(to, now);
                tellPresence(to);
            }
            dispatch(now);
        } else if (event instanceof ChatEvent.ConversationsRequeued requeued) {
            Slot slot = agents.get(requeued.agentId());
            if (slot != null) {
                slot.load = Math.max(0, slot.load - requeued.conversations().size());
                tellPresence(slot);
            }
            requeued.conversations().forEach(c -> attempts.remove(c.id()));
        }
    }

    /**
     * A chat now belongs to an agent with no open connection (never connected since this router started,
     * or already gone): the agent gets the same grace period as after a disconnect, and after it the chat
     * goes back to the queue. Without this, a chat handed to someone who never connects would stay theirs
     * forever, because only a disconnect or a restart starts the grace period.
     */
    private void awaitPresence(Slot slot, Instant now) {
        if (slot.sessions == 0 && slot.graceDeadline == null) {
            slot.graceDeadline = now.plus(settings.presenceGrace());
        }
    }

    /** Connected (on any node this router hears) and online: a chat handed to them now is answered. */
    @Override
    public boolean online(String agentId) {
        Slot slot = agents.get(agentId);
        return slot != null && slot.sessions > 0 && slot.presence == Presence.ONLINE;
    }

    /** The presence of a connected agent; {@code OFFLINE} for one with no open connection (in the grace period too). */
    @Override
    public Presence presence(String agentId) {
        Slot slot = agents.get(agentId);
        return slot == null || slot.sessions == 0 ? Presence.OFFLINE : slot.presence;
    }

    private Slot slot(String agentId, String name, int cap, Instant now) {
        return agents.computeIfAbsent(agentId, id -> new Slot(id, name, cap, now));
    }

    private void changePresence(Slot slot, Presence presence, String reason, Instant now) {
        slot.presence = presence;
        slot.reason = reason;
        slot.missedInARow = 0;
        slot.goingAway = false;
        if (presence != Presence.ONLINE) {
            withdrawAll(slot, "presence");
            if (slot.load > 0) {
                actions.requeue(slot.id);
            }
        }
        tellPresence(slot);
        dispatch(now);
    }

    private void onTick(Instant now) {
        for (Map.Entry<String, Offer> entry : new ArrayList<>(offers.entrySet())) {
            if (!entry.getValue().deadline().isAfter(now)) {
                fail(entry.getKey(), entry.getValue(), "timeout");
            }
        }
        for (Slot slot : agents.values()) {
            if (slot.graceDeadline != null && !slot.graceDeadline.isAfter(now)) {
                slot.graceDeadline = null;
                if (slot.sessions == 0) {
                    slot.presence = Presence.OFFLINE;
                    slot.reason = null;
                    if (slot.load > 0) {
                        actions.requeue(slot.id);
                    }
                }
            }
        }
        dispatch(now);
    }

    private void onAssigned(Conversation c, Instant now) {
        leftQueue.add(c.id());
        Offer offer = offers.remove(c.id());
        if (offer != null) {
            Slot offeredTo = agents.get(offer.agentId());
            if (offeredTo != null) {
                offeredTo.offered.remove(c.id());
                if (!offer.agentId().equals(c.agentId())) {
                    actions.offerWithdrawn(offer.agentId(), c.id(), "taken");
                }
            }
        }
        attempts.remove(c.id());
        Slot slot = slot(c.agentId(), c.agentName(), settings.defaultCap(), now);
        slot.load++;
        slot.missedInARow = 0; // accepted an offer, or took a chat from the queue by hand: at their desk
        awaitPresence(slot, now);
        tellPresence(slot);
        dequeues.addLast(now);
        while (dequeues.size() > ETA_SAMPLES) {
            dequeues.removeFirst();
        }
    }

    private void queueChanged(List<Conversation> newQueue, Instant now) {
        queue = List.copyOf(newQueue);
        leftQueue.clear();
        // Only offers and failed attempts are checked against the queue: a set of its ids cost a hash insert per
        // waiting chat at every change, also while no agent has a free place (a crowd) or none is online.
        if (!offers.isEmpty() || !attempts.isEmpty()) {
            Set<String> queued = new HashSet<>();
            queue.forEach(c -> queued.add(c.id()));
            for (Map.Entry<String, Offer> entry : new ArrayList<>(offers.entrySet())) {
                if (!queued.contains(entry.getKey())) {
                    // Resolved while offered (or assigned elsewhere: handled in onAssigned).
                    Slot slot = agents.get(entry.getValue().agentId());
                    if (slot != null) {
                        slot.offered.remove(entry.getKey());
                    }
                    offers.remove(entry.getKey());
                    actions.offerWithdrawn(entry.getValue().agentId(), entry.getKey(), "taken");
                }
            }
            attempts.keySet().retainAll(queued);
        }
        dispatch(now);
        actions.queueStatus(queue, etas(now));
    }

    private void fail(String conversationId, Offer offer, String reason) {
        offers.remove(conversationId);
        Slot slot = agents.get(offer.agentId());
        if (slot != null) {
            slot.offered.remove(conversationId);
        }
        actions.offerWithdrawn(offer.agentId(), conversationId, reason);
        if (slot != null && "timeout".equals(reason)) {
            missed(slot);
        }
        Attempts a = attempts.computeIfAbsent(conversationId, id -> new Attempts());
        a.failures++;
        a.tried.add(offer.agentId());
        a.failedBy.add(offer.agentId());
        if (a.failures >= settings.maxOfferAttempts() && !a.exhausted) {
            a.exhausted = true;
            queue.stream().filter(c -> c.id().equals(conversationId)).findFirst()
                    .ifPresent(c -> actions.unplaced(c, a.failures));
        }
    }

    /**
     * The agent let another offer time out. Without this, an agent who left their desk with the console
     * open stayed online and was offered chat after chat, each visitor waiting out the offer for nothing.
     */
    private void missed(Slot slot) {
        slot.missedInARow++;
        int limit = settings.awayAfterMissedOffers();
        if (limit > 0 && slot.missedInARow >= limit && slot.presence == Presence.ONLINE && !slot.goingAway) {
            slot.goingAway = true;
            actions.awayForMissedOffers(slot.id, slot.missedInARow);
        }
    }

    private void withdrawAll(Slot slot, String reason) {
        for (String conversationId : new ArrayList<>(slot.offered)) {
            offers.remove(conversationId);
            actions.offerWithdrawn(slot.id, conversationId, reason);
        }
        slot.offered.clear();
    }

    /** Offers every queued conversation that has no offer to the best available agent, in queue order. */
    private void dispatch(Instant now) {
        Map<String, Boolean> openByTeam = new HashMap<>();
        for (int i = 0; i < queue.size(); i++) {
            Conversation c = queue.get(i);
            if (offers.containsKey(c.id()) || leftQueue.contains(c.id())) {
                continue;
            }
            Attempts a = attempts.get(c.id());
            if (!openByTeam.computeIfAbsent(c.teamId() == null ? "" : c.teamId(),
                    team -> teams.hours(c.teamId()).isOpen(now))) {
                continue;
            }
            // Exhausted: no more rounds among those who let it go, but an agent who never had it (one
            // who came online since, or was at their limit) still gets it offered, not just listed.
            Optional<Slot> best = best(c, a, a == null ? Set.of() : a.exhausted ? a.failedBy : a.tried, now);
            if (best.isEmpty() && a != null && !a.exhausted && !a.tried.isEmpty()) {
                // Everyone available was tried this round: start another round (without those cooling off).
                a.tried.clear();
                best = best(c, a, a.tried, now);
            }
            if (best.isEmpty()) {
                if (agents.values().stream().noneMatch(Slot::available)) {
                    return;
                }
                continue;
            }
            Slot slot = best.get();
            Instant deadline = now.plus(settings.offerTimeout());
            offers.put(c.id(), new Offer(slot.id, deadline));
            slot.offered.add(c.id());
            actions.offer(slot.id, c, i + 1, deadline);
        }
    }

    /**
     * The available agent with the fewest chats (assigned + offered), ties to the one idle longest; none of
     * {@code excluded}, and nobody still cooling off after declining it.
     */
    private Optional<Slot> best(Conversation c, Attempts a, Set<String> excluded, Instant now) {
        return agents.values().stream()
                .filter(Slot::available)
                .filter(s -> teams.serves(c.teamId(), s.id))
                .filter(s -> s.siteId == null || s.siteId.equals(c.siteId()))
                .filter(s -> !excluded.contains(s.id))
                .filter(s -> a == null || !a.coolingOff(s.id, now))
                .min(Comparator.<Slot>comparingInt(s -> s.load + s.offered.size()).thenComparing(s -> s.idleSince));
    }

    /** The agent's presence and load, with why routing set that presence while it lasts. */
    private void tellPresence(Slot slot) {
        actions.presence(slot.id, slot.name, slot.presence, slot.load, slot.cap, slot.reason);
    }

    /**
     * Estimated wait per queue position: the mean interval between recent dequeues (the queue's
     * actual throughput) times the position, plus the time until the team opens when it is closed;
     * unknown until two dequeues have been seen (or until the team's opening, when closed).
     */
    private List<Integer> etas(Instant now) {
        while (!dequeues.isEmpty() && dequeues.peekFirst().isBefore(now.minus(ETA_WINDOW))) {
            dequeues.removeFirst();
        }
        List<Integer> etas = new ArrayList<>(queue.size());
        double interval = dequeues.size() < 2 ? -1
                : Duration.between(dequeues.peekFirst(), dequeues.peekLast()).toMillis() / 1000.0 / (dequeues.size() - 1);
        // Per team, once: a closed team's next opening is a search over its calendar, and a queue of
        // thousands holds few teams. Neighbours in the queue are mostly of one team, so the last team's
        // answer is kept at hand: a map look-up (and a lambda) per waiting chat was a fifth of the router's
        // pass over the queue, which every handoff, accept and resolve waits for (docs/benchmarks.md).
        Map<String, Long> untilOpenByTeam = new HashMap<>();
        String lastTeam = null;
        long lastUntilOpen = 0;
        for (int i = 0; i < queue.size(); i++) {
            Conversation c = queue.get(i);
            String team = c.teamId() == null ? "" : c.teamId();
            long untilOpen;
            if (i > 0 && team.equals(lastTeam)) {
                untilOpen = lastUntilOpen;
            } else {
                Long known = untilOpenByTeam.get(team);
                untilOpen = known != null ? known : untilOpen(c.teamId(), now);
                untilOpenByTeam.putIfAbsent(team, untilOpen);
                lastTeam = team;
                lastUntilOpen = untilOpen;
            }
            if (untilOpen < 0) {
                etas.add(null);
            } else if (interval < 0) {
                etas.add(untilOpen > 0 ? (int) untilOpen : null);
            } else {
                etas.add((int) Math.max(1, untilOpen + Math.ceil(interval * (i + 1))));
            }
        }
        return etas;
    }

    /** Seconds until the team opens: 0 while it is open, -1 when it never does. */
    private long untilOpen(String teamId, Instant now) {
        BusinessHours hours = teams.hours(teamId);
        return hours.isOpen(now) ? 0
                : hours.nextOpening(now).map(open -> Duration.between(now, open).toSeconds()).orElse(-1L);
    }

    /** The load and presence of an agent, for tests and the supervisor view. */
    public Optional<AgentLoad> load(String agentId) {
        Slot slot = agents.get(agentId);
        return slot == null ? Optional.empty()
                : Optional.of(new AgentLoad(slot.id, slot.presence, slot.load, slot.offered.size(), slot.cap));
    }

    /** An agent's routing state. */
    public record AgentLoad(String agentId, Presence presence, int assigned, int offered, int cap) {
    }
}
