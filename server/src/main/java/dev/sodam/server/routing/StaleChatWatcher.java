package dev.sodam.server.routing;

import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes chats the visitor has walked away from, so they do not hold an agent's slot forever: when
 * the agent answered last and the visitor stays silent for {@code nudgeAfter}, the visitor gets a
 * nudge; after {@code resolveAfter} more, the chat is resolved. Anything the visitor writes resets
 * the clock. Runs on the domain thread as a listener; time comes from {@code ClockTicked}.
 */
public final class StaleChatWatcher implements ChatEventListener {
    private static final Logger log = LoggerFactory.getLogger(StaleChatWatcher.class);

    private final ConversationService service;
    private final Duration nudgeAfter;
    private final Duration resolveAfter;

    /** An assigned chat's last words. */
    private static final class Watch {
        final Conversation conversation;
        Instant agentSpokeAt;
        Instant visitorSpokeAt;
        Instant nudgedAt;
        boolean resolving;

        Watch(Conversation conversation) {
            this.conversation = conversation;
        }

        boolean waitingOnVisitor() {
            return agentSpokeAt != null && (visitorSpokeAt == null || agentSpokeAt.isAfter(visitorSpokeAt));
        }
    }

    private final Map<String, Watch> watches = new HashMap<>();

    public StaleChatWatcher(ConversationService service, Duration nudgeAfter, Duration resolveAfter) {
        this.service = service;
        this.nudgeAfter = nudgeAfter;
        this.resolveAfter = resolveAfter;
    }

    @Override
    public void on(ChatEvent event) {
        if (event instanceof ChatEvent.ConversationAssigned assigned) {
            watches.put(assigned.conversation().id(), new Watch(assigned.conversation()));
        } else if (event instanceof ChatEvent.ConversationTransferred transferred) {
            Conversation c = transferred.conversation();
            if (c.state() == ConversationState.ASSIGNED) {
                watches.put(c.id(), new Watch(c));
            } else {
                watches.remove(c.id());
            }
        } else if (event instanceof ChatEvent.ConversationResolved
                || event instanceof ChatEvent.ConversationDeleted) {
            // A deleted chat has nobody to nudge and nothing to close.
            watches.remove(event.conversation().id());
        } else if (event instanceof ChatEvent.ConversationsRequeued requeued) {
            requeued.conversations().forEach(c -> watches.remove(c.id()));
        } else if (event instanceof ChatEvent.MessagePosted posted) {
            Watch watch = watches.get(posted.conversation().id());
            if (watch != null) {
                Author.Kind kind = posted.message().from().kind();
                if (kind == Author.Kind.VISITOR) {
                    watch.visitorSpokeAt = posted.message().ts();
                    watch.nudgedAt = null;
                } else if (kind == Author.Kind.AGENT) {
                    watch.agentSpokeAt = posted.message().ts();
                    watch.nudgedAt = null;
                }
            }
        } else if (event instanceof ChatEvent.ClockTicked tick) {
            onTick(tick.now());
        }
    }

    private void onTick(Instant now) {
        for (Watch watch : watches.values()) {
            if (!watch.waitingOnVisitor() || watch.resolving) {
                continue;
            }
            String id = watch.conversation.id();
            if (watch.nudgedAt == null && !now.isBefore(watch.agentSpokeAt.plus(nudgeAfter))) {
                watch.nudgedAt = now;
                boolean korean = "ko".equals(watch.conversation.locale());
                long minutes = Math.max(1, resolveAfter.toMinutes());
                service.postSystem(id, korean
                                ? "아직 도움이 필요하신가요? " + minutes + "분 동안 답이 없으면 상담이 종료돼요."
                                : "Do you still need help? This chat will close if there is no reply in " + minutes
                                        + " min.",
                        dev.sodam.server.model.Notice.of("idle.nudge", "minutes", String.valueOf(minutes)),
                        Replies.of(posted -> { }, e -> log.warn("nudge for {} not stored: {}", id, e.getMessage())));
            } else if (watch.nudgedAt != null && !now.isBefore(watch.nudgedAt.plus(resolveAfter))) {
                watch.resolving = true;
                service.resolveIdle(id, Replies.of(resolved -> { }, e -> {
                    watch.resolving = false;
                    log.warn("idle chat {} not resolved: {}", id, e.getMessage());
                }));
            }
        }
    }
}
