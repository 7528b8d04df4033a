package dev.sodam.server.routing;

import dev.sodam.server.event.ChatEvent.Presence;

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

    /**
     * The agent's presence as a transfer sees it: {@code OFFLINE} for anyone not connected. The list of
     * transfer targets shows this, so it must agree with {@link #online}; without a router every agent
     * counts as online, as transfers let them through.
     */
    default Presence presence(String agentId) {
        return online(agentId) ? Presence.ONLINE : Presence.OFFLINE;
    }
}
