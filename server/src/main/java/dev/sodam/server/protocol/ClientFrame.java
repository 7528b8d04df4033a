package dev.sodam.server.protocol;

/** A validated frame from a client (docs/protocol.md). {@code ref} is echoed in any error it causes. */
public sealed interface ClientFrame {

    String ref();

    /** {@code role} is {@code visitor} (site, optional visitorToken/resume) or {@code agent} (token). */
    record Hello(String ref, String role, String site, String visitorToken, String locale,
                 String resumeConversationId, long resumeLastSeq, String token) implements ClientFrame {
        public boolean isAgent() {
            return "agent".equals(role);
        }
    }

    /** {@code handoff}: store the message and ask for a person in one step (the offline form). */
    record Send(String ref, String clientMsgId, String conversationId, String text, String faqId, boolean handoff)
            implements ClientFrame {
        public Send(String ref, String clientMsgId, String conversationId, String text, String faqId) {
            this(ref, clientMsgId, conversationId, text, faqId, false);
        }
    }

    record Handoff(String ref, String conversationId) implements ClientFrame {
    }

    record Sync(String ref, String conversationId, long afterSeq) implements ClientFrame {
    }

    record Typing(String ref, String conversationId, boolean on) implements ClientFrame {
    }

    record Read(String ref, String conversationId, long seq) implements ClientFrame {
    }

    record Accept(String ref, String conversationId) implements ClientFrame {
    }

    record Resolve(String ref, String conversationId) implements ClientFrame {
    }

    /** An agent hands an assigned conversation to another agent or to a team, with an optional private note. */
    record Transfer(String ref, String conversationId, String toAgentId, String toTeamId, String note)
            implements ClientFrame {
    }

    /** An agent asks who could take a transfer of the conversation now (agents only; answered with {@code colleagues}). */
    record Colleagues(String ref, String conversationId) implements ClientFrame {
    }

    /** An agent writes a private note (agents only). */
    record Note(String ref, String conversationId, String text) implements ClientFrame {
    }

    /** An agent turns down an offer. */
    record Decline(String ref, String conversationId) implements ClientFrame {
    }

    /** An agent sets their presence: {@code online}, {@code away} or {@code offline}. */
    record Presence(String ref, String status) implements ClientFrame {
    }

    /**
     * A visitor's feedback: {@code kind} thumbs (score 1/0 on the bot answer {@code messageId}), csat
     * (1..5) or nps (0..10), with an optional comment.
     */
    record Rate(String ref, String conversationId, String kind, String messageId, int score, String comment)
            implements ClientFrame {
    }

    /**
     * A visitor's widget reports the page it is on: {@code url} is origin and path only (the
     * decoder drops any query and fragment), {@code title} the page's title (may be empty).
     */
    record Page(String ref, String url, String title) implements ClientFrame {
    }

    /** The site tells who the visitor is: all optional; attributes are string to string. */
    record Identify(String ref, String name, String email, String externalId,
                    java.util.Map<String, String> attributes) implements ClientFrame {
    }

    /** An agent puts a label on a conversation ({@code on}) or takes it off. */
    record Label(String ref, String conversationId, String label, boolean on) implements ClientFrame {
    }
}
