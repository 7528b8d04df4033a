package dev.sodam.server;

import dev.sodam.bot.FaqEntry;
import dev.sodam.bot.FaqSeed;
import dev.sodam.server.auth.PasswordHasher;
import dev.sodam.server.config.SodamConfig;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.model.Agent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.config.ConfigException;
import dev.sodam.server.model.Site;
import dev.sodam.server.model.Team;
import dev.sodam.server.routing.TeamDirectory;
import dev.sodam.server.util.Json;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.util.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-start seeding of an empty database: the demo site, the seed FAQ, and the first person who
 * can log in. Each step runs only when its table is empty, so restarts change nothing.
 */
final class Bootstrap {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    static final String DEMO_SITE = "demo";

    private final SodamConfig config;
    private final ConversationService service;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Ids ids;

    Bootstrap(SodamConfig config, ConversationService service, PasswordHasher hasher, Clock clock, Ids ids) {
        this.config = config;
        this.service = service;
        this.hasher = hasher;
        this.clock = clock;
        this.ids = ids;
    }

    void run() {
        // Only what an empty table needs is read and hashed: on a restart, argon2's deliberately slow
        // hash and the seed files' parsing were a tenth of the start's CPU for nothing. The writes
        // below still check each table, so two nodes starting at once create nothing twice.
        Empty empty = Replies.<Empty>future(reply -> service.execute(tx ->
                new Empty(tx.countFaq() == 0, tx.countAgents() == 0, tx.teams().isEmpty()), reply)).join();
        List<FaqEntry> seed = empty.faq() ? loadSeed() : List.of();
        List<Team> teams = empty.teams() ? loadTeams() : List.of();
        // Hash outside the domain thread: argon2 is slow on purpose.
        PendingAgent first = empty.agents() ? firstAgent() : null;
        Replies.<Void>future(reply -> service.execute(tx -> {
            seed(tx, seed, first);
            if (tx.teams().isEmpty() && !teams.isEmpty()) {
                teams.forEach(tx::insertTeam);
                log.info("bootstrap: created teams {}", teams.stream().map(Team::id).toList());
            }
            return null;
        }, reply)).join();
    }

    private record PendingAgent(Agent agent, String printedPassword) {
    }

    /** Which of the bootstrapped tables were empty before the start. */
    private record Empty(boolean faq, boolean agents, boolean teams) {
    }

    private List<FaqEntry> loadSeed() {
        List<FaqEntry> entries = new ArrayList<>();
        for (String locale : List.of("ko", "en")) {
            Path file = config.faqSeedDir().resolve("seed-" + locale + ".json");
            if (Files.isRegularFile(file)) {
                entries.addAll(FaqSeed.load(file));
            } else {
                log.warn("seed FAQ {} not found; the {} bot starts without it", file.toAbsolutePath(), locale);
            }
        }
        return entries;
    }

    /**
     * Teams from {@code teams.seedFile}: {"teams":[{"id","name":{"ko","en"},"tags":[…],"allAgents":true,
     * "hours":{…BusinessHours spec…}}]}. A bad file stops start-up with a message naming the team.
     */
    private List<Team> loadTeams() {
        Path file = config.teamsSeedFile();
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<Team> teams = new ArrayList<>();
        try {
            JsonNode root = Json.MAPPER.readTree(file.toFile());
            for (JsonNode t : root.path("teams")) {
                String id = t.path("id").asText("");
                if (id.isBlank()) {
                    throw new IllegalArgumentException("a team without an id");
                }
                JsonNode hours = t.get("hours");
                List<String> tags = new ArrayList<>();
                t.path("tags").forEach(tag -> tags.add(tag.asText()));
                Team team = new Team(id, t.path("name").path("ko").asText(id), t.path("name").path("en").asText(id),
                        t.path("allAgents").asBoolean(true), hours == null || hours.isNull() ? null : hours.toString(),
                        tags, List.of());
                TeamDirectory.hoursOf(team);
                teams.add(team);
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new ConfigException("teams seed " + file + ": " + e.getMessage());
        }
        return teams;
    }

    private PendingAgent firstAgent() {
        Instant now = clock.instant();
        String bootstrap = config.bootstrapAdmin();
        if (!bootstrap.isEmpty()) {
            int colon = bootstrap.indexOf(':');
            String email = bootstrap.substring(0, colon).toLowerCase(Locale.ROOT);
            String name = email.substring(0, email.indexOf('@'));
            return new PendingAgent(new Agent(ids.next("ag_"), email, name, Agent.Role.ADMIN,
                    hasher.hash(bootstrap.substring(colon + 1)), now), null);
        }
        String password = ids.secret("").substring(0, 16);
        return new PendingAgent(new Agent(ids.next("ag_"), "agent@sodam.local", "데모 상담원", Agent.Role.AGENT,
                hasher.hash(password), now), password);
    }

    private void seed(StoreTx tx, List<FaqEntry> seed, PendingAgent first) {
        Instant now = clock.instant();
        if (tx.site(DEMO_SITE).isEmpty()) {
            List<String> origins = new ArrayList<>();
            origins.add(Site.SELF);
            origins.addAll(config.demoOrigins());
            tx.insertSite(new Site(DEMO_SITE, "소담 마켓 (demo)", origins));
            log.info("bootstrap: created site '{}' allowing origins {}", DEMO_SITE, origins);
        }
        if (tx.countFaq() == 0 && !seed.isEmpty()) {
            seed.forEach(entry -> tx.insertFaq(entry, now));
            log.info("bootstrap: loaded {} seed FAQ entries", seed.size());
        }
        if (first != null && tx.countAgents() == 0) {
            tx.insertAgent(first.agent());
            if (first.printedPassword() == null) {
                log.info("bootstrap: created admin {} from SODAM_BOOTSTRAP_ADMIN", first.agent().email());
            } else {
                // Printed once: the hash is all that is kept.
                log.warn("bootstrap: created demo agent {} with one-time password {} — set SODAM_BOOTSTRAP_ADMIN "
                        + "to choose your own admin", first.agent().email(), first.printedPassword());
            }
        }
    }
}
