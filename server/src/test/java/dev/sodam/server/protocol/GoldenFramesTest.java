package dev.sodam.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden frames of docs/protocol/frames are the contract shared with the JS client: every client
 * frame decodes to the expected record, and every server frame built from the Java records
 * serialises to exactly the golden JSON tree (field names, explicit nulls, absent empties).
 */
class GoldenFramesTest {
    private static final String CV = "cv_01jd7k3m9p";
    private static final String VT = "vt_4f1c2a9b8e7d6c5b4a39281706f5e4d3";
    private static final ServerFrame.From VISITOR = new ServerFrame.From("visitor", "vi_7", "방문자 7");
    private static final ServerFrame.From AGENT = new ServerFrame.From("agent", "ag_1", "김소담");
    private static final ServerFrame.From BOT = new ServerFrame.From("bot", "bot", "소담봇");
    private static final ServerFrame.From SYSTEM = new ServerFrame.From("system", "system", "소담");
    private static final List<ServerFrame.ActionView> HANDOFF = List.of(new ServerFrame.ActionView("handoff", "상담원 연결"));

    /** What each golden client frame must decode to. */
    private static final Map<String, ClientFrame> CLIENT_FRAMES = Map.ofEntries(
            Map.entry("c2s-accept.json", new ClientFrame.Accept(null, CV)),
            Map.entry("c2s-handoff.json", new ClientFrame.Handoff(null, CV)),
            Map.entry("c2s-hello-agent.json", new ClientFrame.Hello(null, "agent", null, null, null, null, 0,
                    "at_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d")),
            Map.entry("c2s-hello-visitor-resume.json", new ClientFrame.Hello(null, "visitor", "demo", VT, "ko",
                    CV, 12, null)),
            Map.entry("c2s-hello-visitor.json", new ClientFrame.Hello(null, "visitor", "demo", null, "ko",
                    null, 0, null)),
            Map.entry("c2s-read.json", new ClientFrame.Read(null, CV, 7)),
            Map.entry("c2s-resolve.json", new ClientFrame.Resolve(null, CV)),
            Map.entry("c2s-send-faq.json", new ClientFrame.Send("c-2", "c-2", CV, "배송은 얼마나 걸리나요?",
                    "ko-delivery-time")),
            Map.entry("c2s-send.json", new ClientFrame.Send("c-1", "c-1", null, "배송 언제 와요?", null)),
            Map.entry("c2s-send-handoff.json", new ClientFrame.Send("c-3", "c-3", null, "환불 문의 남깁니다. 주문 1234",
                    null, true)),
            Map.entry("c2s-sync.json", new ClientFrame.Sync(null, CV, 0)),
            Map.entry("c2s-typing.json", new ClientFrame.Typing(null, CV, true)),
            Map.entry("c2s-presence.json", new ClientFrame.Presence(null, "away")),
            Map.entry("c2s-decline.json", new ClientFrame.Decline(null, CV)),
            Map.entry("c2s-transfer.json", new ClientFrame.Transfer(null, CV, "ag_2", null, "주문번호 1234, 환불 요청 중")),
            Map.entry("c2s-transfer-team.json", new ClientFrame.Transfer(null, CV, null, "payment", null)),
            Map.entry("c2s-colleagues.json", new ClientFrame.Colleagues("colleagues-1", CV)),
            Map.entry("c2s-note.json", new ClientFrame.Note(null, CV, "단골 고객, 지난주에도 배송 지연 문의")),
            Map.entry("c2s-identify.json", new ClientFrame.Identify(null, "김민지", "minji@example.com", "u-1234",
                    new java.util.LinkedHashMap<>(Map.of("plan", "pro", "orders", "12")))),
            Map.entry("c2s-rate-thumbs.json", new ClientFrame.Rate(null, CV, "thumbs", "m_01jd7k3m9r", 1, null)),
            Map.entry("c2s-rate-csat.json", new ClientFrame.Rate(null, CV, "csat", null, 5, "빠르고 친절했어요")),
            Map.entry("c2s-label.json", new ClientFrame.Label(null, CV, "환불", true)),
            Map.entry("c2s-page.json", new ClientFrame.Page(null, "https://shop.example.com/orders/1234",
                    "주문 상세 - 소담 마켓")));

