package dev.sodam.server.insight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.bot.FaqEntry;
import dev.sodam.server.auth.Principal.AgentPrincipal;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Feedback;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Site;
import dev.sodam.server.model.Suggestion;
import dev.sodam.server.model.Team;
import dev.sodam.server.routing.RoutingSettings;
import dev.sodam.server.store.SqliteStore;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.util.Ids;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's figures over a real SQLite file, with conversations driven through the real
 * {@link ConversationService} on a manual clock: every figure below is worked out by hand from
 * the timeline, including the business-hours-only times across a weekend.
 */
class AnalyticsTest {
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    static final RoutingSettings SETTINGS = new RoutingSettings(3, Duration.ofSeconds(30), 3, Duration.ofSeconds(20));
    static final String WEEKDAYS = "{\"timeZone\":\"Asia/Seoul\",\"weekly\":{\"mon\":[\"09:00-18:00\"],"
            + "\"tue\":[\"09:00-18:00\"],\"wed\":[\"09:00-18:00\"],\"thu\":[\"09:00-18:00\"],\"fri\":[\"09:00-18:00\"]}}";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(at(20, 9, 0));
    SqliteStore store;
    ConversationService service;
    AgentPrincipal kim;
    final java.util.Map<String, VisitorPrincipal> visitors = new java.util.HashMap<>();

