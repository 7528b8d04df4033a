package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.WsTestClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Labels on conversations over real sockets: who may set them, the push every agent gets, the limit,
 * and the labels still there after a reconnect. Read receipts: the visitor's read mark reaches the
 * agent live and is stored, so the next welcome carries it; it never goes back.
 */
class LabelAndReadTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.started().withBot();

    @BeforeAll
    static void start() throws Exception {
        app.server().createAgent("kim@sodam.test", "김상담", "kim-password-1");
    }

    private static String label(String id, String label, boolean on, String ref) {
        return "{\"type\":\"label\",\"conversationId\":\"" + id + "\",\"label\":\"" + label + "\",\"on\":" + on
                + ",\"ref\":\"" + ref + "\"}";
    }

    private static List<String> labelsOf(JsonNode conversation) {
        List<String> out = new ArrayList<>();
        conversation.path("labels").forEach(l -> out.add(l.asText()));
        return out;
    }

    @Test
    void theAssignedAgentLabelsAChatAndEveryAgentSeesIt() throws Exception {
        String adminToken = app.server().loginAdmin();
        String kimToken = app.server().login("kim@sodam.test", "kim-password-1");
        String id;
        try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri());
             WsTestClient admin = WsTestClient.connect(app.server().agentUri());
             WsTestClient kim = WsTestClient.connect(app.server().agentUri())) {
            visitor.helloVisitor(null, null, 0);
            admin.helloAgent(adminToken);
            kim.helloAgent(kimToken);
            id = visitor.say("v-1", null, "상담원 연결").get("conversationId").asText();
            visitor.await("status", s -> s.get("state").asText().equals("queued"));
            admin.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("assigned"));

            admin.send(label(id, " 환불 ", true, "l-1"));
            JsonNode pushed = kim.await("conversation", c -> labelsOf(c.get("conversation")).contains("환불"));
            assertThat(labelsOf(pushed.get("conversation"))).containsExactly("환불");
            admin.send(label(id, "VIP", true, "l-2"));
            kim.await("conversation", c -> labelsOf(c.get("conversation")).equals(List.of("환불", "VIP")));

            // Kim is not assigned: forbidden; a visitor: forbidden; the visitor never sees labels.
            kim.send(label(id, "스팸", true, "k-1"));
            assertThat(kim.await("error", e -> e.path("ref").asText().equals("k-1")).get("code").asText()).isEqualTo("forbidden");
            visitor.send(label(id, "스팸", true, "v-l"));
            assertThat(visitor.await("error", e -> e.path("ref").asText().equals("v-l")).get("code").asText())
                    .isEqualTo("forbidden");

            // At most ten; removing one works; removing one it has not changes nothing.
            for (int i = 3; i <= 10; i++) {
                admin.send(label(id, "l" + i, true, "l-" + i));
            }
            kim.await("conversation", c -> labelsOf(c.get("conversation")).size() == 10);
            admin.send(label(id, "one-too-many", true, "l-11"));
            assertThat(admin.await("error", e -> e.path("ref").asText().equals("l-11")).get("code").asText())
                    .isEqualTo("conflict");
            admin.send(label(id, "VIP", false, "l-12"));
            kim.await("conversation", c -> labelsOf(c.get("conversation")).size() == 9
                    && !labelsOf(c.get("conversation")).contains("VIP"));
            int pushes = kim.frames("conversation").size();
            admin.send(label(id, "VIP", false, "l-13"));
            admin.send(label(id, "환불", true, "l-14"));
            admin.send(label(id, "l3", false, "l-15"));
            kim.await("conversation", c -> labelsOf(c.get("conversation")).contains("l10")
                    && !labelsOf(c.get("conversation")).contains("l3"));
            assertThat(kim.frames("conversation").size()).as("the two no-ops pushed nothing").isEqualTo(pushes + 1);
            assertThat(visitor.frames().toString()).doesNotContain("labels");
        }

        // Stored: the next welcome lists the chat with its labels.
        try (WsTestClient admin = WsTestClient.connect(app.server().agentUri())) {
            JsonNode welcome = admin.helloAgent(adminToken);
            JsonNode mine = null;
            for (JsonNode c : welcome.get("conversations")) {
                if (c.get("id").asText().equals(id)) {
                    mine = c;
                }
            }
            assertThat(mine).isNotNull();
            assertThat(labelsOf(mine)).hasSize(8).startsWith("환불").doesNotContain("VIP");
        }
    }

    private static long readSeqIn(JsonNode welcome, String id) {
        for (JsonNode c : welcome.get("conversations")) {
            if (c.get("id").asText().equals(id)) {
                return c.path("visitorReadSeq").asLong(0);
            }
        }
        throw new AssertionError("conversation " + id + " not in the welcome");
    }

    @Test
    void theVisitorsReadMarkReachesTheAgentLiveAndAfterAReconnect() throws Exception {
        String adminToken = app.server().loginAdmin();
        String id;
        long agentSeq;
        try (WsTestClient visitor = WsTestClient.connect(app.server().visitorUri());
             WsTestClient admin = WsTestClient.connect(app.server().agentUri())) {
            visitor.helloVisitor(null, null, 0);
            admin.helloAgent(adminToken);
            id = visitor.say("v-1", null, "상담원 연결").get("conversationId").asText();
            visitor.await("status", s -> s.get("state").asText().equals("queued"));
            admin.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("assigned"));
            agentSeq = admin.say("a-1", id, "안녕하세요, 확인해 드릴게요.").get("seq").asLong();

            visitor.send("{\"type\":\"read\",\"conversationId\":\"" + id + "\",\"seq\":" + agentSeq + "}");
            JsonNode read = admin.await("read", r -> r.get("seq").asLong() == agentSeq);
            assertThat(read.get("from").get("kind").asText()).isEqualTo("visitor");
            // An older mark (another tab) is relayed but does not lower what is stored; the agent's own read changes nothing.
            visitor.send("{\"type\":\"read\",\"conversationId\":\"" + id + "\",\"seq\":1}");
            admin.await("read", r -> r.get("seq").asLong() == 1);
            admin.send("{\"type\":\"read\",\"conversationId\":\"" + id + "\",\"seq\":" + (agentSeq - 1) + "}");
            visitor.await("read", r -> r.get("seq").asLong() == agentSeq - 1);
        }
        try (WsTestClient admin = WsTestClient.connect(app.server().agentUri())) {
            assertThat(readSeqIn(admin.helloAgent(adminToken), id)).isEqualTo(agentSeq);
        }
    }
}
