package dev.sodam.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeLibraryTest {
    @TempDir
    Path dir;

    private static byte[] driversOwn() throws Exception {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName())) {
            return in.readAllBytes();
        }
    }

    @Test
    void theLibraryIsCopiedOnceAndThenReused() throws Exception {
        Path kept = SqliteNativeLibrary.keep(dir);
        assertThat(kept).isNotNull().hasParent(dir);
        assertThat(Files.readAllBytes(kept)).isEqualTo(driversOwn());
        Files.setLastModifiedTime(kept, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));

        assertThat(SqliteNativeLibrary.keep(dir)).isEqualTo(kept);
        assertThat(Files.getLastModifiedTime(kept).toInstant()).as("not copied again").isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(kept);
        }
    }

    /** A start killed while copying, or a disk that lost the tail: the short file is replaced, never loaded. */
    @Test
    void aShortCopyIsReplaced() throws Exception {
        Path kept = SqliteNativeLibrary.keep(dir);
        byte[] whole = Files.readAllBytes(kept);
        Files.write(kept, java.util.Arrays.copyOf(whole, whole.length / 2));

        assertThat(SqliteNativeLibrary.keep(dir)).isEqualTo(kept);
        assertThat(Files.readAllBytes(kept)).isEqualTo(whole);
    }

    /** The name carries the jar entry's CRC and size: another driver build never reuses this one's file. */
    @Test
    void theNameSaysWhichBuildOfTheLibraryItIs() throws Exception {
        Path kept = SqliteNativeLibrary.keep(dir);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] bytes = driversOwn();
        crc.update(bytes);
        assertThat(kept.getFileName().toString()).isEqualTo(String.format("sqlite-jdbc-%08x-%d-%s", crc.getValue(),
                bytes.length, LibraryLoaderUtil.getNativeLibName()));
    }
}
