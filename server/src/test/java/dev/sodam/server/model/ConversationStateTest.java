package dev.sodam.server.model;

import static dev.sodam.server.model.ConversationState.ASSIGNED;
import static dev.sodam.server.model.ConversationState.BOT;
import static dev.sodam.server.model.ConversationState.QUEUED;
import static dev.sodam.server.model.ConversationState.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConversationStateTest {
    /** The whole transition table of docs/protocol.md; anything not listed is refused. */
    private static final Map<ConversationState, Set<ConversationState>> ALLOWED = Map.of(
            BOT, EnumSet.of(QUEUED, RESOLVED),
            QUEUED, EnumSet.of(ASSIGNED, RESOLVED),
            ASSIGNED, EnumSet.of(QUEUED, RESOLVED),
            RESOLVED, EnumSet.noneOf(ConversationState.class));

    @Test
    void onlyTheDocumentedTransitionsAreAllowed() {
        for (ConversationState from : ConversationState.values()) {
            for (ConversationState to : ConversationState.values()) {
                assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
    }

    @Test
    void resolvedIsFinal() {
        for (ConversationState to : ConversationState.values()) {
            assertThat(RESOLVED.canMoveTo(to)).as("RESOLVED -> %s", to).isFalse();
        }
    }

    @Test
    void noStateGoesBackToTheBotOrStaysPut() {
        assertThat(QUEUED.canMoveTo(BOT)).isFalse();
        assertThat(ASSIGNED.canMoveTo(BOT)).isFalse();
        for (ConversationState s : ConversationState.values()) {
            assertThat(s.canMoveTo(s)).as("%s -> itself", s).isFalse();
        }
    }

    @Test
    void onlyResolvedIsClosedAndWireNamesAreLowerCase() {
        assertThat(BOT.isOpen()).isTrue();
        assertThat(QUEUED.isOpen()).isTrue();
        assertThat(ASSIGNED.isOpen()).isTrue();
        assertThat(RESOLVED.isOpen()).isFalse();
        assertThat(QUEUED.wire()).isEqualTo("queued");
    }
}
