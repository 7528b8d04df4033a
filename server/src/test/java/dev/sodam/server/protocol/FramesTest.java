package dev.sodam.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.model.Action;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Team;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Suggestion;
import dev.sodam.server.store.AgentName;
import dev.sodam.server.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping from domain values to frames ({@link Frames}) produces the golden frames. */
class FramesTest {
    private static final String CV = "cv_01jd7k3m9p";
    private static final String VT = "vt_4f1c2a9b8e7d6c5b4a39281706f5e4d3";
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant QUEUED_AT = Instant.parse("2026-11-22T10:00:05Z");
    private static final Author VISITOR = new Author(Author.Kind.VISITOR, "vi_7", "방문자 7");

    private static Conversation conversation(ConversationState state, long lastSeq, String preview, String agentId,
                                             String agentName) {
        return new Conversation(CV, "demo", "vi_7", "방문자 7", "ko", state, agentId, agentName, lastSeq, preview,
                state == ConversationState.BOT ? null : QUEUED_AT, T0, T0, null, null, false, List.of(), 0);
    }

    private static void assertGolden(ServerFrame frame, String file) throws Exception {
        JsonNode expected = Json.MAPPER.readTree(Files.readString(GoldenFramesTest.framesDir().resolve(file),
                StandardCharsets.UTF_8));
        assertThat(Json.MAPPER.readTree(Frames.toJson(frame))).as(file).isEqualTo(expected);
    }

    @Test
    void feedbackBecomesTheRatedFrame() throws Exception {
        dev.sodam.server.model.Feedback thumbs = new dev.sodam.server.model.Feedback("fb_01jd7k3m9w", "demo", CV,
                "m_01jd7k3m9r", dev.sodam.server.model.Feedback.Kind.THUMBS, 1, null,
                Instant.parse("2026-11-22T10:00:03Z"));
        assertGolden(Frames.rated(thumbs), "s2c-rated.json");
    }

    @Test
    void aProfileBecomesTheVisitorFrame() throws Exception {
        java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
        attributes.put("plan", "pro");
        attributes.put("orders", "12");
        assertGolden(Frames.visitor(CV, new dev.sodam.server.model.VisitorProfile("vi_7", "김민지", "minji@example.com",
                "u-1234", attributes)), "s2c-visitor.json");
    }

    @Test
    void visitorMessageAndItsAck() throws Exception {
        Message m = new Message("m_01jd7k3m9q", CV, 1, "c-1", VISITOR, "배송 언제 와요?", T0, null, null);
        assertGolden(Frames.message(m), "s2c-message-visitor.json");
        assertGolden(Frames.ack(m), "s2c-ack.json");
    }

    @Test
    void botClarifyMessageCarriesSuggestionsAndTheHandoffAction() throws Exception {
        Message m = new Message("m_01jd7k3m9r", CV, 2, null, Author.bot("ko"), "이런 질문을 찾으셨나요?",
                Instant.parse("2026-11-22T10:00:01Z"),
                List.of(new Suggestion("ko-delivery-time", "배송은 얼마나 걸리나요?"),
                        new Suggestion("ko-delivery-track", "배송 조회는 어떻게 하나요?"),
                        new Suggestion("ko-delivery-fee", "배송비는 얼마인가요?")),
                List.of(Action.handoff("ko")));
        assertGolden(Frames.message(m), "s2c-message-bot-clarify.json");
    }

    @Test
    void systemMessageHasNullClientMsgIdAndNoButtons() throws Exception {
        Message m = new Message("m_01jd7k3m9s", CV, 3, null, Author.system("ko"), "상담원을 연결하고 있어요…",
                QUEUED_AT, List.of(), List.of());
        assertGolden(Frames.message(m), "s2c-message-system.json");
        Message joined = new Message("m_01jd7k3m9t", CV, 4, null, Author.system("ko"), "김소담 상담원이 연결되었어요.",
                Instant.parse("2026-11-22T10:00:30Z"), List.of(), List.of(),
                dev.sodam.server.model.Notice.of("agent.joined", "name", "김소담"));
        assertGolden(Frames.message(joined), "s2c-message-system-notice.json");
        Message image = new Message("m_01jd7k3m9x", CV, 6, "c-7", VISITOR, "📷 이미지", Instant.parse("2026-11-22T10:02:30Z"),
                List.of(), List.of(), null, new dev.sodam.server.model.Attachment("at_01jd7k3m9y", "image/png", 48213));
        assertGolden(Frames.message(image), "s2c-message-attachment.json");
    }

