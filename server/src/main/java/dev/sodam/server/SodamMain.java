package dev.sodam.server;

import dev.sodam.server.config.ConfigException;
import dev.sodam.server.config.ConfigLoader;
import dev.sodam.server.config.SodamConfig;
import dev.sodam.server.config.StoreSettings;
import dev.sodam.server.store.SqliteBackup;
import dev.sodam.server.store.SqliteToPostgres;
import dev.sodam.server.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar sodam.jar [--config path/to/sodam.yaml] [backup FILE | restore FILE | migrate-to-postgres
 * [--data-dir DIR] [--url URL] [--user USER]]}. Without {@code --config} it reads {@code $SODAM_CONFIG} or
 * {@code config/sodam.yaml} when present. Without a command it runs the server; {@code backup} copies the
 * database of {@code data.dir} to FILE while the server runs, {@code restore} puts FILE in its place while
 * the server is stopped, {@code migrate-to-postgres} copies the SQLite installation into an empty
 * PostgreSQL database (the password from {@code SODAM_STORE_POSTGRES_PASSWORD}).
 */
public final class SodamMain {
    private SodamMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path configFile = configFile(args);
        if (System.getProperty("logback.configurationFile") == null) {
            Path logback = configFile == null ? Path.of("config", "logback.xml") : configFile.resolveSibling("logback.xml");
            if (Files.isRegularFile(logback)) {
                System.setProperty("logback.configurationFile", logback.toString());
            }
        }
        SodamConfig config;
        try {
            config = ConfigLoader.load(configFile, System.getenv());
        } catch (ConfigException e) {
            System.err.println("sodam: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<String> command = command(args);
        if (!command.isEmpty()) {
            System.exit(runCommand(command, config));
            return;
        }
        SodamServer server = SodamServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sodam-shutdown"));
    }

    /** The arguments that are not {@code --config} and its value. */
    static List<String> command(String[] args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config")) {
                i++;
            } else if (!args[i].startsWith("--config=")) {
                rest.add(args[i]);
            }
        }
        return rest;
    }

    private static final String USAGE = "usage: java -jar sodam.jar [--config sodam.yaml] [backup FILE | restore FILE"
            + " | migrate-to-postgres [--data-dir DIR] [--url jdbc:postgresql://HOST:5432/DB] [--user USER]]";

    /** Runs {@code backup FILE}, {@code restore FILE} or {@code migrate-to-postgres …}; the process exit code. */
    static int runCommand(List<String> command, SodamConfig config) {
        if (!command.isEmpty() && command.get(0).equals("migrate-to-postgres")) {
            return migrateToPostgres(command.subList(1, command.size()), config);
        }
        if (!command.isEmpty() && List.of("backup", "restore").contains(command.get(0))
                && config.store().type() == StoreSettings.Type.POSTGRESQL) {
            System.err.println("sodam: " + command.get(0) + " is for the SQLite store, and store.type is postgresql: "
                    + "use PostgreSQL's own tools (pg_dump, base backups) for its database");
            return 2;
        }
        if (command.size() != 2 || !List.of("backup", "restore").contains(command.get(0))) {
            System.err.println(USAGE);
            return 2;
        }
        Path file = Path.of(command.get(1));
        try {
            SqliteBackup.Result r = command.get(0).equals("backup")
                    ? SqliteBackup.backup(config.dataDir(), file)
                    : SqliteBackup.restore(file, config.dataDir(), Clock.systemUTC());
            System.out.printf("sodam: %s: %s (%,d bytes, %,d conversations, %,d messages, integrity ok)%n",
                    command.get(0), r.file(), r.bytes(), r.conversations(), r.messages());
            return 0;
        } catch (StoreException e) {
            System.err.println("sodam: " + command.get(0) + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** Copies {@code data.dir} (or {@code --data-dir}) into the PostgreSQL database of {@code --url} (or {@code store.postgres.url}). */
    private static int migrateToPostgres(List<String> options, SodamConfig config) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < options.size(); i += 2) {
            String option = options.get(i);
            if (!List.of("--data-dir", "--url", "--user").contains(option) || i + 1 >= options.size()) {
                System.err.println(USAGE);
                return 2;
            }
            given.put(option, options.get(i + 1));
        }
        Path dataDir = given.containsKey("--data-dir") ? Path.of(given.get("--data-dir")) : config.dataDir();
        String url = given.getOrDefault("--url", config.store().url());
        if (url.isEmpty() || !url.startsWith("jdbc:postgresql://")) {
            System.err.println("sodam: migrate-to-postgres needs --url jdbc:postgresql://HOST:5432/DB (or store.postgres.url)");
            return 2;
        }
        StoreSettings target = StoreSettings.postgresql(url, given.getOrDefault("--user", config.store().user()),
                config.store().password(), 2);
        try {
            SqliteToPostgres.Result r = SqliteToPostgres.copy(dataDir, target);
            System.out.printf("sodam: migrate-to-postgres: %,d rows in %d tables copied from %s to %s; "
                    + "start Sodam with SODAM_STORE_TYPE=postgresql SODAM_STORE_POSTGRES_URL=%s%n",
                    r.total(), r.rows().size(), dataDir.resolve("sodam.db"), url, url);
            return 0;
        } catch (StoreException e) {
            System.err.println("sodam: migrate-to-postgres failed: " + e.getMessage());
            return 1;
        }
    }

    private static Path configFile(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        String fromEnv = System.getenv("SODAM_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        Path fallback = Path.of("config", "sodam.yaml");
        return Files.isRegularFile(fallback) ? fallback : null;
    }
}