    /** The Java record each golden server frame is the serialisation of. */
    private static final Map<String, ServerFrame> SERVER_FRAMES = Map.ofEntries(
            Map.entry("s2c-ack.json", new ServerFrame.Ack("c-1", CV, 1, "m_01jd7k3m9q")),
            Map.entry("s2c-conversation.json", new ServerFrame.ConversationPush(new ServerFrame.AgentConversation(
                    CV, "assigned", 6, "안녕하세요, 김소담입니다. 주문번호를 알려주시겠어요?", "2026-11-22T10:00:05Z",
                    new ServerFrame.Person("vi_7", "방문자 7"), "ko", null, new ServerFrame.Person("ag_1", "김소담"), null,
                    List.of("환불", "VIP"), 5L))),
            Map.entry("s2c-error.json", new ServerFrame.Error("bad_request", "field 'text' is required", "c-9")),
            Map.entry("s2c-message-agent.json", new ServerFrame.MessageFrame(CV, 5, "m_01jd7k3m9u", "a-1", AGENT,
                    "안녕하세요, 김소담입니다. 주문번호를 알려주시겠어요?", "2026-11-22T10:01:00Z", List.of(), List.of())),
            Map.entry("s2c-message-bot-clarify.json", new ServerFrame.MessageFrame(CV, 2, "m_01jd7k3m9r", null, BOT,
                    "이런 질문을 찾으셨나요?", "2026-11-22T10:00:01Z", List.of(
                            new ServerFrame.SuggestionView("ko-delivery-time", "배송은 얼마나 걸리나요?"),
                            new ServerFrame.SuggestionView("ko-delivery-track", "배송 조회는 어떻게 하나요?"),
                            new ServerFrame.SuggestionView("ko-delivery-fee", "배송비는 얼마인가요?")),
                    HANDOFF)),
            Map.entry("s2c-message-bot.json", new ServerFrame.MessageFrame(CV, 2, "m_01jd7k3m9r", null, BOT,
                    "결제 완료 후 보통 1~3 영업일 안에 받아보실 수 있어요.", "2026-11-22T10:00:01Z", List.of(), HANDOFF)),
            Map.entry("s2c-message-system.json", new ServerFrame.MessageFrame(CV, 3, "m_01jd7k3m9s", null, SYSTEM,
                    "상담원을 연결하고 있어요…", "2026-11-22T10:00:05Z", List.of(), List.of())),
            Map.entry("s2c-message-system-notice.json", new ServerFrame.MessageFrame(CV, 4, "m_01jd7k3m9t", null, SYSTEM,
                    "김소담 상담원이 연결되었어요.", "2026-11-22T10:00:30Z", List.of(), List.of(),
                    new ServerFrame.NoticeView("agent.joined", Map.of("name", "김소담")))),
            Map.entry("s2c-message-attachment.json", new ServerFrame.MessageFrame(CV, 6, "m_01jd7k3m9x", "c-7", VISITOR,
                    "📷 이미지", "2026-11-22T10:02:30Z", List.of(), List.of(), null,
                    new ServerFrame.AttachmentView("at_01jd7k3m9y", "image/png", 48213))),
            Map.entry("s2c-message-visitor.json", new ServerFrame.MessageFrame(CV, 1, "m_01jd7k3m9q", "c-1", VISITOR,
                    "배송 언제 와요?", "2026-11-22T10:00:00Z", List.of(), List.of())),
            Map.entry("s2c-read.json", new ServerFrame.ReadFrame(CV, VISITOR, 5)),
            Map.entry("s2c-status-assigned.json", new ServerFrame.Status(CV, "assigned", null, null,
                    new ServerFrame.Person("ag_1", "김소담"))),
            Map.entry("s2c-status-queued.json", new ServerFrame.Status(CV, "queued", 2, null, null)),
            Map.entry("s2c-status-queued-eta.json", new ServerFrame.Status(CV, "queued", 3, 95, null)),
            Map.entry("s2c-status-resolved.json", new ServerFrame.Status(CV, "resolved", null, null, null)),
            Map.entry("s2c-offer.json", new ServerFrame.Offer(CV, "2026-11-22T10:00:35Z",
                    new ServerFrame.AgentConversation(CV, "queued", 4, "상담원 연결", "2026-11-22T10:00:05Z",
                            new ServerFrame.Person("vi_7", "방문자 7"), "ko", 1, null, null, null, null))),
            Map.entry("s2c-note.json", new ServerFrame.NoteFrame(CV, "n_01jd7k3m9v", AGENT,
                    "단골 고객, 지난주에도 배송 지연 문의", "2026-11-22T10:02:00Z")),
            Map.entry("s2c-visitor.json", new ServerFrame.VisitorFrame(CV, new ServerFrame.VisitorProfileView("vi_7",
                    "김민지", "minji@example.com", "u-1234", orderedAttributes()))),
            Map.entry("s2c-rated.json", new ServerFrame.Rated(CV, "fb_01jd7k3m9w", "thumbs", "m_01jd7k3m9r", 1, null,
                    "2026-11-22T10:00:03Z")),
            Map.entry("s2c-offer-withdrawn.json", new ServerFrame.OfferWithdrawn(CV, "timeout")),
            Map.entry("s2c-presence.json", new ServerFrame.PresenceFrame(new ServerFrame.Person("ag_1", "김소담"),
                    "online", 2, 3)),
            Map.entry("s2c-presence-missed-offers.json", new ServerFrame.PresenceFrame(
                    new ServerFrame.Person("ag_1", "김소담"), "away", 0, 3, "missed_offers")),
            Map.entry("s2c-colleagues.json", new ServerFrame.ColleaguesFrame(CV, List.of(
                    new ServerFrame.ColleagueView("ag_2", "이결제", List.of("payment"), "online", 1, 3, true, null),
                    new ServerFrame.ColleagueView("ag_3", "박배송", List.of("delivery", "payment"), "online", 3, 3, false,
                            "at_limit"),
                    new ServerFrame.ColleagueView("ag_4", "최상담", List.of(), "away", 0, 3, false, "away"),
                    new ServerFrame.ColleagueView("ag_5", "정초대", List.of(), "offline", 0, 3, false, "pending")),
                    "colleagues-1")),
            Map.entry("s2c-alert.json", new ServerFrame.Alert("unplaced", CV,
                    "no agent accepted this conversation after 3 offers")),
            Map.entry("s2c-typing.json", new ServerFrame.TypingFrame(CV, AGENT, true)),
            Map.entry("s2c-welcome-agent.json", new ServerFrame.AgentWelcome(1,
                    new ServerFrame.AgentInfo("ag_1", "김소담", "agent"),
                    List.of(new ServerFrame.AgentConversation(CV, "queued", 4, "상담원 연결", "2026-11-22T10:00:05Z",
                            new ServerFrame.Person("vi_7", "방문자 7"), "ko", 1, null, null, null, null)),
                    List.of(new ServerFrame.Person("ag_2", "이결제")),
                    List.of(new ServerFrame.TeamInfo("payment",
                            new java.util.LinkedHashMap<>(Map.of("ko", "결제/환불", "en", "Payments & refunds")))))),
            Map.entry("s2c-welcome-visitor-new.json", new ServerFrame.VisitorWelcome(1, VT, "ko", null)),
            Map.entry("s2c-welcome-visitor.json", new ServerFrame.VisitorWelcome(1, VT, "ko",
                    new ServerFrame.VisitorConversation(CV, "queued", 14, 2, null))));

