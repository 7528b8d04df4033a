package dev.sodam.server.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

/**
 * Online backup and offline restore of the embedded store.
 *
 * <p>Backup runs while the server serves: SQLite's {@code VACUUM INTO} copies one consistent
 * snapshot (a read transaction, so it sees exactly the commits before it began — every message
 * acked before the backup started is in it, none half-written) into a new file, which is then
 * checked with {@code PRAGMA integrity_check} before it is moved to its final name.
 *
 * <p>Restore needs the server stopped (it takes the data directory's {@link DataDirLock}); it checks
 * the backup the same way, keeps the current database beside it as
 * {@code sodam.db.before-restore-<time>}, and puts the copy in place with an atomic move, so a
 * restore interrupted half-way leaves either the old database or the new one, never a mix.
 */
public final class SqliteBackup {

    /** What a backup or restore produced: the file and how much it holds. */
    public record Result(Path file, long bytes, long conversations, long messages) {
    }

    private SqliteBackup() {
    }

    /**
     * Copies the database of {@code dataDir} to {@code target} (which must not exist), online.
     *
     * @throws StoreException with the reason when there is no database, the target exists, or the copy is bad
     */
    public static Result backup(Path dataDir, Path target) {
        Path db = dataDir.resolve("sodam.db").toAbsolutePath();
        if (!Files.isRegularFile(db)) {
            throw new StoreException("no database to back up at " + db, null);
        }
        Path out = target.toAbsolutePath();
        if (Files.exists(out)) {
            throw new StoreException("the backup file " + out + " exists already; choose a new name", null);
        }
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try {
            Files.createDirectories(out.getParent());
            Files.deleteIfExists(partial);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
                 Statement s = c.createStatement()) {
                s.setQueryTimeout(60);
                s.execute("PRAGMA busy_timeout = 10000");
                s.executeUpdate("VACUUM INTO '" + partial.toString().replace("'", "''") + "'");
            }
            Result checked = check(partial);
            move(partial, out);
            return new Result(out, checked.bytes(), checked.conversations(), checked.messages());
        } catch (SQLException | IOException e) {
            deleteQuietly(partial);
            throw new StoreException("backup of " + db + " failed: " + e.getMessage(), e);
        } catch (StoreException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    /**
     * Replaces the database of {@code dataDir} with {@code backup}; the server must be stopped.
     *
     * @throws StoreException when the server runs, the backup is not a sound Sodam database, or a file operation fails
     */
    public static Result restore(Path backup, Path dataDir, Clock clock) {
        Path source = backup.toAbsolutePath();
        if (!Files.isRegularFile(source)) {
            throw new StoreException("no backup file at " + source, null);
        }
        DataDirLock lock = DataDirLock.acquire(dataDir);
        try {
            Result checked = check(source);
            Path db = dataDir.resolve("sodam.db").toAbsolutePath();
            Path incoming = db.resolveSibling("sodam.db.restoring");
            Files.copy(source, incoming, StandardCopyOption.REPLACE_EXISTING);
            if (Files.exists(db)) {
                String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                        .format(clock.instant());
                Files.move(db, db.resolveSibling("sodam.db.before-restore-" + stamp));
            }
            // The old database's WAL and shared memory belong to the old file: they must not be
            // replayed into the restored one.
            Files.deleteIfExists(db.resolveSibling("sodam.db-wal"));
            Files.deleteIfExists(db.resolveSibling("sodam.db-shm"));
            move(incoming, db);
            return new Result(db, checked.bytes(), checked.conversations(), checked.messages());
        } catch (IOException e) {
            throw new StoreException("restore into " + dataDir.toAbsolutePath() + " failed: " + e.getMessage(), e);
        } finally {
            lock.close();
        }
    }

    /** {@code PRAGMA integrity_check} must say ok, and the file must hold Sodam's tables. */
    private static Result check(Path file) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file.toAbsolutePath() + "?mode=ro");
             Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                String verdict = r.next() ? r.getString(1) : "no answer";
                if (!"ok".equals(verdict)) {
                    throw new StoreException(file + " is damaged: " + verdict, null);
                }
            }
            long conversations = count(s, "conversations");
            long messages = count(s, "messages");
            return new Result(file, Files.size(file), conversations, messages);
        } catch (SQLException e) {
            throw new StoreException(file + " is not a Sodam database: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long count(Statement s, String table) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover .partial file is named as such
        }
    }
}
