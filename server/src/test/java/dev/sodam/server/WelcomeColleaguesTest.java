package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's {@code welcome.colleagues} over a real socket, pinned while the hello stopped reading whole
 * account rows for it: the other enabled accounts that may serve the agent's site — installation-wide ones
 * and that site's, invited ones (no password yet) included — by name, each as id and name only; never the
 * agent, a disabled account, or, for an account of one site, another site's.
 */
class WelcomeColleaguesTest {
    @TempDir
    Path dataDir;

    private static List<String> colleagues(JsonNode welcome) {
        List<String> ids = new ArrayList<>();
        welcome.get("colleagues").forEach(c -> {
            assertThat(c.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("id", "name");
            ids.add(c.get("id").asText());
        });
        return ids;
    }

    @Test
    void theWelcomeListsTheColleaguesWhoMayServeTheAgentsSiteByName() throws Exception {
        try (TestServer server = TestServer.start(dataDir);
             WsTestClient admin = WsTestClient.connect(server.agentUri());
             WsTestClient shopAgent = WsTestClient.connect(server.agentUri())) {
            server.createSite("shop");
            String kim = server.createAgent("kim@sodam.test", "김상담", "kim-password-1");
            String lee = server.createAgent("lee@sodam.test", "이상담", "lee-password-1");
            String off = server.createAgent("off@sodam.test", "가퇴사", "off-password-1");
            String invited = server.createAgent("new@sodam.test", "나신입", "new-password-1");
            String shop = server.createAgent("shop@sodam.test", "박상점", "shop-password-1");
            String shop2 = server.createAgent("shop2@sodam.test", "다상점", "shop2-password-1");
            try (Connection db = TestServer.db(dataDir); Statement sql = db.createStatement()) {
                sql.executeUpdate("UPDATE agents SET disabled = 1 WHERE id = '" + off + "'");
                sql.executeUpdate("UPDATE agents SET password_hash = '!invited' WHERE id = '" + invited + "'");
                sql.executeUpdate("UPDATE agents SET site_id = 'shop' WHERE id IN ('" + shop + "', '" + shop2 + "')");
                sql.executeUpdate("UPDATE agents SET site_id = 'demo' WHERE id = '" + lee + "'");
            }

            JsonNode welcome = admin.helloAgent(server.loginAdmin());
            String adminId = welcome.get("agent").get("id").asText();
            // Installation-wide: everyone enabled but themselves, by name (김, 나, 다, 박, 이).
            assertThat(colleagues(welcome)).containsExactly(kim, invited, shop2, shop, lee);
            assertThat(welcome.get("colleagues").get(0).get("name").asText()).isEqualTo("김상담");

            // Of site shop: the installation-wide accounts and shop's, not demo's (lee).
            JsonNode shopWelcome = shopAgent.helloAgent(server.login("shop@sodam.test", "shop-password-1"));
            List<String> seen = colleagues(shopWelcome);
            assertThat(seen).containsExactlyInAnyOrder(adminId, kim, invited, shop2);
            assertThat(seen).doesNotContain(shop, lee, off);
        }
    }
}
