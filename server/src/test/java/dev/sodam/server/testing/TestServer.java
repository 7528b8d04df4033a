package dev.sodam.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.SodamServer;
import dev.sodam.server.config.ConfigLoader;
import dev.sodam.server.config.SodamConfig;
import dev.sodam.server.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Sodam server on a random port over a real SQLite file, configured from the repo's real config.
 * With {@code -Dsodam.test.store=postgresql} it runs over a real PostgreSQL database instead, one fresh
 * database per data directory (a restart on the same directory finds its data again), see
 * {@link PostgresTestSupport}.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_EMAIL = "admin@sodam.test";
    public static final String ADMIN_PASSWORD = "test-password-1";

    private final SodamServer server;
    private final Path dataDir;

    private TestServer(SodamServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** The repository root: set by surefire, or the parent of the module directory. */
    public static Path repoRoot() {
        String root = System.getProperty("sodam.repo.root");
        return (root == null ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
    }

    /** The PostgreSQL database of each data directory, when the tests run over PostgreSQL. */
    private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();

    /** The environment a test server runs with; tests may add to it. */
    public static Map<String, String> environment(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        if (PostgresTestSupport.selected()) {
            env.put("SODAM_STORE_TYPE", "postgresql");
            env.put("SODAM_STORE_POSTGRES_URL", database(dataDir));
            env.put("SODAM_STORE_POSTGRES_USER", PostgresTestSupport.user());
            env.put("SODAM_STORE_POSTGRES_POOL_SIZE", "4");
        }
        env.put("SODAM_PORT", "0");
        env.put("SODAM_HOST", "127.0.0.1");
        env.put("SODAM_DATA_DIR", dataDir.toString());
        env.put("SODAM_FAQ_SEED_DIR", repoRoot().resolve("config/faq").toString());
        env.put("SODAM_BOT_INTENTS_FILE", repoRoot().resolve("config/bot/intents.json").toString());
        env.put("SODAM_BOT_OUT_OF_SCOPE_FILE", repoRoot().resolve("config/bot/out-of-scope.json").toString());
        env.put("SODAM_TEAMS_SEED_FILE", repoRoot().resolve("config/teams.json").toString());
        env.put("SODAM_BOOTSTRAP_ADMIN", ADMIN_EMAIL + ":" + ADMIN_PASSWORD);
        return env;
    }

    private static String database(Path dataDir) {
        return DATABASES.computeIfAbsent(dataDir.toAbsolutePath().normalize(), d -> PostgresTestSupport.createDatabase());
    }

    /**
     * A connection to the database of the server on {@code dataDir}, whichever store it uses, for a
     * test's own look at the rows (write only the SQL both SQLite and PostgreSQL understand).
     */
    public static java.sql.Connection db(Path dataDir) throws java.sql.SQLException {
        return PostgresTestSupport.selected()
                ? PostgresTestSupport.connect(database(dataDir))
                : java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("sodam.db"));
    }

    /**
     * Everything the server on {@code dataDir} stored, as text: the SQLite file's bytes, or every row
     * of every PostgreSQL table; for checks that a secret is nowhere in the database.
     */
    public static String storedText(Path dataDir) throws java.io.IOException, java.sql.SQLException {
        if (!PostgresTestSupport.selected()) {
            return java.nio.file.Files.readString(dataDir.resolve("sodam.db"), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        StringBuilder text = new StringBuilder();
        try (java.sql.Connection db = db(dataDir); java.sql.Statement sql = db.createStatement()) {
            java.util.List<String> tables = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = sql.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (java.sql.ResultSet rs = sql.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
                    while (rs.next()) {
                        text.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return text.toString();
    }

    public static TestServer start(Path dataDir) throws InterruptedException {
        return start(dataDir, Map.of());
    }

    public static TestServer start(Path dataDir, Map<String, String> extraEnv) throws InterruptedException {
        return start(dataDir, extraEnv, java.time.Clock.systemUTC());
    }

    /** With a clock the test moves (lockouts, expiry, retention). */
    public static TestServer start(Path dataDir, Map<String, String> extraEnv, java.time.Clock clock)
            throws InterruptedException {
        Map<String, String> env = environment(dataDir);
        env.putAll(extraEnv);
        SodamConfig config = ConfigLoader.load(null, env);
        return new TestServer(SodamServer.start(config, clock), dataDir);
    }

    /** The documented API's routes as the server serves them ({@code METHOD /path/{param}}). */
    public java.util.List<String> apiRoutes() {
        return server.apiRoutes();
    }

    /** Runs the webhook outbox pruning now, as the hourly maintenance job does. */
    public dev.sodam.server.store.IntegrationTx.Pruned pruneWebhooks() {
        return server.pruneWebhooks();
    }

    /** Adds a second site straight into the database file (there is no site API). */
    public void createSite(String id) throws java.sql.SQLException {
        try (java.sql.Connection db = db(dataDir);
             java.sql.PreparedStatement insert = db.prepareStatement(
                     "INSERT INTO sites(id, name, allowed_origins) VALUES (?, ?, '[\"self\"]')")) {
            insert.setString(1, id);
            insert.setString(2, id);
            insert.executeUpdate();
        }
    }

    /** Creates an API key through the admin API and returns the secret. */
    public String createApiKey(String adminToken, String site, String scopesJson, String channel)
            throws IOException, InterruptedException {
        String body = "{\"site\":\"" + site + "\",\"name\":\"test key\",\"scopes\":" + scopesJson
                + (channel == null ? "" : ",\"channel\":\"" + channel + "\"") + "}";
        HttpResponse<String> response = send("POST", "/api/admin/api-keys", body, adminToken);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("key creation failed: " + response.statusCode() + " " + response.body());
        }
        return json(response.body()).get("secret").asText();
    }

    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    public URI visitorUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws?site=demo");
    }

    public URI agentUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    public String http(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** This node's Redis fan-out, when it runs as one of several nodes. */
    public java.util.Optional<dev.sodam.server.cluster.RedisFanout> cluster() {
        return server.cluster();
    }

    /** Waits until the bot has finished training, so tests do not depend on start-up timing. */
    public void awaitBot() throws Exception {
        server.bot().ready().get(60, TimeUnit.SECONDS);
    }

    /** Logs in over HTTP and returns the bearer token. */
    public String login(String email, String password) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/api/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + response.statusCode() + " " + response.body());
        }
        return Json.MAPPER.readTree(response.body()).get("token").asText();
    }

    /**
     * Adds an agent account straight into the database file (there is no admin API yet), hashing the
     * password with the server's own argon2id hasher, and returns its id.
     */
    public String createAgent(String email, String name, String password) throws java.sql.SQLException {
        String id = "ag_test_" + email.hashCode();
        try (java.sql.Connection db = db(dataDir);
             java.sql.PreparedStatement insert = db.prepareStatement(
                     "INSERT INTO agents(id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, 'agent', ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, email);
            insert.setString(3, name);
            insert.setString(4, new dev.sodam.server.auth.PasswordHasher().hash(password));
            insert.setLong(5, System.currentTimeMillis());
            insert.executeUpdate();
        }
        return id;
    }

    public String loginAdmin() throws IOException, InterruptedException {
        return login(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    public HttpResponse<String> post(String path, String body, String bearer) throws IOException, InterruptedException {
        return send("POST", path, body, bearer);
    }

    /** A GET with an optional bearer token. */
    public HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        return send("GET", path, null, bearer);
    }

    /** Any method, with an optional JSON body and bearer token. */
    public HttpResponse<String> send(String method, String path, String body, String bearer)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http(path)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(String body) throws IOException {
        return Json.MAPPER.readTree(body);
    }

    /** Starts draining: readiness turns 503 while the server still serves (what shutdown begins with). */
    public void drain() {
        server.drain();
    }

    @Override
    public void close() {
        server.close();
    }
}
