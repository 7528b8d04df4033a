package dev.sodam.server;

import dev.sodam.bot.BotThresholds;
import dev.sodam.bot.HeldOutValidation;
import dev.sodam.bot.SmallTalkIntent;
import dev.sodam.server.admin.AccessApi;
import dev.sodam.server.admin.AdminApi;
import dev.sodam.server.auth.UserService;
import dev.sodam.server.routing.TeamService;
import dev.sodam.server.api.ApiKeys;
import dev.sodam.server.api.ChannelApi;
import dev.sodam.server.api.IntegrationAdminApi;
import dev.sodam.server.api.PublicApi;
import dev.sodam.server.privacy.PrivacyService;
import dev.sodam.server.site.SiteSettingsService;
import dev.sodam.server.auth.AuthService;
import dev.sodam.server.auth.PasswordHasher;
import dev.sodam.server.auth.SiteDirectory;
import dev.sodam.server.config.ConfigLoader;
import dev.sodam.server.config.IntegrationSettings;
import dev.sodam.server.config.SodamConfig;
import dev.sodam.server.config.StoreSettings;
import dev.sodam.server.cluster.RedisFanout;
import dev.sodam.server.cluster.RoutingOwner;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.SystemNoticeListener;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.delivery.DeliveryListener;
import dev.sodam.server.delivery.RoutingDelivery;
import dev.sodam.server.ops.HealthCheck;
import dev.sodam.server.ops.MetricsListener;
import dev.sodam.server.ops.OperationsApi;
import dev.sodam.server.ops.SodamMetrics;
import dev.sodam.server.ops.TimedStore;
import dev.sodam.server.routing.Router;
import dev.sodam.server.routing.RoutingSettings;
import dev.sodam.server.routing.StaleChatWatcher;
import dev.sodam.server.routing.TeamDirectory;
import dev.sodam.server.delivery.SessionRegistry;
import dev.sodam.server.event.EventBus;
import dev.sodam.server.faq.BotEngine;
import dev.sodam.server.faq.BotPeers;
import dev.sodam.server.faq.ThresholdPolicy;
import dev.sodam.server.faq.ThresholdTuning;
import dev.sodam.server.auth.LoginThrottle;
import dev.sodam.server.faq.FaqBotAnswerer;
import dev.sodam.server.faq.FaqService;
import dev.sodam.server.http.ApiModule;
import dev.sodam.server.insight.Insights;
import dev.sodam.server.http.HttpRouter;
import dev.sodam.server.workspace.WorkspaceApi;
import dev.sodam.server.http.StaticFiles;
import dev.sodam.server.net.NettyServer;
import dev.sodam.server.net.SodamChannelInitializer;
import dev.sodam.server.store.ClusterLock;
import dev.sodam.server.store.PostgresStore;
import dev.sodam.server.store.SqliteStore;
import dev.sodam.server.store.Store;
import dev.sodam.server.util.Ids;
import dev.sodam.server.webhook.WebhookAdmin;
import dev.sodam.server.webhook.WebhookOutbox;
import dev.sodam.server.webhook.WebhookRetention;
import dev.sodam.server.webhook.WebhookTargets;
import dev.sodam.server.webhook.WebhookWorker;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the store, wires services and listeners, seeds an empty database,
 * opens the listener, then trains the bot in the background (questions wait for it).
 */
