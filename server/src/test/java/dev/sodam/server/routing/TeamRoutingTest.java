package dev.sodam.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.auth.Principal.AgentPrincipal;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.conversation.SystemNoticeListener;
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.event.ChatEvent.Presence;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Site;
import dev.sodam.server.model.Team;
import dev.sodam.server.store.SqliteStore;
import dev.sodam.server.testing.DomainThread;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.util.Ids;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Teams over the real service and store: topics route to their team, and a closed team waits for its hours. */
class TeamRoutingTest {
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    static final RoutingSettings SETTINGS = new RoutingSettings(3, Duration.ofSeconds(30), 3, Duration.ofSeconds(20));
    /** Saturday 22 Nov 2026, 10:00 in Seoul: the delivery team works weekdays only. */
    static final Instant SATURDAY_MORNING = ZonedDateTime.of(2026, 11, 21, 10, 0, 0, 0, SEOUL).toInstant();
    static final Instant MONDAY_NINE = ZonedDateTime.of(2026, 11, 23, 9, 0, 0, 0, SEOUL).toInstant();
    static final String WEEKDAYS = "{\"timeZone\":\"Asia/Seoul\",\"weekly\":{\"mon\":[\"09:00-18:00\"],"
            + "\"tue\":[\"09:00-18:00\"],\"wed\":[\"09:00-18:00\"],\"thu\":[\"09:00-18:00\"],\"fri\":[\"09:00-18:00\"]}}";

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(SATURDAY_MORNING);
    SqliteStore store;
    ConversationService service;
    TeamDirectory teams;
    final List<String> offers = Collections.synchronizedList(new ArrayList<>());
    volatile List<Integer> etas = List.of();

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        EventBus bus = new EventBus();
        service = new ConversationService(store, bus, clock, new Ids(clock), SETTINGS);
        teams = new TeamDirectory(store);
        bus.subscribe(new SystemNoticeListener(service, teams, clock));
        bus.subscribe(new Router(SETTINGS, new RoutingActions() {
            @Override
            public void offer(String agentId, Conversation conversation, int position, Instant expiresAt) {
                offers.add(agentId + ":" + conversation.id());
            }

            @Override
            public void offerWithdrawn(String agentId, String conversationId, String reason) {
            }

            @Override
            public void presence(String agentId, String name, Presence presence, int load, int cap, String reason) {
            }

            @Override
            public void queueStatus(List<Conversation> queue, List<Integer> etaSeconds) {
                etas = etaSeconds;
            }

            @Override
            public void unplaced(Conversation conversation, int attempts) {
            }

            @Override
            public void requeue(String agentId) {
            }

            @Override
            public void awayForMissedOffers(String agentId, int missed) {
            }
        }, clock, teams));
        Replies.<Void>future(r -> service.execute(tx -> {
            tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
            tx.insertAgent(new Agent("ag_kim", "kim@sodam.test", "김배송", Agent.Role.AGENT, "x", clock.instant()));
            tx.insertAgent(new Agent("ag_lee", "lee@sodam.test", "이결제", Agent.Role.AGENT, "x", clock.instant()));
            tx.insertTeam(new Team("delivery", "배송", "Delivery", false, null, List.of("delivery"), List.of("ag_kim")));
            tx.insertTeam(new Team("payment", "결제/환불", "Payments", false, null, List.of("payment"), List.of("ag_lee")));
            return null;
        }, r)).join();
        teams.refresh();
    }

    @AfterEach
    void close() {
        service.close();
        store.close();
    }


    private void online(String agentId) {
        Agent agent = store.read(tx -> tx.agent(agentId)).orElseThrow();
        Replies.<Integer>future(r -> service.agentConnected(new AgentPrincipal(agent), r)).join();
        DomainThread.settle(service);
    }

    /** A visitor asks about a topic, the bot answers about it, and the visitor then asks for a person. */
    private String handoffAbout(String topic) {
        VisitorPrincipal visitor = new VisitorPrincipal(Replies.<Results.VisitorHello>future(r ->
                service.helloVisitor("demo", null, "ko", null, 0, r)).join().visitor());
        String id = Replies.<Results.Posted>future(r -> service.post(visitor, null, "c-1", "질문이 있어요", null, r))
                .join().conversation().id();
        Replies.<Results.Posted>future(r -> service.postBotReply(id, "답변", List.of(), List.of(), topic, r)).join();
        Replies.<Conversation>future(r -> service.requestHandoff(visitor, id, HandoffReason.VISITOR_ASKED, r)).join();
        DomainThread.settle(service);
        return id;
    }

    @Test
    void aHandoffAboutATopicIsOfferedOnlyToThatTeamsMembers() {
        teamHours(null);
        online("ag_lee");
        clock.advance(Duration.ofSeconds(1));
        online("ag_kim");
        String delivery = handoffAbout("delivery");
        String payment = handoffAbout("payment");
        assertThat(store.read(tx -> tx.conversation(delivery)).orElseThrow().teamId()).isEqualTo("delivery");
        // Lee has been idle longer, but only Kim serves delivery.
        assertThat(offers).containsExactly("ag_kim:" + delivery, "ag_lee:" + payment);
    }

    @Test
    void aClosedTeamGetsNoOffersUntilItOpensAndTheVisitorIsToldWhen() {
        teamHours(WEEKDAYS);
        online("ag_kim");
        String id = handoffAbout("delivery");
        assertThat(offers).as("Saturday: the delivery team is closed").isEmpty();
        List<Message> history = store.read(tx -> tx.messagesAfter(id, 0, 100));
        Message notice = history.stream().filter(m -> m.from().kind() == Author.Kind.SYSTEM).findFirst().orElseThrow();
        assertThat(notice.text()).contains("배송 상담 시간이 아니에요").contains("11월 23일 (월) 오전 9:00");
        assertThat(etas).containsExactly((int) Duration.between(SATURDAY_MORNING, MONDAY_NINE).toSeconds());

        clock.set(MONDAY_NINE.minusSeconds(1));
        service.tick();
        DomainThread.settle(service);
        assertThat(offers).isEmpty();
        clock.set(MONDAY_NINE);
        service.tick();
        DomainThread.settle(service);
        assertThat(offers).containsExactly("ag_kim:" + id);
    }

    /** Sets the delivery team's schedule straight in the file (there is no admin API for teams yet). */
    private void teamHours(String json) {
        if (json != null) {
            try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sodam.db"));
                 java.sql.PreparedStatement update = db.prepareStatement("UPDATE teams SET hours = ? WHERE id = 'delivery'")) {
                update.setString(1, json);
                update.executeUpdate();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        teams.refresh();
    }
}
