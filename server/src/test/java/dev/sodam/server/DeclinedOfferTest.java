package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.routing.RoutingSettings;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression over real sockets: an agent alone online who declined a chat got the same offer straight
 * back. The declined chat now waits out the cool-off ({@code routing.declineCooldownSeconds}, default
 * 60 s) before it is offered to them again, and the visitor keeps their place meanwhile. The test moves
 * the server's clock; no sleeps.
 */
class DeclinedOfferTest {
    @TempDir
    Path dataDir;

    private static List<String> offered(WsTestClient agent) {
        return agent.frames("offer").stream().map(o -> o.get("conversationId").asText()).toList();
    }

    @Test
    void aLoneAgentWhoDeclinesIsNotOfferedTheSameChatAgainUntilTheCoolOffEnds() throws Exception {
        Duration coolOff = RoutingSettings.DEFAULT_DECLINE_COOLDOWN;
        MutableClock clock = new MutableClock(Instant.now());
        try (TestServer server = TestServer.start(dataDir, Map.of(), clock);
             WsTestClient agent = WsTestClient.connect(server.agentUri());
             WsTestClient first = WsTestClient.connect(server.visitorUri());
             WsTestClient second = WsTestClient.connect(server.visitorUri())) {
            agent.helloAgent(server.loginAdmin());
            first.helloVisitor(null, null, 0);
            second.helloVisitor(null, null, 0);
            String declined = first.askForAPerson("v-1");
            agent.await("offer", o -> o.get("conversationId").asText().equals(declined));
            agent.send("{\"type\":\"decline\",\"conversationId\":\"" + declined + "\"}");
            agent.await("offer_withdrawn", w -> w.get("conversationId").asText().equals(declined)
                    && w.get("reason").asText().equals("declined"));

            // Just before the cool-off ends, a second visitor asks: that routing pass offers the agent the
            // second chat only (offers go in queue order, so the declined one would have come first).
            clock.advance(coolOff.minusSeconds(1));
            String next = second.askForAPerson("v-2");
            agent.await("offer", o -> o.get("conversationId").asText().equals(next));
            assertThat(offered(agent)).containsExactly(declined, next);
            second.await("status", s -> s.path("queuePosition").asInt() == 2);
            List<JsonNode> statuses = first.frames("status");
            JsonNode place = statuses.get(statuses.size() - 1);
            assertThat(place.get("state").asText()).isEqualTo("queued");
            assertThat(place.get("queuePosition").asInt()).as("the visitor keeps their place").isEqualTo(1);

            // The cool-off ends: the next tick offers it to them again.
            clock.advance(Duration.ofSeconds(1));
            agent.await("offer", o -> o.get("conversationId").asText().equals(declined)
                    && agent.frames("offer").indexOf(o) > 0);
            assertThat(offered(agent)).containsExactly(declined, next, declined);
        }
    }
}
