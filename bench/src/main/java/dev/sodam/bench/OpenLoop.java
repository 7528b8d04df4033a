package dev.sodam.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The open loop's clock: each event is due at its own time, fixed before the run, and a late event is sent at
 * once instead of pushing the ones after it back (so coordinated omission cannot hide a stall).
 */
final class OpenLoop {
    private OpenLoop() {
    }

    /** Parks the calling thread until {@code due} ({@link System#nanoTime()}); returns at once when it has passed. */
    static void parkUntil(long due) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