    private static Map<String, String> orderedAttributes() {
        Map<String, String> attributes = new java.util.LinkedHashMap<>();
        attributes.put("plan", "pro");
        attributes.put("orders", "12");
        return attributes;
    }

    static Path framesDir() {
        String root = System.getProperty("sodam.repo.root");
        Path repo = root == null || root.isBlank() ? Path.of("..") : Path.of(root);
        return repo.resolve("docs/protocol/frames");
    }

    private static List<Path> golden(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(framesDir())) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyGoldenFrameFileHasAnExpectationHereAndViceVersa() throws IOException {
        assertThat(golden("c2s-").stream().map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrderElementsOf(CLIENT_FRAMES.keySet());
        assertThat(golden("s2c-").stream().map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrderElementsOf(SERVER_FRAMES.keySet());
    }

    @TestFactory
    Stream<DynamicTest> goldenClientFramesDecodeToTheirRecords() throws IOException {
        FrameDecoder decoder = new FrameDecoder(4000);
        return golden("c2s-").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ClientFrame expected = CLIENT_FRAMES.get(file.getFileName().toString());
            assertThat(expected).as("expectation for %s", file.getFileName()).isNotNull();
            ClientFrame decoded = decoder.decode(read(file));
            assertThat(decoded).isInstanceOf(expected.getClass()).isEqualTo(expected);
        }));
    }

    @TestFactory
    Stream<DynamicTest> serverFramesSerialiseToTheGoldenJson() throws IOException {
        return golden("s2c-").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ServerFrame frame = SERVER_FRAMES.get(file.getFileName().toString());
            assertThat(frame).as("record for %s", file.getFileName()).isNotNull();
            JsonNode expected = Json.MAPPER.readTree(read(file));
            JsonNode actual = Json.MAPPER.readTree(Frames.toJson(frame));
            assertThat(actual).as("JSON of %s", file.getFileName()).isEqualTo(expected);
        }));
    }

    @Test
    void messageFrameKeepsNullClientMsgIdAndDropsEmptySuggestionsAndActions() throws IOException {
        JsonNode json = Json.MAPPER.readTree(Frames.toJson(new ServerFrame.MessageFrame(CV, 3, "m_1", null, SYSTEM,
                "hi", "2026-11-22T10:00:05Z", List.of(), List.of())));
        assertThat(json.has("clientMsgId")).isTrue();
        assertThat(json.get("clientMsgId").isNull()).isTrue();
        assertThat(json.has("suggestions")).isFalse();
        assertThat(json.has("actions")).isFalse();
    }

    @Test
    void newVisitorWelcomeCarriesExplicitNullConversation() throws IOException {
        JsonNode json = Json.MAPPER.readTree(Frames.toJson(new ServerFrame.VisitorWelcome(1, VT, "ko", null)));
        assertThat(json.has("conversation")).isTrue();
        assertThat(json.get("conversation").isNull()).isTrue();
    }

    @Test
    void colleaguesWithoutRefOmitsRefAndAnAvailableColleagueHasNoReason() throws IOException {
        JsonNode json = Json.MAPPER.readTree(Frames.toJson(new ServerFrame.ColleaguesFrame(CV, List.of(
                new ServerFrame.ColleagueView("ag_2", "이결제", List.of(), "online", 0, 3, true, null)), null)));
        assertThat(json.has("ref")).isFalse();
        assertThat(json.get("colleagues").get(0).has("reason")).isFalse();
        assertThat(json.get("colleagues").get(0).get("teams").isArray()).isTrue();
    }

    @Test
    void errorWithoutRefOmitsRef() throws IOException {
        JsonNode json = Json.MAPPER.readTree(Frames.toJson(new ServerFrame.Error("bad_request", "nope", null)));
        assertThat(json.has("ref")).isFalse();
        assertThat(json.get("type").asText()).isEqualTo("error");
    }
}
