package dev.sodam.server.cluster;

import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.model.Agent;
import java.util.List;

/**
 * The agents connected to one node, as that node tells the routing owner when asked (a take-over, or the
 * node heard again after silence). The owner applies the difference to what it counted for the node, so a
 * roster told twice changes nothing and nobody's offers are withdrawn for it.
 *
 * @param agents each agent once, with how many connections it has on the node; an agent with none is one the
 *               node keeps away for the presence grace period after their last connection there closed (a
 *               reload may bring them back on any node)
 */
record Roster(List<Entry> agents) {
    Roster {
        agents = List.copyOf(agents);
    }

    /**
     * One agent: who (without the password hash), their cap and presence, their connections on the node, and
     * why routing set that presence ({@code missed_offers}; null: their own choice, or none told).
     * A node of an older version sends no reason (null) and ignores it.
     */
    record Entry(Agent agent, int cap, Presence presence, int connections, String reason) {
        Entry(Agent agent, int cap, Presence presence, int connections) {
            this(agent, cap, presence, connections, null);
        }
    }
}
