package dev.sodam.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.faq.BotPeers;
import dev.sodam.server.util.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The events one node tells the others, as JSON on the pub/sub channel: {@code {"node":…,"type":…,"event":…}},
 * the event being the record as Jackson writes it: what delivery needs, what the routing owner needs from
 * agents' connections, and the routing owner's decisions ({@code "output"}). A queue change travels as a
 * {@link QueueRelay.Order} ({@code "queue"}), not as the event with every waiting conversation whole. Clock ticks and the like stay
 * on their node. A heartbeat, a roster request and a notice that the bot's inputs changed (the FAQ, the saved
 * thresholds) are envelopes without a body; a {@link Roster} answers the roster request; a {@link Revocation}
 * says which tokens stopped working.
 */
final class EventCodec {
    /** The events other nodes deliver to their connections, by the name they travel under. */
    private static final Map<String, Class<? extends ChatEvent>> RELAYED = new LinkedHashMap<>();

    static {
        for (Class<? extends ChatEvent> type : List.of(
                ChatEvent.MessagePosted.class, ChatEvent.HandoffRequested.class, ChatEvent.ConversationAssigned.class,
                ChatEvent.ConversationResolved.class, ChatEvent.ConversationDeleted.class,
                ChatEvent.ConversationTransferred.class,
                ChatEvent.NoteAdded.class, ChatEvent.VisitorIdentified.class, ChatEvent.FeedbackGiven.class,
                ChatEvent.ConversationLabelled.class, ChatEvent.ConversationsRequeued.class,
                ChatEvent.TypingChanged.class, ChatEvent.ReadUpTo.class)) {
            RELAYED.put(type.getSimpleName(), type);
        }
    }

    /**
     * What agents' connections tell routing, which runs on one node only (the routing owner): every node
     * publishes its own, and the owner's router acts on them as on its own.
     */
    private static final Map<String, Class<? extends ChatEvent>> ROUTING_INPUTS = new LinkedHashMap<>();
    /** What the routing owner decided, carried out by every node for its own connections. */
    private static final Map<String, Class<? extends RoutingOutput>> ROUTING_OUTPUTS = new LinkedHashMap<>();

    static {
        for (Class<? extends ChatEvent> type : List.of(ChatEvent.AgentConnected.class, ChatEvent.AgentDisconnected.class,
                ChatEvent.PresenceSet.class, ChatEvent.OfferDeclined.class)) {
            ROUTING_INPUTS.put(type.getSimpleName(), type);
        }
        for (Class<?> type : RoutingOutput.class.getPermittedSubclasses()) {
            ROUTING_OUTPUTS.put(type.getSimpleName(), type.asSubclass(RoutingOutput.class));
        }
    }

    static final String HEARTBEAT = "heartbeat";
    /** A new routing owner asks every node to tell it which agents are connected there. */
    static final String ROSTER_REQUEST = "rosterRequest";
    /** A node's answer: its {@link Roster}. */
    static final String ROSTER = "roster";
    /** A node committed an FAQ change: the others retrain from the store. */
    static final String FAQ_CHANGED = "faqChanged";
    /** A node saved the bot's thresholds: the others read them from the store. */
    static final String THRESHOLDS_CHANGED = "botThresholdsChanged";
    /** A node committed a revocation: the others forget those tokens and close their connections. */
    static final String ACCESS_REVOKED = "accessRevoked";
    /** A node committed a change to the queue: its {@link QueueRelay.Order}. */
    static final String QUEUE_CHANGED = "queueChanged";

    /**
     * What {@link #ACCESS_REVOKED} carries: whose access, which tokens (SHA-256 hashes of tokens that no
     * longer work; null for all the account's) and the words for the close frame.
     */
    record Revocation(String agentId, Set<String> tokenHashes, String reason) {
    }

    /**
     * What arrived: from which node, and an event (delivered, or a routing input), a routing owner's
     * output, a roster, a revocation, a queue change, or none of them (a heartbeat, a roster request, a bot
     * notice).
     */
    record Envelope(String node, String type, ChatEvent event, RoutingOutput output, Roster roster,
                    Revocation revocation, QueueRelay.Order queue) {
        boolean routingInput() {
            return ROUTING_INPUTS.containsKey(type);
        }
    }

    private EventCodec() {
    }

    /**
     * Whether other nodes need this event for their connections as it is ({@code QueueChanged} is needed too,
     * but travels as a {@link QueueRelay.Order}).
     */
    static boolean relayed(ChatEvent event) {
        return RELAYED.containsKey(event.getClass().getSimpleName());
    }

    /** Whether the routing owner needs this event of an agent's connection. */
    static boolean routingInput(ChatEvent event) {
        return ROUTING_INPUTS.containsKey(event.getClass().getSimpleName());
    }

