package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: a visitor queued right after a server restart saw no ETA until two more chats had been
 * accepted, because the router kept its dequeue history only in memory. Over real sockets and a real
 * store (SQLite, or PostgreSQL in the PostgreSQL suite), with a clock the test moves.
 */
class QueueEtaAfterRestartTest {
    @TempDir
    Path dataDir;

    private static void accept(WsTestClient agent, WsTestClient visitor, String conversationId) {
        agent.send("{\"type\":\"accept\",\"conversationId\":\"" + conversationId + "\"}");
        visitor.await("status", s -> s.get("state").asText().equals("assigned"));
    }

    @Test
    void theFirstVisitorQueuedAfterARestartGetsAnEtaFromTheAcceptsBeforeIt() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestServer server = TestServer.start(dataDir, Map.of(), clock);
             WsTestClient agent = WsTestClient.connect(server.agentUri());
             WsTestClient first = WsTestClient.connect(server.visitorUri());
             WsTestClient second = WsTestClient.connect(server.visitorUri())) {
            agent.helloAgent(server.loginAdmin());
            first.helloVisitor(null, null, 0);
            second.helloVisitor(null, null, 0);
            String a = first.askForAPerson("v-1");
            String b = second.askForAPerson("v-2");
            accept(agent, first, a);
            clock.advance(Duration.ofSeconds(90));
            accept(agent, second, b);
        }

        clock.advance(Duration.ofSeconds(5));
        try (TestServer server = TestServer.start(dataDir, Map.of(), clock);
             WsTestClient visitor = WsTestClient.connect(server.visitorUri())) {
            visitor.helloVisitor(null, null, 0);
            visitor.askForAPerson("v-3");
            // Nobody is connected to take it: it stays first in line, one stored interval (90 s) away.
            JsonNode status = visitor.await("status", s -> s.get("state").asText().equals("queued")
                    && s.has("etaSeconds"));
            assertThat(status.get("queuePosition").asInt()).isEqualTo(1);
            assertThat(status.get("etaSeconds").asInt()).isEqualTo(90);
        }
    }
}
