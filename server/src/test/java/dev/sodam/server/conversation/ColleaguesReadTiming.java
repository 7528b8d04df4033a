package dev.sodam.server.conversation;

import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Site;
import dev.sodam.server.routing.RoutingSettings;
import dev.sodam.server.store.AgentName;
import dev.sodam.server.store.SqliteStore;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.util.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Not a test (surefire does not run it): how long an agent's {@code hello} spends on the domain thread
 * reading {@code welcome.colleagues} on a real SQLite file with {@code agents} accounts (default 1,000: a
 * twentieth disabled, a fortieth invited, a third of site demo, a third of shop), the old read (every
 * account's whole row, filtered in Java) against {@code StoreTx.colleagueNames}, with two references in
 * the same loop: one conversation's row (which the SQLite writer keeps) and one account's row by id (read).
 * Each round runs every read once inside one unit on the domain thread, as the hello does, first one
 * turning. Before timing, both reads are compared for three askers (installation-wide, demo, shop) and the
 * run stops when they differ. The machine is shared and noisy: compare the lines of one run.
 *
 * <pre>
 * mvn -B -q -pl server -am -Dsodam.target=target-h3 -Dsodam.skipNodeTests=true -Dtest=FramesTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false test
 * # the test class path, as surefire wrote it into its report
 * CP=$(grep -o 'surefire.test.class.path" value="[^"]*' server/target-h3/surefire-reports/TEST-dev.sodam.server.protocol.FramesTest.xml | cut -d'"' -f3)
 * java -cp "$CP" dev.sodam.server.conversation.ColleaguesReadTiming [agents] [rounds]
 * </pre>
 */
public final class ColleaguesReadTiming {
    private ColleaguesReadTiming() {
    }

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        Path dir = Files.createTempDirectory("sodam-colleagues-timing");
        Clock clock = Clock.systemUTC();
        SqliteStore store = SqliteStore.open(dir);
        ConversationService service = new ConversationService(store, new EventBus(), clock, new Ids(clock),
                new RoutingSettings(3, Duration.ofSeconds(30), 3, Duration.ofSeconds(20)));
        try {
            String hash = "$argon2id$v=19$m=19456,t=2,p=1$c29kYW0tc2FsdC0xMjM0NQ$"
                    + "bm90LWEtcmVhbC1oYXNoLWp1c3QtYXMtbG9uZy1hcy1vbmUtMTIzNA";
            Replies.<Void>future(r -> service.execute(tx -> {
                tx.insertSite(new Site("demo", "demo", List.of(Site.SELF)));
                tx.insertSite(new Site("shop", "shop", List.of(Site.SELF)));
                for (int i = 0; i < agents; i++) {
                    String site = i % 3 == 1 ? "demo" : i % 3 == 2 ? "shop" : null;
                    tx.insertAgent(new Agent(String.format("ag_%05d", i), "agent" + i + "@sodam.test",
                            "상담원 " + i, i % 50 == 0 ? Agent.Role.SUPERVISOR : Agent.Role.AGENT,
                            i % 40 == 7 ? "!invited" : hash, clock.instant(), site)); // a fortieth pending
                }
                return null;
            }, r)).join();
            try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sodam.db"));
                 Statement s = sql.createStatement()) {
                s.executeUpdate("UPDATE agents SET disabled = 1 WHERE CAST(substr(id, 4) AS INTEGER) % 20 = 3");
            }
            VisitorPrincipal visitor = new VisitorPrincipal(Replies.<Results.VisitorHello>future(r ->
                    service.helloVisitor("demo", null, "ko", null, 0, r)).join().visitor());
            String conversationId = Replies.<Results.Posted>future(r -> service.post(visitor, null, "c-1", "안녕하세요",
                    null, r)).join().conversation().id();
            Agent asker = store.read(tx -> tx.agent("ag_00001")).orElseThrow(); // of site demo

            List<String> names = new ArrayList<>();
            List<Function<StoreTx, Object>> reads = new ArrayList<>();
            names.add("conversation row (reference)");
            reads.add(tx -> tx.conversation(conversationId).orElseThrow());
            names.add("account row by id (reference, not cached)");
            reads.add(tx -> tx.agent("ag_00002").orElseThrow());
            names.add("colleagues: tx.agents() + filter (before)");
            reads.add(tx -> tx.agents().stream().filter(a -> !a.id().equals(asker.id()))
                    .filter(a -> asker.siteId() == null || a.siteId() == null || a.siteId().equals(asker.siteId()))
                    .toList());
            names.add("colleagues: tx.colleagueNames (after)");
            reads.add(tx -> tx.colleagueNames(asker.id(), asker.siteId()));
            for (String who : List.of("ag_00000", "ag_00001", "ag_00002")) { // installation-wide, demo, shop
                Agent a = store.read(tx -> tx.agent(who)).orElseThrow();
                List<AgentName> before = store.read(tx -> tx.agents()).stream().filter(c -> !c.id().equals(a.id()))
                        .filter(c -> a.siteId() == null || c.siteId() == null || c.siteId().equals(a.siteId()))
                        .map(c -> new AgentName(c.id(), c.name())).toList();
                List<AgentName> after = store.read(tx -> tx.colleagueNames(a.id(), a.siteId()));
                if (!before.equals(after)) {
                    throw new IllegalStateException("the lists differ for " + who);
                }
                System.out.printf("%s (site %s): %d colleagues, the same before and after%n", who, a.siteId(), after.size());
            }
            time(service, names, reads, rounds / 5, null); // warm-up
            long[][] nanos = new long[reads.size()][rounds];
            time(service, names, reads, rounds, nanos);
            System.out.printf("%d accounts, %d rounds, SQLite file, Java %s%n", agents, rounds, Runtime.version());
            double reference = median(nanos[0]);
            for (int i = 0; i < reads.size(); i++) {
                long[] sorted = nanos[i].clone();
                Arrays.sort(sorted);
                System.out.printf("%-48s median %8.1f µs  p90 %8.1f µs  p99 %8.1f µs  x%.1f the row%n", names.get(i),
                        sorted[rounds / 2] / 1e3, sorted[rounds * 9 / 10] / 1e3, sorted[rounds * 99 / 100] / 1e3,
                        sorted[rounds / 2] / reference);
            }
        } finally {
            service.close();
            store.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Each round: every read once, on the domain thread inside the writer's unit as the hello is, in turn. */
    private static void time(ConversationService service, List<String> names, List<Function<StoreTx, Object>> reads,
                             int rounds, long[][] nanos) {
        for (int round = 0; round < rounds; round++) {
            int r = round;
            Replies.<Void>future(reply -> service.execute(tx -> {
                for (int k = 0; k < reads.size(); k++) {
                    int i = (k + r) % reads.size(); // alternate who goes first
                    long start = System.nanoTime();
                    Object result = reads.get(i).apply(tx);
                    long took = System.nanoTime() - start;
                    if (result == null) {
                        throw new IllegalStateException(names.get(i));
                    }
                    if (nanos != null) {
                        nanos[i][r] = took;
                    }
                }
                return null;
            }, reply)).join();
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