public final class SodamServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SodamServer.class);

    private final Store store;
    private final ConversationService service;
    private final ExecutorService blocking;
    private final ExecutorService botExecutor;
    private final ExecutorService botTraining;
    private final ScheduledExecutorService maintenance;
    private final BotEngine bot;
    private final NettyServer netty;
    private final String baseUrl;
    private final SodamMetrics metrics;
    private final WebhookWorker webhooks;
    private final SessionRegistry registry;
    private final List<String> apiRoutes;
    private final WebhookRetention webhookRetention;
    private final ClusterLock jobs;
    private final HealthCheck health;
    private final Duration drainFor;
    /** Fan-out to the other nodes; null on a single node. */
    private final RedisFanout fanout;

    private SodamServer(Store store, ConversationService service, ExecutorService blocking, ExecutorService botExecutor,
                        ExecutorService botTraining, ScheduledExecutorService maintenance, BotEngine bot,
                        NettyServer netty, String baseUrl, SodamMetrics metrics, List<String> apiRoutes,
                        WebhookWorker webhooks, SessionRegistry registry, WebhookRetention webhookRetention,
                        ClusterLock jobs, HealthCheck health, Duration drainFor, RedisFanout fanout) {
        this.fanout = fanout;
        this.webhookRetention = webhookRetention;
        this.jobs = jobs;
        this.health = health;
        this.drainFor = drainFor;
        this.metrics = metrics;
        this.webhooks = webhooks;
        this.registry = registry;
        this.apiRoutes = List.copyOf(apiRoutes);
        this.store = store;
        this.service = service;
        this.blocking = blocking;
        this.botExecutor = botExecutor;
        this.botTraining = botTraining;
        this.maintenance = maintenance;
        this.bot = bot;
        this.netty = netty;
        this.baseUrl = baseUrl;
    }

    public static SodamServer start(SodamConfig config) throws InterruptedException {
        return start(config, Clock.systemUTC());
    }

    /** The configured store: SQLite in the data directory (held exclusively), or a shared PostgreSQL database. */
    private static Store openStore(SodamConfig config) {
        return config.store().type() == StoreSettings.Type.POSTGRESQL
                ? PostgresStore.open(config.store())
                : SqliteStore.openExclusive(config.dataDir());
    }

    public static SodamServer start(SodamConfig config, Clock clock) throws InterruptedException {
        long started = System.nanoTime();
        Instant startedAt = clock.instant();
        Ids ids = new Ids(clock);
        SodamMetrics metrics = new SodamMetrics();
        Store store = new TimedStore(openStore(config), metrics);
        EventBus bus = new EventBus();
        RoutingSettings routing = new RoutingSettings(config.maxChatsPerAgent(),
                Duration.ofSeconds(config.offerSeconds()), config.maxOfferAttempts(),
                Duration.ofSeconds(config.presenceGraceSeconds()), Duration.ofSeconds(config.declineCooldownSeconds()),
                config.awayAfterMissedOffers());
        ConversationService service = new ConversationService(store, bus, clock, ids, routing);
        // What a batch sends after its commit wakes each event loop once (LoopWriter).
        service.sendAfterCommitWith(new dev.sodam.server.ws.LoopWriterBurst());
        WebhookWorker webhooks = null;
        ClusterLock jobs = null;
        HealthCheck health = null;
        RedisFanout fanout = null;
        ExecutorService blocking = Executors.newFixedThreadPool(4, named("sodam-blocking"));
        ExecutorService botExecutor = Executors.newFixedThreadPool(2, named("sodam-bot"));
        // Training has its own thread, so a rebuild never delays the questions on botExecutor.
        ExecutorService botTraining = Executors.newSingleThreadExecutor(named("sodam-bot-train"));
        ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(named("sodam-maintenance"));
        try {
            PasswordHasher hasher = new PasswordHasher();
            new Bootstrap(config, service, hasher, clock, ids).run();

            SessionRegistry registry = new SessionRegistry();
            BotEngine bot = new BotEngine(clock);
            // Several nodes: a connection's missing seqs are read from the shared store (RedisFanout).
            DeliveryListener delivery = config.cluster().enabled()
                    ? new DeliveryListener(registry, (id, after, limit) -> store.read(tx -> tx.messagesAfter(id, after, limit)))
                    : new DeliveryListener(registry);
            bus.subscribe(delivery);
            TeamDirectory teams = new TeamDirectory(store);
            teams.refresh();
            bus.subscribe(new SystemNoticeListener(service, teams, clock));
            service.answerWith(new FaqBotAnswerer(bot, botExecutor, metrics::botDecision));
            metrics.botAnswers(service::botAnswersWithQuestion, service::botAnswersLater);
            bus.subscribe(new MetricsListener(metrics, clock));
            IntegrationSettings integrations = config.integrations();
            WebhookTargets targets = new WebhookTargets(integrations.allowPrivateTargets());
            WebhookOutbox outbox = new WebhookOutbox(store, clock, ids);
            service.recordCommitsWith(outbox);
            maintenance.scheduleWithFixedDelay(() -> {
                try {
                    outbox.refresh();
                } catch (RuntimeException e) {
                    log.warn("reading which sites have webhooks failed: {}", e.getMessage());
                }
            }, 30, 30, TimeUnit.SECONDS);
            webhooks = new WebhookWorker(store, service, clock, targets, outbox, metrics,
                    Duration.ofSeconds(integrations.webhookTimeoutSeconds()), integrations.webhookMaxAttempts(),
                    Duration.ofSeconds(integrations.webhookRetryBaseSeconds()));
            bus.subscribe(webhooks);
            metrics.webhookBacklog(() -> store.read(tx -> tx.integrations().pendingOutbox()));
            WebhookRetention webhookRetention = new WebhookRetention(service, clock, Duration.ofDays(integrations.webhookRetentionDays()));
            // Jobs that must run once however many nodes share the store: only the holder of this lock runs
            // them (always this node on SQLite; on PostgreSQL an advisory lock another node takes over).
            jobs = store.clusterLock("maintenance");
            maintenance.scheduleWithFixedDelay(runOnce(jobs, webhookRetention::pruneOnSchedule), 10, 60, TimeUnit.MINUTES);
            Duration nudgeAfter = Duration.ofMinutes(config.staleNudgeMinutes());
            Duration resolveAfter = Duration.ofMinutes(config.staleResolveMinutes());
            if (config.cluster().enabled()) {
                fanout = RedisFanout.start(config.cluster(), config.store().url(), service, delivery, registry);
                bus.subscribe(fanout);
                // One node at a time routes (the holder of the "routing" lock), over every node's events; it
                // restores the stored queue when it takes over. Last on the bus, as the router is on one node.
                RoutingDelivery routingDelivery = new RoutingDelivery(registry, service, clock);
                bus.subscribe(routingDelivery);
                RoutingOwner owner = new RoutingOwner(store.clusterLock("routing"), actions -> List.of(
                        new StaleChatWatcher(service, nudgeAfter, resolveAfter), new Router(routing, actions, clock, teams)),
                        routingDelivery, service, clock, routing.presenceGrace());
                bus.subscribe(owner);
                fanout.routeWith(owner);
                service.checkAvailabilityWith(owner);
            } else {
                bus.subscribe(new StaleChatWatcher(service, nudgeAfter, resolveAfter));
                // Last, so the router acts on an event after every other listener has seen it.
                RoutingDelivery routingDelivery = new RoutingDelivery(registry, service, clock);
                // It listens for ticks only: a place held back is told on the next one.
                bus.subscribe(routingDelivery);
                Router agentRouter = new Router(routing, routingDelivery, clock, teams);
                bus.subscribe(agentRouter);
                // Transfers ask the router who is connected and online (ConversationService.transfer).
                service.checkAvailabilityWith(agentRouter);
                Replies.<Void>future(reply -> service.restoreRouting(reply)).join();
            }
            maintenance.scheduleAtFixedRate(service::tick, 1, 1, TimeUnit.SECONDS);

            AuthService auth = new AuthService(store, service, hasher, clock, ids,
                    Duration.ofHours(config.tokenTtlHours()), LoginThrottle.configured(clock, config.loginLimits()));
            auth.closeSessionsWith(registry::closeAgent);
            if (fanout != null) {
                // Several nodes: a token revoked on one node stops working on every node at once.
                auth.tellPeers(fanout);
                fanout.followAccessChanges(auth::revokedElsewhere,
                        () -> onBlocking(blocking, () -> auth.recheck(registry.agentTokens())));
            }
            maintenance.scheduleWithFixedDelay(runOnce(jobs, () -> service.execute(
                    tx -> tx.deleteExpiredTokens(clock.instant()),
                    Replies.of(n -> { }, e -> log.warn("deleting expired tokens failed: {}", e.getMessage())))),
                    1, 60, TimeUnit.MINUTES);
            SiteDirectory sites = new SiteDirectory(store);
            sites.refresh();
            maintenance.scheduleWithFixedDelay(sites::refresh, 30, 30, TimeUnit.SECONDS);
            String publicOrigin = config.publicUrl().isEmpty() ? "" : ConfigLoader.origin(config.publicUrl());
            PrivacyService privacy = new PrivacyService(service, store, clock);
            privacy.load();
            service.maskWith(privacy::mask);
            maintenance.scheduleWithFixedDelay(runOnce(jobs, privacy::purgeOnSchedule), 5, 60, TimeUnit.MINUTES);
            UserService users = new UserService(service, store, auth, clock, ids, teams::refresh);
            TeamService teamAdmin = new TeamService(service, store, teams, clock);
            FaqService faq = new FaqService(service, store, bot, clock, ids);
            SiteSettingsService siteSettings = new SiteSettingsService(store, service, teams, registry::agentCount, clock,
                    sites::refresh);
            AdminApi admin = new AdminApi(auth, faq, bot, blocking, store, new AccessApi(auth, users, teamAdmin, store,
                    privacy),
                    new Insights(store, faq, clock), siteSettings);
            // Thresholds an admin saved in the test console: in force from the first bot on.
            ThresholdTuning tuning = new ThresholdTuning(service, store, bot, clock);
            tuning.load();
            admin.withTuning(tuning);
            if (fanout != null) {
                // Several nodes: an FAQ change or a saved threshold on one node reaches every node's bot.
                faq.tellPeers(fanout);
                tuning.tellPeers(fanout);
                fanout.followBotChanges(change -> onBlocking(blocking, change == BotPeers.Change.FAQ
                        ? bot::requestRebuild : tuning::load), () -> onBlocking(blocking, () -> {
                            tuning.load();
                            bot.rebuildIfChanged();
                        }));
            }
            List<ApiModule> modules = new ArrayList<>();
            health = new HealthCheck(store, bot, service::lastStoreFailure, clock);
            modules.add(new OperationsApi(metrics, integrations.metricsEnabled(), integrations.metricsToken(),
                    health, blocking));
            ApiKeys apiKeys = new ApiKeys(store, service, clock, ids);
            PublicApi publicApi = new PublicApi(apiKeys, store, service, faq, clock, config.maxTextChars(), blocking);
            new ChannelApi(service, clock, ids, config.maxTextChars()).register(publicApi.api());
            modules.add(publicApi.api());
            IntegrationAdminApi integrationAdmin = new IntegrationAdminApi(auth, apiKeys, store, blocking);
            new WebhookAdmin(store, service, outbox, webhooks, targets, clock, ids).register(integrationAdmin.api());
            modules.add(integrationAdmin.api());
            HttpRouter router = new HttpRouter(auth, bot::current, new StaticFiles(SodamServer.class.getClassLoader()),
                    blocking, admin, new WorkspaceApi(auth, store, service, clock, ids, blocking), modules, siteSettings,
                    new dev.sodam.server.http.AttachmentApi(auth, store, service, blocking));
            SodamChannelInitializer initializer = new SodamChannelInitializer(new SodamChannelInitializer.Shared(
                    config, clock, service, registry, sites, publicOrigin, router, metrics));
            NettyServer netty = NettyServer.bind(config.host(), config.port(), config.maxOutboundBytes(), initializer);

            List<SmallTalkIntent> intents = Files.isRegularFile(config.botIntentsFile())
                    ? SmallTalkIntent.loadAll(config.botIntentsFile()) : List.of();
            // Trained from the enabled entries as committed, again after every FAQ change (docs/admin.md).
            BotThresholds defaults = new BotThresholds(config.botAnswerThreshold(), config.botClarifyThreshold());
            // Calibration needs out-of-scope questions; without the file it is off (docs/bot.md).
            List<HeldOutValidation.OutOfScope> outOfScope = config.botCalibrate()
                    && Files.isRegularFile(config.botOutOfScopeFile())
                    ? HeldOutValidation.load(config.botOutOfScopeFile()) : List.of();
            if (config.botCalibrate() && outOfScope.isEmpty()) {
                log.warn("bot: calibration is on but {} has no out-of-scope questions; using the configured thresholds",
                        config.botOutOfScopeFile());
            }
            bot.start(() -> store.read(tx -> tx.enabledFaqEntries()), intents,
                    new ThresholdPolicy(defaults, outOfScope, config.botLocaleThresholds()), botTraining);

            String baseUrl = config.publicUrl().isEmpty() ? "http://localhost:" + netty.port() : config.publicUrl();
            log.info("Sodam {} listening on {}:{} ({}) in {} ms — demo {}/demo · console {}/console", version(),
                    config.host(), netty.port(), netty.transport(), (System.nanoTime() - started) / 1_000_000,
                    baseUrl, baseUrl);
            webhooks.start();
            // Questions the last stop left unanswered. Alone, every earlier question is this node's to
            // answer; beside other nodes, only those old enough that no live node is still deciding them.
            service.answerUnanswered(config.cluster().enabled() ? startedAt.minusSeconds(30) : startedAt);
            return new SodamServer(store, service, blocking, botExecutor, botTraining, maintenance, bot, netty, baseUrl,
                    metrics, router.routes(), webhooks, registry, webhookRetention, jobs, health,
                    Duration.ofSeconds(integrations.drainSeconds()), fanout);
        } catch (InterruptedException | RuntimeException e) {
            blocking.shutdownNow();
            botExecutor.shutdownNow();
            botTraining.shutdownNow();
            maintenance.shutdownNow();
            if (webhooks != null) {
                webhooks.close();
            }
            if (jobs != null) {
                jobs.close();
            }
            service.close();
            if (fanout != null) {
                fanout.close();
            }
            store.close();
            metrics.close();
            throw e;
        }
    }

    /** Runs {@code work} (which reads the store) on {@code executor}; logged, never thrown, while shutting down too. */
    private static void onBlocking(ExecutorService executor, Runnable work) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("bot: reading another node's change failed: {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("bot: another node's change arrived while stopping");
        }
    }

    /** A scheduled job that runs only on the node holding {@code lock} (the others skip that run). */
    private static Runnable runOnce(ClusterLock lock, Runnable job) {
        return () -> {
            if (lock.tryHold()) {
                job.run();
            }
        };
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public static String version() {
        String version = SodamServer.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    public int port() {
        return netty.port();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The routes of the documented API (docs/openapi.yaml), as {@code METHOD /path/{param}}. */
    public List<String> apiRoutes() {
        return apiRoutes;
    }

    /** Runs the webhook outbox pruning now (it also runs hourly): what a test or an operator's tool calls. */
    public dev.sodam.server.store.IntegrationTx.Pruned pruneWebhooks() {
        return webhookRetention.prune();
    }

    /** This node's fan-out to the other nodes; empty on a single node. */
    public java.util.Optional<RedisFanout> cluster() {
        return java.util.Optional.ofNullable(fanout);
    }

    public BotEngine bot() {
        return bot;
    }

    /**
     * Starts draining: readiness ({@code GET /api/health/ready}) answers 503 with {@code "draining": true}
     * from now on, while the node still serves every connection and request, so a load balancer's health
     * checks take it out of rotation before it stops. {@link #close} begins with it.
     */
    public void drain() {
        health.startDraining();
    }

    /**
     * Shuts down without half-done messages: readiness turns 503 ({@link #drain}) and the node goes on
     * serving for {@code shutdown.drainSeconds}; then no new connections; the domain thread drains (every
     * command already queued is committed and answered — its ack is queued on its connection —
     * and later ones are refused with a retryable error); then every client gets a 1012 close
     * frame behind those acks and reconnects to resume; then the rest stops.
     */
    @Override
    public void close() {
        drain();
        if (!drainFor.isZero()) {
            log.info("shutdown: draining, readiness answers 503 for {} s before the listener closes", drainFor.toSeconds());
            try {
                Thread.sleep(drainFor.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        netty.stopAccepting();
        service.close();
        try {
            registry.closeAllForRestart().get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("shutdown: not every client was told to reconnect: {}", e.toString());
        }
        netty.close();
        if (fanout != null) {
            fanout.close();
        }
        webhooks.close();
        maintenance.shutdownNow();
        jobs.close();
        botExecutor.shutdown();
        botTraining.shutdown();
        blocking.shutdown();
        try {
            botExecutor.awaitTermination(5, TimeUnit.SECONDS);
            botTraining.awaitTermination(10, TimeUnit.SECONDS);
            blocking.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        metrics.close();
    }
}
