package dev.sodam.server.store;

import dev.sodam.server.model.Agent;
import java.time.Instant;

/**
 * The account a login token belongs to, and when the token stops working: a cache of tokens must
 * not serve one past that moment.
 */
public record TokenOwner(Agent agent, Instant expiresAt) {
}
