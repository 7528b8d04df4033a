package dev.sodam.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.jar.JarEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps sqlite-jdbc's native library in the data directory and points the driver at it. Left alone,
 * the driver copies the library out of the jar into a fresh temporary file at every start and then
 * compares the copy with the jar's byte by byte: 45 ms of a restart's main thread, a tenth of it
 * (docs/benchmarks.md, scenario e). Here the copy is made once per driver build and reused. The data
 * directory, not the shared temporary one, because only Sodam writes there: a library another user
 * could plant would run as Sodam. Should the directory not allow loading code (a {@code noexec}
 * mount), the driver falls back to its own copy.
 */
final class SqliteNativeLibrary {
    private static final Logger log = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    /** The driver's own settings: where its library is and what it is called. */
    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";

    private SqliteNativeLibrary() {
    }

    /**
     * Before the driver's first connection in this JVM: the library kept in {@code dataDir}, copied
     * there if missing or of another size, becomes the one the driver loads. Does nothing when the
     * driver is already told where its library is, or has none for this platform; never fails the
     * start (the driver then copies as it always did).
     */
    static synchronized void useFrom(Path dataDir) {
        if (System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        try {
            Path kept = keep(dataDir.resolve("native"));
            if (kept != null) {
                System.setProperty(NAME_PROPERTY, kept.getFileName().toString());
                System.setProperty(PATH_PROPERTY, kept.getParent().toAbsolutePath().toString());
            }
        } catch (IOException | RuntimeException e) {
            log.debug("store: keeping SQLite's native library in {} failed; the driver copies its own", dataDir, e);
        }
    }

    /**
     * The library kept in {@code dir} (copied if missing); null if the driver's jar has none for this
     * platform. The kept file is named after the jar entry's CRC-32 and size, so another driver
     * version (whose jar may not say its version once shaded) never finds an old library.
     */
    static Path keep(Path dir) throws IOException {
        String name = LibraryLoaderUtil.getNativeLibName();
        URL resource = SQLiteJDBCLoader.class.getResource(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
        if (resource == null || !(resource.openConnection() instanceof JarURLConnection jar)) {
            return null;
        }
        JarEntry entry = jar.getJarEntry();
        if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
            return null;
        }
        Path kept = dir.resolve(String.format(Locale.ROOT, "sqlite-jdbc-%08x-%d-%s", entry.getCrc(), entry.getSize(), name));
        if (Files.isRegularFile(kept) && Files.size(kept) == entry.getSize()) {
            return kept;
        }
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, "sqlite-jdbc-", ".partial");
        try (InputStream in = jar.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            // Moved in whole: a start that dies half-way leaves a .partial file, never a short library.
            Files.move(partial, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return kept;
    }
}
