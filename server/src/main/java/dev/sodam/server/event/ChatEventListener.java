package dev.sodam.server.event;

/** One side effect of events. Called on the domain thread after commit: must not block. */
@FunctionalInterface
public interface ChatEventListener {
    void on(ChatEvent event);
}