    static String encode(String node, ChatEvent event) {
        if (event instanceof ChatEvent.AgentConnected connected) {
            event = new ChatEvent.AgentConnected(withoutHash(connected.agent()), connected.cap(), connected.presence());
        }
        ObjectNode envelope = envelope(node, event.getClass().getSimpleName());
        envelope.set("event", Json.MAPPER.valueToTree(event));
        return envelope.toString();
    }

    static String encode(String node, RoutingOutput output) {
        ObjectNode envelope = envelope(node, output.getClass().getSimpleName());
        envelope.set("output", Json.MAPPER.valueToTree(output));
        return envelope.toString();
    }

    static String encode(String node, QueueRelay.Order order) {
        ObjectNode envelope = envelope(node, QUEUE_CHANGED);
        envelope.set("queue", Json.MAPPER.valueToTree(order));
        return envelope.toString();
    }

    static String heartbeat(String node) {
        return envelope(node, HEARTBEAT).toString();
    }

    static String rosterRequest(String node) {
        return envelope(node, ROSTER_REQUEST).toString();
    }

    /** A body-less notice that the bot's inputs changed in the store ({@link #FAQ_CHANGED}, {@link #THRESHOLDS_CHANGED}). */
    static String botChanged(String node, BotPeers.Change change) {
        return envelope(node, change == BotPeers.Change.FAQ ? FAQ_CHANGED : THRESHOLDS_CHANGED).toString();
    }

    static String encode(String node, Revocation revocation) {
        ObjectNode envelope = envelope(node, ACCESS_REVOKED);
        envelope.set("revocation", Json.MAPPER.valueToTree(revocation));
        return envelope.toString();
    }

    static String encode(String node, Roster roster) {
        List<Roster.Entry> safe = roster.agents().stream().map(e -> new Roster.Entry(withoutHash(e.agent()), e.cap(),
                e.presence(), e.connections(), e.reason())).toList();
        ObjectNode envelope = envelope(node, ROSTER);
        envelope.set("roster", Json.MAPPER.valueToTree(new Roster(safe)));
        return envelope.toString();
    }

    /** The router needs who an agent is, never their password hash. */
    private static dev.sodam.server.model.Agent withoutHash(dev.sodam.server.model.Agent a) {
        return new dev.sodam.server.model.Agent(a.id(), a.email(), a.name(), a.role(), null, a.createdAt(), a.siteId());
    }

    private static ObjectNode envelope(String node, String type) {
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        envelope.put("node", node);
        envelope.put("type", type);
        return envelope;
    }

    /**
     * Whether {@code json} is an envelope {@code node} published itself, told from its first characters
     * (every envelope starts with its node): Redis hands a node back what it published, and decoding it
     * only to drop it cost the routing owner a queue's worth of JSON per queue change.
     */
    static boolean sentBy(String node, String json) {
        String prefix = "{\"node\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(node) + ",";
        return json.startsWith(prefix);
    }

    /** The envelope, or an exception naming what is wrong (another version's event, a stray publisher). */
    static Envelope decode(String json) throws JsonProcessingException {
        JsonNode envelope = Json.MAPPER.readTree(json);
        String node = envelope.path("node").asText("");
        String type = envelope.path("type").asText("");
        if (node.isEmpty()) {
            throw new IllegalArgumentException("no node in " + abbreviated(json));
        }
        if (HEARTBEAT.equals(type) || ROSTER_REQUEST.equals(type) || FAQ_CHANGED.equals(type)
                || THRESHOLDS_CHANGED.equals(type)) {
            return new Envelope(node, type, null, null, null, null, null);
        }
        if (ROSTER.equals(type) && envelope.path("roster").isObject()) {
            return new Envelope(node, type, null, null, Json.MAPPER.treeToValue(envelope.get("roster"), Roster.class), null,
                    null);
        }
        if (ACCESS_REVOKED.equals(type) && envelope.path("revocation").path("agentId").isTextual()) {
            return new Envelope(node, type, null, null, null,
                    Json.MAPPER.treeToValue(envelope.get("revocation"), Revocation.class), null);
        }
        if (QUEUE_CHANGED.equals(type) && envelope.path("queue").isObject()) {
            return new Envelope(node, type, null, null, null, null,
                    Json.MAPPER.treeToValue(envelope.get("queue"), QueueRelay.Order.class));
        }
        Class<? extends RoutingOutput> output = ROUTING_OUTPUTS.get(type);
        if (output != null && envelope.path("output").isObject()) {
            return new Envelope(node, type, null, Json.MAPPER.treeToValue(envelope.get("output"), output), null, null,
                    null);
        }
        Class<? extends ChatEvent> kind = RELAYED.containsKey(type) ? RELAYED.get(type) : ROUTING_INPUTS.get(type);
        if (kind == null || !envelope.path("event").isObject()) {
            throw new IllegalArgumentException("not a relayed event: " + abbreviated(json));
        }
        return new Envelope(node, type, Json.MAPPER.treeToValue(envelope.get("event"), kind), null, null, null,
                null);
    }

    private static String abbreviated(String json) {
        return json.length() <= 200 ? json : json.substring(0, 200) + "…";
    }
}
