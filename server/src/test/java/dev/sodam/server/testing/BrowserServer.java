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
 * One real server per browser test class, with the bot trained before the first test: every browser
 * test needs Chromium (checked first, so a missing browser fails at once naming the packages), a
 * fresh data directory and a server that is closed after the last test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BrowserServer app = new BrowserServer();
 * ... app.server().http("/console") ...
 * }</pre>
 */
public final class BrowserServer implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> env;
    private Path dataDir;
    private TestServer server;

    public BrowserServer() {
        this(Map.of());
    }

    /** With extra {@code SODAM_*} variables, such as a short accept window. */
    public BrowserServer(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Browsers.requireChromium();
        dataDir = Files.createTempDirectory("sodam-browser-");
        server = TestServer.start(dataDir, env);
        server.awaitBot();
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
