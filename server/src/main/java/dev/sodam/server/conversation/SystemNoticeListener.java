package dev.sodam.server.conversation;

import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEventListener;
import dev.sodam.server.model.Conversation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the system notices a visitor sees in the conversation: connecting to an agent, who joined,
 * that the conversation ended. Stored like any message, so they are part of the replayed history.
 */
public final class SystemNoticeListener implements ChatEventListener {
    private static final Logger log = LoggerFactory.getLogger(SystemNoticeListener.class);
    private final ConversationService service;

    public SystemNoticeListener(ConversationService service) {
        this.service = service;
    }

    @Override
    public void on(ChatEvent event) {
        if (event instanceof ChatEvent.HandoffRequested handoff) {
            notice(handoff.conversation(), "상담원을 연결하고 있어요…", "Connecting you to an agent…");
        } else if (event instanceof ChatEvent.ConversationAssigned assigned) {
            String name = assigned.conversation().agentName();
            notice(assigned.conversation(), name + " 상담원이 연결되었어요.", name + " has joined the chat.");
        } else if (event instanceof ChatEvent.ConversationsRequeued requeued) {
            requeued.conversations().forEach(c -> notice(c, "상담원 연결이 끊어져 다른 상담원을 연결하고 있어요…",
                    "Your agent is no longer available; connecting you to another agent…"));
        } else if (event instanceof ChatEvent.ConversationResolved resolved) {
            notice(resolved.conversation(), "상담이 종료되었어요. 이용해 주셔서 감사합니다.",
                    "This conversation has been resolved. Thank you!");
        }
    }

    private void notice(Conversation conversation, String korean, String english) {
        String text = "ko".equals(conversation.locale()) ? korean : english;
        service.postSystem(conversation.id(), text, Replies.of(posted -> { }, error ->
                log.warn("system notice for {} not stored: {}", conversation.id(), error.getMessage())));
    }
}
