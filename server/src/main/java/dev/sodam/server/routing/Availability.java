package dev.sodam.server.routing;

/**
 * Whether an agent can take a chat handed to them right now: connected and online. Asked by the
 * service, on the domain thread, before it transfers a chat to an agent, so no chat is handed to
 * someone who is not there to answer it (the router's grace period would only return it later).
 */
@FunctionalInterface
public interface Availability {
    /** Nothing known about presence (no router on this node): every agent counts as there. */
    Availability UNKNOWN = agentId -> true;

    boolean online(String agentId);
}
