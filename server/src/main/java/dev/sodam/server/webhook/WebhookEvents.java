package dev.sodam.server.webhook;

import dev.sodam.server.api.ApiJson;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Feedback;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Which chat events become which webhook events, and what their {@code data} holds. */
public final class WebhookEvents {
    public static final String CONVERSATION_CREATED = "conversation.created";
    public static final String MESSAGE_CREATED = "message.created";
    public static final String CONVERSATION_QUEUED = "conversation.queued";
    public static final String CONVERSATION_ASSIGNED = "conversation.assigned";
    public static final String CONVERSATION_RESOLVED = "conversation.resolved";
    public static final String FEEDBACK_CREATED = "feedback.created";
    public static final String CSAT_CREATED = "csat.created";
    public static final List<String> ALL = List.of(CONVERSATION_CREATED, MESSAGE_CREATED, CONVERSATION_QUEUED,
            CONVERSATION_ASSIGNED, CONVERSATION_RESOLVED, FEEDBACK_CREATED, CSAT_CREATED);

    private WebhookEvents() {
    }

    /**
     * One webhook event before it gets an id: its type, conversation and data; {@code channel} is the
     * conversation's channel (null for the web widget) and {@code fromVisitor} marks a visitor's message,
     * which a channel's own reply webhook does not get back.
     */
    public record Outgoing(String type, Conversation conversation, Map<String, Object> data, String channel,
                           boolean fromVisitor) {
    }

    /**
     * The webhook events of one chat event; {@code channelOf} gives a conversation's channel and external id
     * ({@code [channel, externalId]}, null for the web widget).
     * Typing, reads, presence and routing internals are not reported.
     */
    public static List<Outgoing> of(ChatEvent event, Function<Conversation, String[]> channelOf) {
        List<Outgoing> out = new ArrayList<>(1);
        if (event instanceof ChatEvent.ConversationStarted e) {
            out.add(about(CONVERSATION_CREATED, e.conversation(), channelOf));
        } else if (event instanceof ChatEvent.MessagePosted e) {
            Outgoing o = about(MESSAGE_CREATED, e.conversation(), channelOf);
            o.data().put("message", ApiJson.message(e.message()));
            out.add(new Outgoing(o.type(), o.conversation(), o.data(), o.channel(),
                    e.message().from().kind() == dev.sodam.server.model.Author.Kind.VISITOR));
        } else if (event instanceof ChatEvent.HandoffRequested e) {
            Outgoing o = about(CONVERSATION_QUEUED, e.conversation(), channelOf);
            o.data().put("reason", e.reason().name().toLowerCase(java.util.Locale.ROOT));
            out.add(o);
        } else if (event instanceof ChatEvent.ConversationsRequeued e) {
            for (Conversation c : e.conversations()) {
                Outgoing o = about(CONVERSATION_QUEUED, c, channelOf);
                o.data().put("reason", "agent_away");
                out.add(o);
            }
        } else if (event instanceof ChatEvent.ConversationAssigned e) {
            out.add(about(CONVERSATION_ASSIGNED, e.conversation(), channelOf));
        } else if (event instanceof ChatEvent.ConversationTransferred e) {
            Outgoing o = about(e.toTeamId() != null ? CONVERSATION_QUEUED : CONVERSATION_ASSIGNED, e.conversation(),
                    channelOf);
            o.data().put("reason", "transfer");
            out.add(o);
        } else if (event instanceof ChatEvent.ConversationResolved e) {
            out.add(about(CONVERSATION_RESOLVED, e.conversation(), channelOf));
        } else if (event instanceof ChatEvent.FeedbackGiven e) {
            Feedback f = e.feedback();
            Outgoing o = about(f.kind() == Feedback.Kind.CSAT ? CSAT_CREATED : FEEDBACK_CREATED, e.conversation(),
                    channelOf);
            Map<String, Object> feedback = new LinkedHashMap<>();
            feedback.put("id", f.id());
            feedback.put("kind", f.kind().wire());
            feedback.put("score", f.score());
            feedback.put("comment", f.comment());
            feedback.put("messageId", f.messageId());
            feedback.put("createdAt", f.createdAt());
            o.data().put("feedback", feedback);
            out.add(o);
        }
        return out;
    }

    /** The site of an event that may become a webhook event, or null (typing, presence, ticks…). */
    public static String siteOf(ChatEvent event) {
        if (event instanceof ChatEvent.ConversationsRequeued e) {
            return e.conversations().isEmpty() ? null : e.conversations().get(0).siteId();
        }
        boolean reported = event instanceof ChatEvent.ConversationStarted || event instanceof ChatEvent.MessagePosted
                || event instanceof ChatEvent.HandoffRequested || event instanceof ChatEvent.ConversationAssigned
                || event instanceof ChatEvent.ConversationTransferred || event instanceof ChatEvent.ConversationResolved
                || event instanceof ChatEvent.FeedbackGiven;
        return reported && event.conversation() != null ? event.conversation().siteId() : null;
    }

    private static Outgoing about(String type, Conversation conversation, Function<Conversation, String[]> channelOf) {
        Map<String, Object> data = new LinkedHashMap<>();
        String[] channel = channelOf.apply(conversation);
        data.put("conversation", ApiJson.conversation(conversation, channel == null ? null : channel[0]));
        if (channel != null) {
            data.put("externalId", channel[1]);
        }
        return new Outgoing(type, conversation, data, channel == null ? null : channel[0], false);
    }
}
