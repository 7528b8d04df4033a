package dev.sodam.server.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Frames the server sends (docs/protocol.md). Field names and null handling are the contract and
 * are checked against the golden frames: absent-when-null unless the protocol shows an explicit null.
 */
public sealed interface ServerFrame {

    /** Who wrote or is typing. */
    record From(String kind, String id, String name) {
    }

    /** An id and a display name. */
    record Person(String id, String name) {
    }

    /** The logged-in agent in an agent's welcome. */
    record AgentInfo(String id, String name, String role) {
    }

    record SuggestionView(String faqId, String question) {
    }

    record ActionView(String id, String label) {
    }

    /** A conversation as a visitor sees it. */
    @JsonInclude(Include.NON_NULL)
    @JsonPropertyOrder({"id", "state", "lastSeq", "queuePosition", "agent"})
    record VisitorConversation(String id, String state, long lastSeq, Integer queuePosition, Person agent) {
    }

    /** A conversation as agents see it. */
    @JsonInclude(Include.NON_NULL)
    @JsonPropertyOrder({"id", "state", "lastSeq", "preview", "waitingSince", "visitor", "locale", "queuePosition",
        "agent", "urgent", "labels", "visitorReadSeq"})
    record AgentConversation(String id, String state, long lastSeq, String preview,
                             @JsonInclude(Include.ALWAYS) String waitingSince, Person visitor, String locale,
                             Integer queuePosition, Person agent, Boolean urgent, List<String> labels,
                             Long visitorReadSeq) {
    }

