package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Regression over real sockets: an agent who walked away from an open console stayed online, so chats
 * kept being offered to them and every visitor waited out the offer for nothing. After two offers in a
 * row time out ({@code routing.awayAfterMissedOffers}, default 2) the server sets them away: their other
 * offer is withdrawn, their console and the admin are told why ({@code reason: missed_offers}), no offer
 * comes while they are away, and pressing "online" brings the offers back. The test moves the server's
 * clock; no sleeps.
 */
class MissedOffersAwayTest {
    private static final String KIM = "kim@sodam.test";
    private static final String KIM_PASSWORD = "kim-password-1";

    @TempDir
    Path dataDir;

    private static List<String> offered(WsTestClient agent) {
        return agent.frames("offer").stream().map(o -> o.get("conversationId").asText()).toList();
    }

    private static boolean presence(JsonNode frame, String agentId, String status, String reason) {
        return frame.path("agent").path("id").asText().equals(agentId) && frame.path("status").asText().equals(status)
                && (reason == null ? !frame.has("reason") : frame.path("reason").asText().equals(reason));
    }

    @Test
    void anAgentWhoLetsTwoOffersInARowTimeOutIsSetAwayAndToldWhy() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestServer server = TestServer.start(dataDir, Map.of(), clock);
             WsTestClient admin = WsTestClient.connect(server.agentUri());
             WsTestClient kim = WsTestClient.connect(server.agentUri());
             WsTestClient first = WsTestClient.connect(server.visitorUri());
             WsTestClient second = WsTestClient.connect(server.visitorUri())) {
            String kimId = server.createAgent(KIM, "김상담", KIM_PASSWORD);
            // The admin watches (admins get every agent's presence) and takes no offers.
            admin.helloAgent(server.loginAdmin());
            admin.send("{\"type\":\"presence\",\"status\":\"away\"}");
            admin.await("presence", p -> p.path("status").asText().equals("away"));
            kim.helloAgent(server.login(KIM, KIM_PASSWORD));
            first.helloVisitor(null, null, 0);
            second.helloVisitor(null, null, 0);

            String a = first.askForAPerson("v-1");
            kim.await("offer", o -> o.get("conversationId").asText().equals(a));
            clock.advance(Duration.ofSeconds(10));
            String b = second.askForAPerson("v-2");
            kim.await("offer", o -> o.get("conversationId").asText().equals(b));

            // a runs out: one miss, and kim (alone online) is offered it again.
            clock.advance(Duration.ofSeconds(20));
            kim.await("offer_withdrawn", w -> w.get("conversationId").asText().equals(a)
                    && w.get("reason").asText().equals("timeout"));
            kim.await("offer", o -> o.get("conversationId").asText().equals(a) && kim.frames("offer").indexOf(o) == 2);
            assertThat(kim.frames("presence")).noneMatch(p -> p.has("reason"));

            // b runs out too: the second miss in a row sets kim away, and the offer of a goes with it.
            clock.advance(Duration.ofSeconds(10));
            kim.await("offer_withdrawn", w -> w.get("conversationId").asText().equals(b)
                    && w.get("reason").asText().equals("timeout"));
            kim.await("presence", p -> presence(p, kimId, "away", "missed_offers"));
            kim.await("offer_withdrawn", w -> w.get("conversationId").asText().equals(a)
                    && w.get("reason").asText().equals("presence"));
            admin.await("presence", p -> presence(p, kimId, "away", "missed_offers"));

            // Away: a minute passes, both visitors still wait, and nothing is offered to kim. Then kim
            // presses "online": the queue is offered again from the top, and the frame has no reason.
            clock.advance(Duration.ofSeconds(60));
            kim.send("{\"type\":\"presence\",\"status\":\"online\"}");
            kim.await("presence", p -> presence(p, kimId, "online", null));
            kim.await("offer", o -> kim.frames("offer").indexOf(o) == 4);
            assertThat(offered(kim)).as("no offer while away").containsExactly(a, b, a, a, b);
            List<JsonNode> statuses = first.frames("status");
            assertThat(statuses.get(statuses.size() - 1).get("state").asText()).isEqualTo("queued");
        }
    }

    /**
     * Regression: only the frame announcing the change carried the reason, so a console that connected
     * afterwards — the same tab reloaded, a second tab, a supervisor's reloaded page — showed the agent away
     * without saying why or how to come back. The reason now lasts until the next presence change, and the
     * presence frame a connecting console gets carries it; once the agent is back online it is gone.
     */
    @Test
    void aConsoleThatConnectsWhileTheAgentIsAwayForMissedOffersIsToldWhy() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestServer server = TestServer.start(dataDir, Map.of(), clock);
             WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            String kimId = server.createAgent(KIM, "김상담", KIM_PASSWORD);
            String token = server.login(KIM, KIM_PASSWORD);
            try (WsTestClient kim = WsTestClient.connect(server.agentUri())) {
                kim.helloAgent(token);
                visitor.helloVisitor(null, null, 0);
                String a = visitor.askForAPerson("v-1");
                kim.await("offer", o -> o.get("conversationId").asText().equals(a));
                clock.advance(Duration.ofSeconds(30)); // one miss: offered again
                kim.await("offer", o -> kim.frames("offer").indexOf(o) == 1);
                clock.advance(Duration.ofSeconds(30)); // the second miss in a row
                kim.await("presence", p -> presence(p, kimId, "away", "missed_offers"));

                // A second tab: told why.
                try (WsTestClient tab = WsTestClient.connect(server.agentUri())) {
                    tab.helloAgent(token);
                    JsonNode first = tab.await("presence", p -> p.path("agent").path("id").asText().equals(kimId));
                    assertThat(presence(first, kimId, "away", "missed_offers")).as(first.toString()).isTrue();
                }
            } // and the first one reloads, within the presence grace
            try (WsTestClient reloaded = WsTestClient.connect(server.agentUri());
                 WsTestClient admin = WsTestClient.connect(server.agentUri())) {
                reloaded.helloAgent(token);
                JsonNode first = reloaded.await("presence", p -> p.path("agent").path("id").asText().equals(kimId));
                assertThat(presence(first, kimId, "away", "missed_offers")).as(first.toString()).isTrue();
                // A supervisor's console opened now lists kim as away for missed offers, not only away.
                admin.helloAgent(server.loginAdmin());
                admin.await("presence", p -> presence(p, kimId, "away", "missed_offers"));

                // Back online: the reason is over, for the open consoles and for the next one.
                reloaded.send("{\"type\":\"presence\",\"status\":\"online\"}");
                reloaded.await("presence", p -> presence(p, kimId, "online", null));
                reloaded.send("{\"type\":\"presence\",\"status\":\"away\"}"); // their own choice: no reason
                reloaded.await("presence", p -> presence(p, kimId, "away", null));
                try (WsTestClient later = WsTestClient.connect(server.agentUri())) {
                    later.helloAgent(token);
                    JsonNode told = later.await("presence", p -> p.path("agent").path("id").asText().equals(kimId));
                    assertThat(presence(told, kimId, "away", null)).as(told.toString()).isTrue();
                }
            }
        }
    }
}
