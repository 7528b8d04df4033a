package dev.sodam.server;

import dev.sodam.server.config.ConfigException;
import dev.sodam.server.config.ConfigLoader;
import dev.sodam.server.config.SodamConfig;
import dev.sodam.server.store.SqliteBackup;
import dev.sodam.server.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar sodam.jar [--config path/to/sodam.yaml] [backup FILE | restore FILE]}. Without
 * {@code --config} it reads {@code $SODAM_CONFIG} or {@code config/sodam.yaml} when present. Without a
 * command it runs the server; {@code backup} copies the database of {@code data.dir} to FILE while the
 * server runs, {@code restore} puts FILE in its place while the server is stopped.
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

    /** Runs {@code backup FILE} or {@code restore FILE}; the process exit code. */
    static int runCommand(List<String> command, SodamConfig config) {
        if (command.size() != 2 || !List.of("backup", "restore").contains(command.get(0))) {
            System.err.println("usage: java -jar sodam.jar [--config sodam.yaml] [backup FILE | restore FILE]");
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
