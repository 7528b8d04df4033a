package dev.sodam.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code sodam.lock} in the data directory, held by a running server: a
 * second server on the same directory, or a restore while the server runs, is refused with a clear
 * message instead of two writers racing on one database. The OS drops the lock when the process
 * dies, so a server killed with {@code kill -9} never leaves it stuck.
 */
public final class DataDirLock implements AutoCloseable {
    static final String FILE = "sodam.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock.
     *
     * @throws StoreException naming the directory when another process (or this one) holds it
     */
    public static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE).toAbsolutePath();
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dataDir, null);
            }
            return new DataDirLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            close(channel);
            throw inUse(dataDir, e);
        } catch (IOException e) {
            close(channel);
            throw new StoreException("cannot lock the data directory " + dataDir.toAbsolutePath(), e);
        } catch (StoreException e) {
            close(channel);
            throw e;
        }
    }

    private static StoreException inUse(Path dataDir, Throwable cause) {
        return new StoreException("the data directory " + dataDir.toAbsolutePath()
                + " is in use by a running Sodam server; stop it first", cause);
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it as well
        }
        close(channel);
    }
}