    /** November 2026 in Seoul: the 20th is a Friday, the 23rd a Monday. */
    static Instant at(int day, int hour, int minute) {
        return ZonedDateTime.of(2026, 11, day, hour, minute, 0, 0, SEOUL).toInstant();
    }

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        service = new ConversationService(store, new EventBus(), clock, new Ids(clock), SETTINGS);
        Agent agent = new Agent("ag_kim", "kim@sodam.test", "김배송", Agent.Role.AGENT, "x", clock.instant());
        kim = new AgentPrincipal(agent);
        Replies.<Void>future(r -> service.execute(tx -> {
            tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
            tx.insertAgent(agent);
            tx.insertTeam(new Team("delivery", "배송", "Delivery", false, WEEKDAYS, List.of("delivery"), List.of("ag_kim")));
            tx.insertFaq(new FaqEntry("ko-delivery-time", "ko", "배송은 얼마나 걸리나요?", List.of(), "1~3일", List.of("delivery")),
                    clock.instant());
            return null;
        }, r)).join();
    }

    @AfterEach
    void close() {
        service.close();
        store.close();
    }

    private String visitorAsks(Instant when) {
        clock.set(when);
        VisitorPrincipal visitor = new VisitorPrincipal(Replies.<Results.VisitorHello>future(r ->
                service.helloVisitor("demo", null, "ko", null, 0, r)).join().visitor());
        String id = Replies.<Results.Posted>future(r -> service.post(visitor, null, "q", "질문이 있어요", null, r))
                .join().conversation().id();
        visitors.put(id, visitor);
        return id;
    }

    /** What FaqBotAnswerer leads to: the decision about message 1 is stored, then the reply. Returns the reply's id. */
    private String botAnswers(String id, String faqId, double confidence) {
        turn(id, "answer", null, faqId, confidence);
        return Replies.<Results.Posted>future(r -> service.postBotReply(id, "답변", List.of(), List.of(), "delivery", r))
                .join().message().id();
    }

    private void botClarifies(String id) {
        turn(id, "clarify", null, null, 0.4);
        Replies.<Results.Posted>future(r -> service.postBotReply(id, "이런 질문을 찾으셨나요?",
                List.of(new Suggestion("ko-delivery-time", "배송은 얼마나 걸리나요?")), List.of(), "delivery", r)).join();
    }

    private void turn(String id, String decision, String reason, String faqId, double confidence) {
        Replies.<BotTurn>future(r -> service.recordBotTurn(new BotTurn(id, 1, "질문이 있어요", decision, reason, faqId,
                confidence, faqId, List.of(), clock.instant()), r)).join();
    }

    private void handoff(String id, HandoffReason reason, Instant when) {
        clock.set(when);
        if (reason == HandoffReason.BOT_UNSURE) {
            turn(id, "handoff", "unsure", null, 0.1);
        }
        Replies.<Conversation>future(r -> service.requestHandoff(null, id, reason, "delivery", r)).join();
    }

    private void rate(String id, Feedback.Kind kind, String messageId, int score) {
        Replies.<Feedback>future(r -> service.rate(visitors.get(id), id, kind, messageId, score, null, r)).join();
    }

    private void kimServes(String id, Instant accepted, Instant firstMessage, Instant resolved) {
        clock.set(accepted);
        Replies.<Conversation>future(r -> service.accept(kim, id, r)).join();
        clock.set(firstMessage);
        Replies.<Results.Posted>future(r -> service.post(kim, id, "k-1", "안녕하세요, 김배송입니다.", null, r)).join();
        clock.set(firstMessage.plusSeconds(30));
        Replies.<Results.Posted>future(r -> service.post(kim, id, "k-2", "확인해 드릴게요.", null, r)).join();
        clock.set(resolved);
        Replies.<Conversation>future(r -> service.resolve(kim, id, r)).join();
    }

    private void timeline() {
        String c1 = visitorAsks(at(20, 10, 0));
        rate(c1, Feedback.Kind.THUMBS, botAnswers(c1, "ko-delivery-time", 0.9), 1);
        String c2 = visitorAsks(at(20, 10, 30));
        rate(c2, Feedback.Kind.THUMBS, botAnswers(c2, "ko-delivery-time", 0.85), 0);
        // Clarified, then the visitor asked for a person; served within hours.
        String c3 = visitorAsks(at(20, 11, 0));
        botClarifies(c3);
        handoff(c3, HandoffReason.VISITOR_ASKED, at(20, 11, 1));
        kimServes(c3, at(20, 11, 3), at(20, 11, 4), at(20, 11, 10));
        rate(c3, Feedback.Kind.CSAT, null, 5);
        rate(c3, Feedback.Kind.NPS, null, 9);
        // Ten minutes before closing on Friday, served on Monday morning.
        String c4 = visitorAsks(at(20, 17, 50));
        handoff(c4, HandoffReason.BOT_UNSURE, at(20, 17, 50));
        kimServes(c4, at(23, 9, 5), at(23, 9, 6), at(23, 9, 20));
        rate(c4, Feedback.Kind.CSAT, null, 2);
        rate(c4, Feedback.Kind.NPS, null, 3);
        // Saturday night, answered by the bot.
        String c5 = visitorAsks(at(21, 3, 0));
        botAnswers(c5, "ko-refund", 0.8);
        // Outside the period: Sunday.
        String c6 = visitorAsks(at(22, 12, 0));
        botAnswers(c6, "ko-refund", 0.8);
        clock.set(at(24, 12, 0));
    }

    @Test
    void everyFigureMatchesTheTimelineWorkedOutByHand() {
        timeline();
        ReportRange range = ReportRange.parse("2026-11-20", "2026-11-21", "Asia/Seoul", clock.instant());
        Analytics.Report r = store.read(tx -> Analytics.build(tx, range, null, null));

        assertThat(r.conversations()).isEqualTo(5);
        assertThat(r.perDay()).containsExactly(new Analytics.Day("2026-11-20", 4, 2, 2),
                new Analytics.Day("2026-11-21", 1, 0, 1));
        assertThat(r.perHour().get(10).conversations()).isEqualTo(2);
        assertThat(r.perHour().get(11).conversations()).isEqualTo(1);
        assertThat(r.perHour().get(17).conversations()).isEqualTo(1);
        assertThat(r.perHour().get(3).conversations()).isEqualTo(1);
        assertThat(r.perHour().stream().mapToInt(Analytics.Hour::conversations).sum()).isEqualTo(5);

        // The bot replied in four; three of them never needed a person.
        assertThat(r.bot()).isEqualTo(new Analytics.Bot(4, 3, 0.6, 3, 1));
        assertThat(r.handoffs().count()).isEqualTo(2);
        assertThat(r.handoffs().rate()).isEqualTo(0.4);
        assertThat(r.handoffs().reasons()).containsOnlyKeys("bot_unsure", "visitor_asked");

        long weekend = Duration.between(at(20, 17, 50), at(23, 9, 5)).toSeconds();
        assertThat(r.times().waiting()).isEqualTo(new Analytics.Stats(2, (120.0 + weekend) / 2, 120.0, (double) weekend));
        // Within business hours: Friday 17:50–18:00 and Monday 09:00–09:05.
        assertThat(r.times().waitingBusinessHours()).isEqualTo(new Analytics.Stats(2, 510.0, 120.0, 900.0));
        assertThat(r.times().firstResponse().medianSeconds()).isEqualTo(180.0);
        assertThat(r.times().firstResponseBusinessHours()).isEqualTo(new Analytics.Stats(2, 570.0, 180.0, 960.0));
        assertThat(r.times().resolution().medianSeconds()).isEqualTo(600.0);
        assertThat(r.times().resolutionBusinessHours()).isEqualTo(new Analytics.Stats(2, 1200.0, 600.0, 1800.0));

        assertThat(r.busiestFaq()).containsExactly(new Analytics.FaqUse("ko-delivery-time", "배송은 얼마나 걸리나요?", 2),
                new Analytics.FaqUse("ko-refund", null, 1));
        assertThat(r.agents()).hasSize(1);
        Analytics.AgentLoad load = r.agents().get(0);
        assertThat(load.name()).isEqualTo("김배송");
        assertThat(load.assigned()).isEqualTo(2);
        assertThat(load.resolved()).isEqualTo(2);
        assertThat(load.messages()).isEqualTo(4);
        // Ratings: 👍 and 👎 on the delivery answer, CSAT 5 and 2, NPS 9 (promoter) and 3 (detractor).
        assertThat(r.feedback().perFaq()).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("faqId", "ko-delivery-time").containsEntry("up", 1).containsEntry("down", 1)
                    .containsEntry("upRate", 0.5);
        });
        assertThat(r.feedback().csat()).containsEntry("count", 2).containsEntry("average", 3.5)
                .containsEntry("satisfiedRate", 0.5);
        assertThat(r.feedback().nps()).containsEntry("count", 2).containsEntry("score", 0L);
        assertThat(r.teams()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo("delivery");
            assertThat(t.handoffs()).isEqualTo(2);
            assertThat(t.assigned()).isEqualTo(2);
            assertThat(t.resolved()).isEqualTo(2);
        });
    }

    @Test
    void filtersAndTheCsvExport() {
        timeline();
        ReportRange range = ReportRange.parse("2026-11-20", "2026-11-22", "Asia/Seoul", clock.instant());
        assertThat(store.read(tx -> Analytics.build(tx, range, null, null)).conversations()).isEqualTo(6);
        // Team: only conversations handed to that team (the bot-only ones have none); site: only that site's.
        Analytics.Report delivery = store.read(tx -> Analytics.build(tx, range, null, "delivery"));
        assertThat(delivery.conversations()).isEqualTo(2);
        assertThat(delivery.handoffs().rate()).isEqualTo(1.0);
        assertThat(store.read(tx -> Analytics.build(tx, range, null, "payment")).conversations()).isZero();
        assertThat(store.read(tx -> Analytics.build(tx, range, "elsewhere", null)).conversations()).isZero();
        // Days and hours are counted in the report's time zone: in UTC the 17:50 chat is at 08:50.
        ReportRange utc = ReportRange.parse("2026-11-20", "2026-11-21", "UTC", clock.instant());
        Analytics.Report inUtc = store.read(tx -> Analytics.build(tx, utc, null, null));
        assertThat(inUtc.perHour().get(8).conversations()).isEqualTo(1);

        String csv = new String(Analytics.csv(store.read(tx -> Analytics.build(tx, range, null, null))),
                StandardCharsets.UTF_8);
        assertThat(csv).startsWith("\uFEFFsection,key,metric,value\r\n")
                .contains("day,2026-11-20,conversations,4\r\n", "day,2026-11-22,conversations,1\r\n",
                        "handoffs,bot_unsure,count,1\r\n", "time,waitingBusinessHours,medianSeconds,120.0\r\n",
                        "agent,김배송,assigned,2\r\n", "faq,ko-delivery-time,answers,2\r\n");
    }
}
