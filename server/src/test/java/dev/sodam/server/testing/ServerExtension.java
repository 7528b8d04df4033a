package dev.sodam.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real server per test class: a fresh data directory, the server started before the class's
 * own {@code @BeforeAll} and closed after its last test. Browser tests also need Chromium (checked
 * first, so a missing browser fails at once naming the packages) and a trained bot.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServerExtension app = ServerExtension.started().withBot();
 * ... app.server().http("/console") ...
 * }</pre>
 */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> env;
    private final boolean awaitBot;
    private final boolean chromium;
    private Path dataDir;
    private TestServer server;

    private ServerExtension(Map<String, String> env, boolean awaitBot, boolean chromium) {
        this.env = Map.copyOf(env);
        this.awaitBot = awaitBot;
        this.chromium = chromium;
    }

    /** A server with the repository's configuration. */
    public static ServerExtension started() {
        return started(Map.of());
    }

    /** With extra {@code SODAM_*} variables, such as a short accept window. */
    public static ServerExtension started(Map<String, String> env) {
        return new ServerExtension(env, false, false);
    }

    /** For Chromium tests: Chromium is required and the bot is trained before the first test. */
    public static ServerExtension forBrowsers() {
        return forBrowsers(Map.of());
    }

    public static ServerExtension forBrowsers(Map<String, String> env) {
        return new ServerExtension(env, true, true);
    }

    /** The same, with the bot trained before the first test. */
    public ServerExtension withBot() {
        return new ServerExtension(env, true, chromium);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (chromium) {
            Browsers.requireChromium();
        }
        dataDir = Files.createTempDirectory("sodam-test-");
        server = TestServer.start(dataDir, env);
        if (awaitBot) {
            server.awaitBot();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
        if (dataDir != null) {
            delete(dataDir);
        }
    }

    public TestServer server() {
        return server;
    }

    private static void delete(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
