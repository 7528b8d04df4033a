package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfers and private notes over real sockets: the receiving agent gets the conversation, its
 * whole history and the note; the visitor sees a notice and the new agent's name, and never a note.
 */
class TransferTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static String kimId;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        server.awaitBot();
        kimId = server.createAgent("kim@sodam.test", "김상담", "kim-password-1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String queuedChat(WsTestClient visitor) {
        String id = visitor.say("t-1", null, "상담원 연결").get("conversationId").asText();
        visitor.await("status", s -> s.get("state").asText().equals("queued"));
        return id;
    }

    @Test
    void anAgentHandsAChatToAColleagueWithAPrivateNote() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient admin = WsTestClient.connect(server.agentUri());
             WsTestClient kim = WsTestClient.connect(server.agentUri())) {
            visitor.helloVisitor(null, null, 0);
            admin.helloAgent(server.loginAdmin());
            String id = queuedChat(visitor);
            admin.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("assigned"));
            admin.say("a-1", id, "확인해 볼게요.");
            kim.helloAgent(server.login("kim@sodam.test", "kim-password-1"));

            admin.send("{\"type\":\"transfer\",\"conversationId\":\"" + id + "\",\"toAgentId\":\"" + kimId
                    + "\",\"note\":\"주문번호 1234, 환불 요청 중\",\"ref\":\"tr\"}");
            JsonNode push = kim.await("conversation", c -> c.get("conversation").get("id").asText().equals(id)
                    && c.get("conversation").path("agent").path("id").asText().equals(kimId));
            assertThat(push.get("conversation").get("state").asText()).isEqualTo("assigned");
            JsonNode note = kim.await("note");
            assertThat(note.get("text").asText()).isEqualTo("주문번호 1234, 환불 요청 중");
            assertThat(note.get("from").get("name").asText()).isEqualTo("admin");

            JsonNode status = visitor.await("status", s -> s.path("agent").path("id").asText().equals(kimId));
            assertThat(status.get("agent").get("name").asText()).isEqualTo("김상담");
            visitor.await("message", m -> m.get("text").asText().equals("김상담 상담원에게 연결해 드릴게요."));

            // The new agent reads the whole history, and the note with it; the old one may no longer write.
            kim.send("{\"type\":\"sync\",\"conversationId\":\"" + id + "\",\"afterSeq\":0}");
            kim.await("message", m -> m.get("clientMsgId").asText().equals("a-1"));
            kim.say("k-1", id, "안녕하세요, 김상담입니다.");
            admin.send("{\"type\":\"send\",\"clientMsgId\":\"a-2\",\"conversationId\":\"" + id
                    + "\",\"text\":\"아직 제 상담인가요?\",\"ref\":\"a-2\"}");
            assertThat(admin.await("error", e -> e.get("ref").asText().equals("a-2")).get("code").asText())
                    .isEqualTo("forbidden");

            // Notes take no seq: the visitor's stream stays gapless and never contains a note.
            visitor.await("message", m -> m.get("clientMsgId").asText().equals("k-1"));
            List<Long> seqs = visitor.messages(id).stream().map(m -> m.get("seq").asLong()).toList();
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            assertThat(visitor.frames("note")).isEmpty();
            assertThat(visitor.frames().toString()).doesNotContain("환불 요청 중");
        }
    }

    @Test
    void aTransferToATeamGoesBackToTheQueueAtItsPlaceForThatTeam() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient admin = WsTestClient.connect(server.agentUri())) {
            visitor.helloVisitor(null, null, 0);
            admin.helloAgent(server.loginAdmin());
            String id = queuedChat(visitor);
            admin.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("assigned"));

            admin.send("{\"type\":\"transfer\",\"conversationId\":\"" + id + "\",\"toTeamId\":\"payment\"}");
            visitor.await("message", m -> m.get("text").asText().equals("결제/환불 담당 상담원에게 연결해 드릴게요."));
            // lastIndexOf: the requeued status may equal the first queued one field for field (same place,
            // same ETA after earlier tests' accepts), and indexOf would then find the first one forever.
            JsonNode queued = visitor.await("status", s -> s.get("state").asText().equals("queued")
                    && visitor.frames("status").lastIndexOf(s) > 1);
            assertThat(visitor.frames("status")).as("every queued status carries its position")
                    .filteredOn(s -> s.get("state").asText().equals("queued"))
                    .allSatisfy(s -> assertThat(s.has("queuePosition")).isTrue());
            assertThat(queued.get("queuePosition").asInt()).isGreaterThanOrEqualTo(1);
            try (java.sql.Connection db = TestServer.db(dataDir);
                 java.sql.PreparedStatement q = db.prepareStatement("SELECT team_id, agent_id FROM conversations WHERE id = ?")) {
                q.setString(1, id);
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("payment");
                    assertThat(rs.getString(2)).isNull();
                }
            }
        }
    }

    @Test
    void badTransfersAreRefusedAndChangeNothing() throws Exception {
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient admin = WsTestClient.connect(server.agentUri());
             WsTestClient kim = WsTestClient.connect(server.agentUri())) {
            visitor.helloVisitor(null, null, 0);
            admin.helloAgent(server.loginAdmin());
            kim.helloAgent(server.login("kim@sodam.test", "kim-password-1"));
            String id = queuedChat(visitor);
            admin.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("assigned"));

            kim.send("{\"type\":\"transfer\",\"conversationId\":\"" + id + "\",\"toTeamId\":\"payment\",\"ref\":\"k\"}");
            admin.send("{\"type\":\"transfer\",\"conversationId\":\"" + id + "\",\"ref\":\"none\"}");
            admin.send("{\"type\":\"transfer\",\"conversationId\":\"" + id + "\",\"toTeamId\":\"nope\",\"ref\":\"team\"}");
            admin.send("{\"type\":\"transfer\",\"conversationId\":\"" + id + "\",\"toAgentId\":\"ag_nope\",\"ref\":\"agent\"}");
            visitor.send("{\"type\":\"note\",\"conversationId\":\"" + id + "\",\"text\":\"hi\",\"ref\":\"v\"}");
            assertThat(kim.await("error", e -> e.get("ref").asText().equals("k")).get("code").asText()).isEqualTo("forbidden");
            assertThat(admin.await("error", e -> e.get("ref").asText().equals("none")).get("code").asText()).isEqualTo("bad_request");
            assertThat(admin.await("error", e -> e.get("ref").asText().equals("team")).get("code").asText()).isEqualTo("not_found");
            assertThat(admin.await("error", e -> e.get("ref").asText().equals("agent")).get("code").asText()).isEqualTo("not_found");
            assertThat(visitor.await("error", e -> e.get("ref").asText().equals("v")).get("code").asText()).isEqualTo("forbidden");
            assertThat(visitor.frames("status").get(visitor.frames("status").size() - 1).get("state").asText())
                    .isEqualTo("assigned");
        }
    }

    /** An account made through the admin API, as an admin does it: without a password it is an invitation. */
    private static String account(String admin, String email, String name, String password) throws Exception {
        String body = "{\"email\":\"" + email + "\",\"name\":\"" + name + "\",\"role\":\"agent\""
                + (password == null ? "" : ",\"password\":\"" + password + "\"") + "}";
        java.net.http.HttpResponse<String> created = server.post("/api/admin/users", body, admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestServer.json(created.body()).path("user").path("id").asText();
    }

    /**
     * The exploratory test's bug (s28): a chat transferred to an agent who never connected stayed
     * "assigned" to them forever and the visitor was stranded. A transfer to someone who is not there to
     * answer — never connected, invited without a password yet, disabled, connected but away — is refused
     * with {@code conflict}, and the chat stays with the agent who sent it.
     */
    @Test
    void aTransferToAnAgentWhoNeverConnectedIsRefused() throws Exception {
        String adminToken = server.loginAdmin();
        String absent = account(adminToken, "absent@sodam.test", "상담원6", "absent-password-1");
        String invited = account(adminToken, "invited@sodam.test", "초대받은사람", null);
        String leaver = account(adminToken, "leaver@sodam.test", "퇴사자", "leaver-password-1");
        java.net.http.HttpResponse<String> disabled = server.send("PUT", "/api/admin/users/" + leaver,
                "{\"disabled\":true,\"version\":1}", adminToken);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        String away = account(adminToken, "away@sodam.test", "자리비움", "away-password-1");
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient admin = WsTestClient.connect(server.agentUri());
             WsTestClient awayConsole = WsTestClient.connect(server.agentUri())) {
            visitor.helloVisitor(null, null, 0);
            admin.helloAgent(adminToken);
            awayConsole.helloAgent(server.login("away@sodam.test", "away-password-1"));
            awayConsole.send("{\"type\":\"presence\",\"status\":\"away\"}");
            awayConsole.await("presence", p -> p.get("status").asText().equals("away"));
            String id = queuedChat(visitor);
            admin.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("assigned"));

            for (String target : List.of(absent, invited, leaver, away)) {
                admin.send("{\"type\":\"transfer\",\"conversationId\":\"" + id + "\",\"toAgentId\":\"" + target
                        + "\",\"ref\":\"to-" + target + "\"}");
                JsonNode error = admin.await("error", e -> e.path("ref").asText().equals("to-" + target));
                assertThat(error.get("code").asText()).as(target).isEqualTo("conflict");
            }
            assertThat(admin.frames("error").stream().map(e -> e.get("message").asText()).toList())
                    .contains("상담원6 is not online", "초대받은사람 has not set a password yet", "퇴사자's account is disabled",
                            "자리비움 is not online");

            // Nothing moved: the visitor still has the admin, and the stored chat too.
            admin.say("a-1", id, "제가 계속 도와드릴게요.");
            visitor.await("message", m -> m.get("clientMsgId").asText().equals("a-1"));
            assertThat(visitor.frames("status")).allSatisfy(s -> assertThat(s.path("agent").path("id").asText())
                    .isNotIn(absent, invited, leaver, away));
            assertThat(visitor.frames("message")).noneMatch(m -> m.get("text").asText().contains("상담원에게 연결해 드릴게요"));
            try (java.sql.Connection db = TestServer.db(dataDir);
                 java.sql.PreparedStatement q = db.prepareStatement("SELECT state, agent_id FROM conversations WHERE id = ?")) {
                q.setString(1, id);
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualToIgnoringCase("assigned");
                    assertThat(rs.getString(2)).isNotIn(absent, invited, leaver, away);
                }
            }
        }
    }

    /**
     * The transfer dialog asks who could take the chat now, and the answer is what a transfer would find:
     * an online colleague is available, a never-connected, a disabled and an invited (no password yet) one
     * are not, each with the reason; the asker and the chat's own agent are not listed; a visitor may not ask.
     */
    @Test
    void theTransferDialogIsToldWhoCanTakeTheChatNow() throws Exception {
        String adminToken = server.loginAdmin();
        String here = account(adminToken, "here@sodam.test", "접속중", "here-password-1");
        String absent = account(adminToken, "never@sodam.test", "미접속", "never-password-1");
        String invited = account(adminToken, "invited2@sodam.test", "초대중", null);
        String leaver = account(adminToken, "gone@sodam.test", "비활성", "gone-password-1");
        java.net.http.HttpResponse<String> disabled = server.send("PUT", "/api/admin/users/" + leaver,
                "{\"disabled\":true,\"version\":1}", adminToken);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient admin = WsTestClient.connect(server.agentUri());
             WsTestClient hereConsole = WsTestClient.connect(server.agentUri())) {
            visitor.helloVisitor(null, null, 0);
            admin.helloAgent(adminToken);
            hereConsole.helloAgent(server.login("here@sodam.test", "here-password-1"));
            hereConsole.await("presence", p -> p.get("status").asText().equals("online"));
            String id = queuedChat(visitor);
            admin.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("assigned"));

            admin.send("{\"type\":\"colleagues\",\"conversationId\":\"" + id + "\",\"ref\":\"who\"}");
            JsonNode answer = admin.await("colleagues", f -> f.path("ref").asText().equals("who"));
            assertThat(answer.get("conversationId").asText()).isEqualTo(id);
            java.util.Map<String, JsonNode> byId = new java.util.HashMap<>();
            answer.get("colleagues").forEach(c -> byId.put(c.get("id").asText(), c));
            assertThat(byId).containsKeys(here, absent, invited, leaver);
            String adminId = admin.frames("welcome").get(0).get("agent").get("id").asText();
            assertThat(byId).doesNotContainKey(adminId);

            JsonNode available = byId.get(here);
            assertThat(available.get("available").asBoolean()).isTrue();
            assertThat(available.get("state").asText()).isEqualTo("online");
            assertThat(available.has("reason")).isFalse();
            assertThat(available.get("load").asInt()).isZero();
            assertThat(available.get("cap").asInt()).isEqualTo(3);
            for (var expected : java.util.Map.of(absent, "offline", invited, "pending", leaver, "disabled").entrySet()) {
                JsonNode colleague = byId.get(expected.getKey());
                assertThat(colleague.get("available").asBoolean()).as(expected.getValue()).isFalse();
                assertThat(colleague.get("reason").asText()).isEqualTo(expected.getValue());
                assertThat(colleague.get("state").asText()).isEqualTo("offline");
            }

            // What the list offers, the transfer takes.
            admin.send("{\"type\":\"transfer\",\"conversationId\":\"" + id + "\",\"toAgentId\":\"" + here + "\"}");
            hereConsole.await("conversation", c -> c.get("conversation").get("id").asText().equals(id)
                    && c.get("conversation").path("agent").path("id").asText().equals(here));

            visitor.send("{\"type\":\"colleagues\",\"conversationId\":\"" + id + "\",\"ref\":\"v\"}");
            assertThat(visitor.await("error", e -> e.path("ref").asText().equals("v")).get("code").asText())
                    .isEqualTo("forbidden");
        }
    }

    /**
     * An account of another site could not open the chat it was handed (every frame naming it is
     * {@code not_found} to them): the colleagues answer leaves it out, and a transfer to it is refused.
     */
    @Test
    void anAgentOfAnotherSiteIsNotListedAndATransferToThemIsRefused() throws Exception {
        String adminToken = server.loginAdmin();
        server.createSite("shop2");
        java.net.http.HttpResponse<String> created = server.post("/api/admin/users", "{\"email\":\"shop2@sodam.test\","
                + "\"name\":\"가게2상담\",\"role\":\"agent\",\"siteId\":\"shop2\",\"password\":\"shop2-password-1\"}",
                adminToken);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String elsewhere = TestServer.json(created.body()).path("user").path("id").asText();
        try (WsTestClient visitor = WsTestClient.connect(server.visitorUri());
             WsTestClient admin = WsTestClient.connect(server.agentUri());
             WsTestClient shop2 = WsTestClient.connect(server.agentUri())) {
            visitor.helloVisitor(null, null, 0);
            admin.helloAgent(adminToken);
            shop2.helloAgent(server.login("shop2@sodam.test", "shop2-password-1"));
            shop2.await("presence", p -> p.get("status").asText().equals("online"));
            String id = queuedChat(visitor);
            admin.send("{\"type\":\"accept\",\"conversationId\":\"" + id + "\"}");
            visitor.await("status", s -> s.get("state").asText().equals("assigned"));

            admin.send("{\"type\":\"colleagues\",\"conversationId\":\"" + id + "\",\"ref\":\"who\"}");
            JsonNode answer = admin.await("colleagues", f -> f.path("ref").asText().equals("who"));
            assertThat(answer.get("colleagues").findValuesAsText("id")).contains(kimId).doesNotContain(elsewhere);

            admin.send("{\"type\":\"transfer\",\"conversationId\":\"" + id + "\",\"toAgentId\":\"" + elsewhere
                    + "\",\"ref\":\"to-shop2\"}");
            JsonNode refused = admin.await("error", e -> e.path("ref").asText().equals("to-shop2"));
            assertThat(refused.get("code").asText()).isEqualTo("conflict");
            assertThat(refused.get("message").asText()).isEqualTo("가게2상담 does not serve this site");
        }
    }
}
