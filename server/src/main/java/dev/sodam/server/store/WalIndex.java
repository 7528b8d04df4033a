package dev.sodam.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How many frames of a SQLite database's WAL are not yet copied into the database file, read from
 * its wal-index (the {@code -shm} file beside it) with one positioned read and no lock.
 *
 * <p>The wal-index starts with two copies of a 48-byte header and then the checkpoint information;
 * all fields are in the machine's byte order (the format is documented in SQLite's "WAL-mode File
 * Format" and has not changed since 3.7.0): {@code iVersion} at 0, {@code isInit} at 12,
 * {@code mxFrame} (the last valid frame) at 16, {@code nBackfill} (frames already copied into the
 * database) at 96. SQLite writes the header only while it holds the write lock, so the one thread
 * that writes through the connection sees it stable between its transactions; the two copies are
 * still compared, as SQLite's readers do, and anything unexpected reads as "unknown".
 */
final class WalIndex implements AutoCloseable {
    static final int VERSION = 3_007_000;
    static final long UNKNOWN = -1;
    private static final int HEADER = 48;
    private static final int IS_INIT = 12;
    private static final int MX_FRAME = 16;
    private static final int N_BACKFILL = 96;

    private final FileChannel file;
    private final ByteBuffer buffer = ByteBuffer.allocate(N_BACKFILL + Integer.BYTES).order(ByteOrder.nativeOrder());

    private WalIndex(FileChannel file) {
        this.file = file;
    }

    /** The wal-index of {@code database}, or null when there is none to read (not in WAL mode, not opened yet). */
    static WalIndex of(Path database) {
        Path shm = database.resolveSibling(database.getFileName() + "-shm");
        try {
            WalIndex index = new WalIndex(FileChannel.open(shm, StandardOpenOption.READ));
            if (index.uncheckpointedFrames() == UNKNOWN) {
                index.close();
                return null;
            }
            return index;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** WAL frames not yet in the database file, or {@link #UNKNOWN}. */
    long uncheckpointedFrames() {
        buffer.clear();
        try {
            while (buffer.hasRemaining()) {
                if (file.read(buffer, buffer.position()) < 0) {
                    return UNKNOWN; // shorter than a wal-index: SQLite has not set it up
                }
            }
        } catch (IOException e) {
            return UNKNOWN;
        }
        if (buffer.getInt(0) != VERSION || buffer.get(IS_INIT) != 1) {
            return UNKNOWN;
        }
        if (!buffer.slice(0, HEADER).equals(buffer.slice(HEADER, HEADER))) {
            return UNKNOWN; // caught between SQLite's two header writes
        }
        long last = Integer.toUnsignedLong(buffer.getInt(MX_FRAME));
        long copied = Integer.toUnsignedLong(buffer.getInt(N_BACKFILL));
        return copied <= last ? last - copied : UNKNOWN;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException ignored) {
            // a read-only descriptor: nothing to flush
        }
    }
}
