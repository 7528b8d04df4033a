package dev.sodam.server;

import dev.sodam.server.config.ConfigException;
import dev.sodam.server.config.ConfigLoader;
import dev.sodam.server.config.SodamConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar sodam.jar [--config path/to/sodam.yaml]}. Without {@code --config} it reads
 * {@code $SODAM_CONFIG} or {@code config/sodam.yaml} when present.
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
        SodamServer server = SodamServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sodam-shutdown"));
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
