package dev.sodam.server.conversation;

import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Notice;
import dev.sodam.server.routing.BusinessHours;
import dev.sodam.server.routing.TeamDirectory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the system notices a visitor sees in the conversation: connecting to an agent, who joined,
 * that the conversation ended. Stored like any message, so they are part of the replayed history.
 */
public final class SystemNoticeListener implements ChatEventListener {
    private static final Logger log = LoggerFactory.getLogger(SystemNoticeListener.class);
    private static final DateTimeFormatter KOREAN_TIME = DateTimeFormatter.ofPattern("M월 d일 (E) a h:mm", Locale.KOREAN);
    private static final DateTimeFormatter ENGLISH_TIME = DateTimeFormatter.ofPattern("EEE d MMM, h:mm a", Locale.ENGLISH);
    private final ConversationService service;
    private final TeamDirectory teams;
    private final Clock clock;

    public SystemNoticeListener(ConversationService service) {
        this(service, TeamDirectory.none(), Clock.systemUTC());
    }

    public SystemNoticeListener(ConversationService service, TeamDirectory teams, Clock clock) {
        this.service = service;
        this.teams = teams;
        this.clock = clock;
    }

    @Override
    public void on(ChatEvent event) {
        if (event instanceof ChatEvent.HandoffRequested handoff) {
            Conversation c = handoff.conversation();
            BusinessHours hours = teams.hours(c.teamId());
            Instant now = clock.instant();
            Optional<Instant> opens = hours.isOpen(now) ? Optional.empty() : hours.nextOpening(now);
            if (opens.isPresent()) {
                // Outside the team's hours: say when a person will answer; what the visitor writes meanwhile is kept.
                ZonedDateTime at = opens.get().atZone(hours.zone());
                String team = teams.team(c.teamId()).map(t -> t.name(c.locale())).orElse("");
                java.util.Map<String, Object> params = new java.util.LinkedHashMap<>();
                params.put("team", teamNames(c.teamId()));
                params.put("opensAt", opens.get().toString());
                notice(c, team + " 상담 시간이 아니에요. " + KOREAN_TIME.format(at)
                                + "부터 답변드릴게요. 남겨주신 메시지는 상담원이 확인해요.",
                        "The " + team + " team is closed now. An agent will answer from " + ENGLISH_TIME.format(at)
                                + "; leave a message and we will read it.", new Notice("handoff.closed", params));
            } else {
                notice(c, "상담원을 연결하고 있어요…", "Connecting you to an agent…", Notice.of("handoff.connecting"));
            }
        } else if (event instanceof ChatEvent.ConversationAssigned assigned) {
            String name = assigned.conversation().agentName();
            notice(assigned.conversation(), name + " 상담원이 연결되었어요.", name + " has joined the chat.",
                    Notice.of("agent.joined", "name", name));
        } else if (event instanceof ChatEvent.ConversationTransferred transferred) {
            Conversation c = transferred.conversation();
            if (transferred.toAgentId() != null) {
                notice(c, c.agentName() + " 상담원에게 연결해 드릴게요.", "Transferring you to " + c.agentName() + ".",
                        Notice.of("transfer.agent", "name", c.agentName()));
            } else {
                String team = teams.team(transferred.toTeamId()).map(t -> t.name(c.locale())).orElse("");
                notice(c, team + " 담당 상담원에게 연결해 드릴게요.", "Transferring you to the " + team + " team.",
                        Notice.of("transfer.team", "team", teamNames(transferred.toTeamId())));
            }
        } else if (event instanceof ChatEvent.ConversationsRequeued requeued) {
            requeued.conversations().forEach(c -> notice(c, "상담원 연결이 끊어져 다른 상담원을 연결하고 있어요…",
                    "Your agent is no longer available; connecting you to another agent…", Notice.of("agent.lost")));
        } else if (event instanceof ChatEvent.ConversationResolved resolved) {
            if (resolved.by().kind() == dev.sodam.server.model.Author.Kind.SYSTEM) {
                notice(resolved.conversation(), "답이 없어 상담을 종료했어요. 다시 문의하시려면 메시지를 보내주세요.",
                        "We closed this chat as there was no reply. Send a message to start again.",
                        Notice.of("resolved.idle"));
            } else {
                notice(resolved.conversation(), "상담이 종료되었어요. 이용해 주셔서 감사합니다.",
                        "This conversation has been resolved. Thank you!", Notice.of("resolved"));
            }
        }
    }

    /** A team's name in both languages, for a notice parameter. */
    private java.util.Map<String, String> teamNames(String teamId) {
        return teams.team(teamId).map(t -> java.util.Map.of("ko", t.nameKo(), "en", t.nameEn()))
                .orElse(java.util.Map.of("ko", "", "en", ""));
    }

    private void notice(Conversation conversation, String korean, String english, Notice code) {
        String text = "ko".equals(conversation.locale()) ? korean : english;
        service.postSystem(conversation.id(), text, code, Replies.of(posted -> { }, error ->
                log.warn("system notice for {} not stored: {}", conversation.id(), error.getMessage())));
    }
}
