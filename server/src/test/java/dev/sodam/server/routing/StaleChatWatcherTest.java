package dev.sodam.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.auth.Principal.AgentPrincipal;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.conversation.SystemNoticeListener;
import dev.sodam.server.event.ChatEvent.HandoffReason;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Conversation;
import dev.sodam.server.model.ConversationState;
import dev.sodam.server.model.Message;
import dev.sodam.server.model.Site;
import dev.sodam.server.store.SqliteStore;
import dev.sodam.server.testing.DomainThread;
import dev.sodam.server.testing.MutableClock;
import dev.sodam.server.util.Ids;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idle chats, with a manual clock: a nudge after the visitor goes quiet, then the chat closes. */
class StaleChatWatcherTest {
    static final Duration NUDGE = Duration.ofMinutes(10);
    static final Duration RESOLVE = Duration.ofMinutes(5);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    SqliteStore store;
    ConversationService service;
    VisitorPrincipal visitor;
    AgentPrincipal agent;
    String id;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        EventBus bus = new EventBus();
        service = new ConversationService(store, bus, clock, new Ids(clock),
                new RoutingSettings(3, Duration.ofSeconds(30), 3, Duration.ofSeconds(20)));
        bus.subscribe(new SystemNoticeListener(service));
        bus.subscribe(new StaleChatWatcher(service, NUDGE, RESOLVE));
        Agent kim = new Agent("ag_kim", "kim@sodam.test", "김상담", Agent.Role.AGENT, "x", clock.instant());
        Replies.<Void>future(r -> service.execute(tx -> {
            tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
            tx.insertAgent(kim);
            return null;
        }, r)).join();
        agent = new AgentPrincipal(kim);
        visitor = new VisitorPrincipal(Replies.<Results.VisitorHello>future(r ->
                service.helloVisitor("demo", null, "ko", null, 0, r)).join().visitor());
        id = say(visitor, "v-0", "상담원 연결");
        Replies.<Conversation>future(r -> service.requestHandoff(visitor, id, HandoffReason.VISITOR_ASKED, r)).join();
        Replies.<Conversation>future(r -> service.accept(agent, id, r)).join();
        DomainThread.settle(service);
    }

    @AfterEach
    void close() {
        service.close();
        store.close();
    }

    private String say(dev.sodam.server.auth.Principal who, String clientMsgId, String text) {
        String conversation = who instanceof VisitorPrincipal && id == null ? null : id;
        return Replies.<Results.Posted>future(r -> service.post(who, conversation, clientMsgId, text, null, r))
                .join().conversation().id();
    }


    private void pass(Duration time) {
        clock.advance(time);
        service.tick();
        DomainThread.settle(service);
    }

    private List<String> notices() {
        List<Message> all = store.read(tx -> tx.messagesAfter(id, 0, 100));
        return all.stream().filter(m -> m.from().kind() == Author.Kind.SYSTEM).map(Message::text).toList();
    }

    private ConversationState state() {
        return store.read(tx -> tx.conversation(id)).orElseThrow().state();
    }

    @Test
    void aVisitorWhoGoesQuietIsNudgedAndThenTheChatCloses() {
        say(agent, "a-1", "주문번호를 알려주시겠어요?");
        pass(NUDGE.minusSeconds(1));
        assertThat(notices()).noneMatch(n -> n.startsWith("아직 도움이 필요하신가요?"));
        pass(Duration.ofSeconds(1));
        assertThat(notices()).anyMatch(n -> n.startsWith("아직 도움이 필요하신가요? 5분 동안"));
        pass(RESOLVE.minusSeconds(1));
        assertThat(state()).isEqualTo(ConversationState.ASSIGNED);
        pass(Duration.ofSeconds(1));
        assertThat(state()).isEqualTo(ConversationState.RESOLVED);
        assertThat(notices()).contains("답이 없어 상담을 종료했어요. 다시 문의하시려면 메시지를 보내주세요.");
    }

    @Test
    void aReplyAfterTheNudgeKeepsTheChatOpen() {
        say(agent, "a-1", "주문번호를 알려주시겠어요?");
        pass(NUDGE);
        say(visitor, "v-1", "잠시만요, 찾아볼게요");
        pass(RESOLVE.multipliedBy(3));
        assertThat(state()).isEqualTo(ConversationState.ASSIGNED);
    }

    @Test
    void aChatWaitingOnTheAgentIsNeverClosedForTheVisitorsSilence() {
        say(agent, "a-1", "확인해 볼게요");
        say(visitor, "v-1", "네 기다릴게요");
        pass(NUDGE.plus(RESOLVE).multipliedBy(2));
        assertThat(state()).isEqualTo(ConversationState.ASSIGNED);
        assertThat(notices()).noneMatch(n -> n.startsWith("아직 도움이 필요하신가요?"));
    }
}