    /**
     * A visitor's welcome; {@code locale} is the language the server speaks to this visitor (bot answers and
     * notices): the open conversation's, else the one the hello's tag came to, which may differ from the tag.
     */
    @JsonPropertyOrder({"type", "protocol", "visitorToken", "locale", "conversation"})
    record VisitorWelcome(int protocol, String visitorToken, String locale, VisitorConversation conversation)
            implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "welcome";
        }
    }

    /** A team as agents see it, with its name in both languages. */
    record TeamInfo(String id, java.util.Map<String, String> name) {
    }

    @JsonPropertyOrder({"type", "protocol", "agent", "conversations", "colleagues", "teams"})
    record AgentWelcome(int protocol, AgentInfo agent, List<AgentConversation> conversations, List<Person> colleagues,
                        List<TeamInfo> teams) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "welcome";
        }
    }

    @JsonPropertyOrder({"type", "clientMsgId", "conversationId", "seq", "messageId"})
    record Ack(String clientMsgId, String conversationId, long seq, String messageId) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "ack";
        }
    }

    /** The code behind a system or fixed bot text, with its parameters (docs/protocol.md, "Notices"). */
    record NoticeView(String code, @JsonInclude(Include.ALWAYS) java.util.Map<String, Object> params) {
    }

    /** An image in a message; clients read it from {@code GET /api/attachments/{id}} with their token. */
    record AttachmentView(String id, String contentType, long size) {
    }

    @JsonInclude(Include.NON_EMPTY)
    @JsonPropertyOrder({"type", "conversationId", "seq", "messageId", "clientMsgId", "from", "text", "ts",
        "suggestions", "actions", "notice", "attachment"})
    record MessageFrame(String conversationId, long seq, String messageId,
                        @JsonInclude(Include.ALWAYS) String clientMsgId, From from, String text, String ts,
                        List<SuggestionView> suggestions, List<ActionView> actions, NoticeView notice,
                        AttachmentView attachment) implements ServerFrame {
        public MessageFrame(String conversationId, long seq, String messageId, String clientMsgId, From from,
                            String text, String ts, List<SuggestionView> suggestions, List<ActionView> actions) {
            this(conversationId, seq, messageId, clientMsgId, from, text, ts, suggestions, actions, null, null);
        }

        public MessageFrame(String conversationId, long seq, String messageId, String clientMsgId, From from,
                            String text, String ts, List<SuggestionView> suggestions, List<ActionView> actions,
                            NoticeView notice) {
            this(conversationId, seq, messageId, clientMsgId, from, text, ts, suggestions, actions, notice, null);
        }

        @JsonProperty("type")
        public String type() {
            return "message";
        }
    }

    @JsonInclude(Include.NON_NULL)
    @JsonPropertyOrder({"type", "conversationId", "state", "queuePosition", "etaSeconds", "agent"})
    record Status(String conversationId, String state, Integer queuePosition, Integer etaSeconds, Person agent)
            implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "status";
        }
    }

    @JsonPropertyOrder({"type", "conversation"})
    record ConversationPush(AgentConversation conversation) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "conversation";
        }
    }

    @JsonPropertyOrder({"type", "conversationId", "from", "on"})
    record TypingFrame(String conversationId, From from, boolean on) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "typing";
        }
    }

    @JsonPropertyOrder({"type", "conversationId", "from", "seq"})
    record ReadFrame(String conversationId, From from, long seq) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "read";
        }
    }

    /** A private note on a conversation (agents only). */
    @JsonPropertyOrder({"type", "conversationId", "noteId", "from", "text", "ts"})
    record NoteFrame(String conversationId, String noteId, From from, String text, String ts) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "note";
        }
    }

    /** A queued conversation offered to this agent until {@code expiresAt}. */
    @JsonPropertyOrder({"type", "conversationId", "expiresAt", "conversation"})
    record Offer(String conversationId, String expiresAt, AgentConversation conversation) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "offer";
        }
    }

    /** An offer to this agent ended: {@code timeout}, {@code declined}, {@code taken} or {@code presence}. */
    @JsonPropertyOrder({"type", "conversationId", "reason"})
    record OfferWithdrawn(String conversationId, String reason) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "offer_withdrawn";
        }
    }

    /**
     * A possible transfer target: {@code state} online, away or offline; {@code available} whether a
     * transfer to them would go through now, else {@code reason} says why not.
     */
    @JsonInclude(Include.NON_NULL)
    @JsonPropertyOrder({"id", "name", "teams", "state", "load", "cap", "available", "reason"})
    record ColleagueView(String id, String name, List<String> teams, String state, int load, int cap,
                         boolean available, String reason) {
    }

    /** The answer to an agent's {@code colleagues}: who could take the conversation now. */
    @JsonInclude(Include.NON_NULL)
    @JsonPropertyOrder({"type", "conversationId", "colleagues", "ref"})
    record ColleaguesFrame(String conversationId, List<ColleagueView> colleagues, String ref) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "colleagues";
        }
    }

    /** An agent's presence and load (to the agent and to admins). */
    @JsonPropertyOrder({"type", "agent", "status", "load", "cap"})
    record PresenceFrame(Person agent, String status, int load, int cap,
                         @JsonInclude(Include.NON_NULL) String reason) implements ServerFrame {
        /** A presence the agent chose (no reason), or a load change. */
        public PresenceFrame(Person agent, String status, int load, int cap) {
            this(agent, status, load, cap, null);
        }

        @JsonProperty("type")
        public String type() {
            return "presence";
        }
    }

    /** A visitor's profile as agents see it. */
    @JsonInclude(Include.NON_NULL)
    @JsonPropertyOrder({"id", "name", "email", "externalId", "attributes"})
    record VisitorProfileView(String id, String name, String email, String externalId,
                              @JsonInclude(Include.ALWAYS) java.util.Map<String, String> attributes) {
    }

    /** Who the visitor is, as their site told (to the agents entitled to their open conversation). */
    @JsonPropertyOrder({"type", "conversationId", "visitor"})
    record VisitorFrame(String conversationId, VisitorProfileView visitor) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "visitor";
        }
    }

    /** Stored visitor feedback (to the visitor's tabs, the conversation's agent and admins). */
    @JsonInclude(Include.NON_NULL)
    @JsonPropertyOrder({"type", "conversationId", "feedbackId", "kind", "messageId", "score", "comment", "ts"})
    record Rated(String conversationId, String feedbackId, String kind, String messageId, int score, String comment,
                 String ts) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "rated";
        }
    }

    /** Something supervisors must act on, such as a conversation no agent accepted. */
    @JsonPropertyOrder({"type", "code", "conversationId", "message"})
    record Alert(String code, String conversationId, String message) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "alert";
        }
    }

    @JsonInclude(Include.NON_NULL)
    @JsonPropertyOrder({"type", "code", "message", "ref"})
    record Error(String code, String message, String ref) implements ServerFrame {
        @JsonProperty("type")
        public String type() {
            return "error";
        }
    }
}
