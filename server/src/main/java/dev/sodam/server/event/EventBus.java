package dev.sodam.server.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous, in-order dispatch of committed events to listeners. A failing listener is logged and
 * does not stop the others: one broken side effect must not cost a delivery.
 */
public final class EventBus {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);
    private final List<ChatEventListener> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(ChatEventListener listener) {
        listeners.add(listener);
    }

    public void publish(ChatEvent event) {
        for (ChatEventListener listener : listeners) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                log.error("listener {} failed on {}", listener.getClass().getSimpleName(),
                        event.getClass().getSimpleName(), e);
            }
        }
    }
}