    @Test
    void statusShowsQueuePositionOnlyWhenQueuedAndAgentOnlyWhenAssigned() throws Exception {
        assertGolden(Frames.status(conversation(ConversationState.QUEUED, 4, "상담원 연결", null, null), 2),
                "s2c-status-queued.json");
        Conversation assigned = conversation(ConversationState.ASSIGNED, 5, "…", "ag_1", "김소담");
        assertGolden(Frames.status(assigned, 2), "s2c-status-assigned.json");
        assertGolden(Frames.status(assigned.withState(ConversationState.RESOLVED, T0), 0),
                "s2c-status-resolved.json");
    }

    @Test
    void visitorWelcomes() throws Exception {
        assertGolden(Frames.visitorWelcome(VT, "ko", null, 0), "s2c-welcome-visitor-new.json");
        assertGolden(Frames.visitorWelcome(VT, "en", conversation(ConversationState.QUEUED, 14, "x", null, null), 2),
                "s2c-welcome-visitor.json");
    }

    @Test
    void agentWelcomeNumbersTheQueueFromOne() throws Exception {
        Agent agent = new Agent("ag_1", "kim@example.com", "김소담", Agent.Role.AGENT, "hash", T0);
        AgentName colleague = new AgentName("ag_2", "이결제");
        Team payment = new Team("payment", "결제/환불", "Payments & refunds", true, null, List.of("payment"), List.of());
        assertGolden(Frames.agentWelcome(agent,
                List.of(conversation(ConversationState.QUEUED, 4, "상담원 연결", null, null)), List.of(),
                List.of(colleague), List.of(payment)), "s2c-welcome-agent.json");
    }

    @Test
    void conversationPushForAnAssignedConversation() throws Exception {
        Conversation c = conversation(ConversationState.ASSIGNED, 6, "안녕하세요, 김소담입니다. 주문번호를 알려주시겠어요?",
                "ag_1", "김소담").labelled(List.of("환불", "VIP")).readByVisitor(5);
        assertGolden(new ServerFrame.ConversationPush(Frames.forAgent(c, 0)), "s2c-conversation.json");
    }

    @Test
    void agentViewOfABotConversationHasExplicitNullWaitingSince() throws Exception {
        JsonNode json = Json.MAPPER.readTree(Frames.toJson(new ServerFrame.ConversationPush(
                Frames.forAgent(conversation(ConversationState.BOT, 1, "hi", null, null), 0))));
        JsonNode view = json.get("conversation");
        assertThat(view.has("waitingSince")).isTrue();
        assertThat(view.get("waitingSince").isNull()).isTrue();
        assertThat(view.has("queuePosition")).isFalse();
        assertThat(view.has("agent")).isFalse();
    }

    @Test
    void transferTargetsBecomeTheColleaguesFrame() throws Exception {
        List<Results.Colleague> colleagues = List.of(
                new Results.Colleague("ag_2", "이결제", List.of("payment"), Presence.ONLINE, 1, 3, null),
                new Results.Colleague("ag_3", "박배송", List.of("delivery", "payment"), Presence.ONLINE, 3, 3,
                        Results.Refusal.AT_LIMIT),
                new Results.Colleague("ag_4", "최상담", List.of(), Presence.AWAY, 0, 3, Results.Refusal.AWAY),
                new Results.Colleague("ag_5", "정초대", List.of(), Presence.OFFLINE, 0, 3, Results.Refusal.PENDING));
        assertGolden(Frames.colleagues(new Results.Colleagues(CV, colleagues), "colleagues-1"), "s2c-colleagues.json");
    }

    @Test
    void errorFrame() throws Exception {
        assertGolden(Frames.error(ErrorCode.BAD_REQUEST, "field 'text' is required", "c-9"), "s2c-error.json");
    }
}
