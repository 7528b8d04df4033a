package dev.sodam.server.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import dev.sodam.server.store.AgentName;
import dev.sodam.server.util.Json;
import java.time.Instant;
import java.util.List;

/** Builds server frames from domain values, and serialises them. The only place that knows the mapping. */
public final class Frames {
    public static final int PROTOCOL = 1;

    private Frames() {
    }

    public static String toJson(ServerFrame frame) {
        try {
            return Json.MAPPER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + frame, e);
        }
    }

    public static ServerFrame.From from(Author author) {
        return new ServerFrame.From(author.kind().wire(), author.id(), author.name());
    }

    public static ServerFrame.MessageFrame message(Message m) {
        return new ServerFrame.MessageFrame(m.conversationId(), m.seq(), m.id(), m.clientMsgId(), from(m.from()),
                m.text(), m.ts().toString(),
                m.suggestions().stream().map(s -> new ServerFrame.SuggestionView(s.faqId(), s.question())).toList(),
                m.actions().stream().map(a -> new ServerFrame.ActionView(a.id(), a.label())).toList(),
                m.notice() == null ? null : new ServerFrame.NoticeView(m.notice().code(), m.notice().params()),
                m.attachment() == null ? null : new ServerFrame.AttachmentView(m.attachment().id(),
                        m.attachment().contentType(), m.attachment().size()));
    }

    public static ServerFrame.NoteFrame note(dev.sodam.server.model.Note n) {
        return new ServerFrame.NoteFrame(n.conversationId(), n.id(), from(n.from()), n.text(), n.ts().toString());
    }

    public static ServerFrame.VisitorFrame visitor(String conversationId, dev.sodam.server.model.VisitorProfile p) {
        return new ServerFrame.VisitorFrame(conversationId,
                new ServerFrame.VisitorProfileView(p.visitorId(), p.name(), p.email(), p.externalId(), p.attributes()));
    }

    public static ServerFrame.Rated rated(dev.sodam.server.model.Feedback f) {
        return new ServerFrame.Rated(f.conversationId(), f.id(), f.kind().wire(), f.messageId(), f.score(), f.comment(),
                f.createdAt().toString());
    }

    public static ServerFrame.Ack ack(Message m) {
        return new ServerFrame.Ack(m.clientMsgId(), m.conversationId(), m.seq(), m.id());
    }

    private static ServerFrame.Person agentOf(Conversation c) {
        return c.agentId() == null ? null : new ServerFrame.Person(c.agentId(), c.agentName());
    }

    private static Integer position(Conversation c, int queuePosition) {
        return c.state() == ConversationState.QUEUED && queuePosition > 0 ? queuePosition : null;
    }

    public static ServerFrame.Status status(Conversation c, int queuePosition) {
        return status(c, queuePosition, null);
    }

    /** A status with the estimated wait in seconds while queued (null when unknown). */
    public static ServerFrame.Status status(Conversation c, int queuePosition, Integer etaSeconds) {
        boolean queued = c.state() == ConversationState.QUEUED;
        return new ServerFrame.Status(c.id(), c.state().wire(), position(c, queuePosition), queued ? etaSeconds : null,
                c.state() == ConversationState.ASSIGNED ? agentOf(c) : null);
    }

    public static ServerFrame.VisitorConversation forVisitor(Conversation c, int queuePosition) {
        return new ServerFrame.VisitorConversation(c.id(), c.state().wire(), c.lastSeq(), position(c, queuePosition),
                c.state() == ConversationState.ASSIGNED ? agentOf(c) : null);
    }

    public static ServerFrame.AgentConversation forAgent(Conversation c, int queuePosition) {
        Instant waiting = c.waitingSince();
        return new ServerFrame.AgentConversation(c.id(), c.state().wire(), c.lastSeq(), c.preview(),
                waiting == null ? null : waiting.toString(), new ServerFrame.Person(c.visitorId(), c.visitorName()),
                c.locale(), position(c, queuePosition), agentOf(c), c.urgent() ? Boolean.TRUE : null,
                c.labels().isEmpty() ? null : c.labels(), c.visitorReadSeq() > 0 ? c.visitorReadSeq() : null);
    }

    /** The visitor's welcome: {@code locale} is the visitor's own, unless an open conversation speaks another. */
    public static ServerFrame.VisitorWelcome visitorWelcome(String token, String locale, Conversation open,
                                                            int queuePosition) {
        return new ServerFrame.VisitorWelcome(PROTOCOL, token, open == null ? locale : open.locale(),
                open == null ? null : forVisitor(open, queuePosition));
    }

    /** The agent's welcome, with colleagues and teams (the targets of a transfer). */
    public static ServerFrame.AgentWelcome agentWelcome(Agent agent, List<Conversation> queue,
                                                        List<Conversation> assigned,
                                                        List<AgentName> colleagues,
                                                        List<dev.sodam.server.model.Team> teams) {
        List<ServerFrame.AgentConversation> views = new java.util.ArrayList<>(queue.size() + assigned.size());
        for (int i = 0; i < queue.size(); i++) {
            views.add(forAgent(queue.get(i), i + 1));
        }
        assigned.forEach(c -> views.add(forAgent(c, 0)));
        return new ServerFrame.AgentWelcome(PROTOCOL,
                new ServerFrame.AgentInfo(agent.id(), agent.name(), agent.role().wire()), views,
                colleagues.stream().map(a -> new ServerFrame.Person(a.id(), a.name())).toList(),
                teams.stream().map(t -> new ServerFrame.TeamInfo(t.id(),
                        java.util.Map.of("ko", t.nameKo(), "en", t.nameEn()))).toList());
    }

    /** The answer to {@code colleagues}, with the request's {@code ref} (null: none) so the client can match it. */
    public static ServerFrame.ColleaguesFrame colleagues(Results.Colleagues answer,
                                                         String ref) {
        return new ServerFrame.ColleaguesFrame(answer.conversationId(), answer.colleagues().stream()
                .map(c -> new ServerFrame.ColleagueView(c.id(), c.name(), c.teamIds(), c.presence().wire(), c.load(),
                        c.cap(), c.available(), c.available() ? null : c.refusal().wire()))
                .toList(), ref);
    }

    public static ServerFrame.Error error(ErrorCode code, String message, String ref) {
        return new ServerFrame.Error(code.wire(), message, ref);
    }
}
