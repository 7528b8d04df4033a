package dev.sodam.server.ops;

import dev.sodam.server.event.ChatEvent;
import dev.sodam.server.event.ChatEventListener;
import java.time.Clock;
import java.time.Duration;

/** Counts what the bus reports: stored messages by author, the queue's length, and how long chats waited. */
public final class MetricsListener implements ChatEventListener {
    private final SodamMetrics metrics;
    private final Clock clock;

    public MetricsListener(SodamMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void on(ChatEvent event) {
        if (event instanceof ChatEvent.MessagePosted posted) {
            metrics.message(posted.message().from().kind().wire());
        } else if (event instanceof ChatEvent.QueueChanged changed) {
            metrics.queueLength(changed.queue().size());
        } else if (event instanceof ChatEvent.RoutingRestored restored) {
            metrics.queueLength(restored.queue().size());
        } else if (event instanceof ChatEvent.ConversationAssigned assigned
                && assigned.conversation().waitingSince() != null) {
            metrics.queueWait(Duration.between(assigned.conversation().waitingSince(), clock.instant()));
        }
    }
}
