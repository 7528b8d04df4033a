package dev.sodam.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes to WebSocket channels from threads other than their event loop (the domain thread, above
 * all), with one task and one flush per channel per burst instead of a task and a flush per frame.
 *
 * <p>Why: the domain thread publishes a batch's frames together — an ack and an echo to a visitor,
 * a queue change to every agent of the site. {@code channel.writeAndFlush} from a foreign thread
 * queues one task per frame and makes one {@code write} system call per frame; setting up 1,000
 * chats with 200 agents wrote about 600,000 frames that way (docs/benchmarks.md, "(b) Where the
 * domain thread's time goes"). Here the frames wait in one queue per event loop, and one task
 * writes them all and then flushes each channel it touched once.
 *
 * <p>JSON text is handed over as a {@link String} and turned into bytes on the event loop, and the
 * same string sent to several connections of one loop in a row (a fan-out) is encoded once: each
 * of them writes a view of the same bytes. The domain thread is the bottleneck of a node, so the
 * encoding is better spent on the event loops.
 *
 * <p>Order: frames to one channel leave in the order they were handed over, as with
 * {@code writeAndFlush} from one thread. A caller already on the channel's event loop writes
 * directly, as before, so nothing it writes is delayed behind a foreign burst.
 */
final class LoopWriter implements Runnable {
    /** Frames written per task before the task flushes and yields to the loop's I/O. */
    static final int MAX_WRITES_PER_TASK = 4096;

    private static final ConcurrentHashMap<EventLoop, LoopWriter> WRITERS = new ConcurrentHashMap<>();
    /**
     * Per thread, between {@link #holdWakeups} and {@link #wakeHeld}: the writers it queued frames on,
     * not yet woken. Null when the thread holds nothing (the event loops, and the domain thread between
     * batches).
     */
    private static final ThreadLocal<List<LoopWriter>> HELD = new ThreadLocal<>();

    private final EventLoop loop;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private record Pending(Channel channel, Object message, ChannelFutureListener after) {
    }

    private LoopWriter(EventLoop loop) {
        this.loop = loop;
    }

    /** Writes {@code message} (a frame, or JSON text as a String) to the channel; fire and forget. */
    static void write(Channel channel, Object message) {
        write(channel, message, null);
    }

    /**
     * Writes {@code message} to the channel and runs {@code after} when that write completes (for a
     * close frame: close the channel behind it).
     */
    static void write(Channel channel, Object message, ChannelFutureListener after) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            Object frame = message instanceof String json ? new TextWebSocketFrame(json) : message;
            if (after == null) {
                channel.writeAndFlush(frame);
            } else {
                channel.writeAndFlush(frame).addListener(after);
            }
            return;
        }
        writerOf(loop).enqueue(new Pending(channel, message, after));
    }

    private static LoopWriter writerOf(EventLoop loop) {
        LoopWriter writer = WRITERS.get(loop);
        if (writer != null) {
            return writer;
        }
        return WRITERS.computeIfAbsent(loop, l -> {
            // A server stopped in a test run leaves its loops behind: forget them when they end.
            l.terminationFuture().addListener(f -> WRITERS.remove(l));
            return new LoopWriter(l);
        });
    }

    /**
     * From now until {@link #wakeHeld}, frames this thread writes are queued without waking their event
     * loops. Why: on a server whose threads share one core, waking a loop hands it the core at once, so
     * a batch's frames left in as many bursts as the loop could empty its queue between them: a wakeup,
     * a task and a {@code writev} each instead of one per loop (docs/benchmarks.md, "(d) at 100
     * questions/s"). Returns false, and does nothing, when this thread already holds.
     */
    static boolean holdWakeups() {
        if (HELD.get() != null) {
            return false;
        }
        HELD.set(new ArrayList<>(4));
        return true;
    }

    /** Wakes, once each, the loops this thread queued frames on since {@link #holdWakeups}; stops holding. */
    static void wakeHeld() {
        List<LoopWriter> held = HELD.get();
        if (held == null) {
            return;
        }
        HELD.remove();
        for (LoopWriter writer : held) {
            writer.scheduleIfIdle();
        }
    }

    private void enqueue(Pending p) {
        pending.add(p);
        List<LoopWriter> held = HELD.get();
        if (held == null) {
            scheduleIfIdle();
        } else if (!held.contains(this)) {
            held.add(this);
        }
    }

    private void scheduleIfIdle() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this);
            } catch (RejectedExecutionException stopped) {
                // The loop is shutting down: its channels are closing, so nothing more can be written.
                scheduled.set(false);
                dropAll(stopped);
            }
        }
    }

    @Override
    public void run() {
        // Cleared before draining: a frame added from now on schedules another run, and a frame
        // added before is drained by this one.
        scheduled.set(false);
        List<Channel> touched = new ArrayList<>();
        Set<Channel> seen = new HashSet<>();
        String lastJson = null;
        ByteBuf lastBytes = null;
        try {
            for (int i = 0; i < MAX_WRITES_PER_TASK; i++) {
                Pending p = pending.poll();
                if (p == null) {
                    break;
                }
                Object frame = p.message();
                if (frame instanceof String json) {
                    if (json != lastJson) {
                        if (lastBytes != null) {
                            lastBytes.release();
                        }
                        lastBytes = ByteBufUtil.writeUtf8(p.channel().alloc(), json);
                        lastJson = json;
                    }
                    frame = new TextWebSocketFrame(lastBytes.retainedDuplicate());
                }
                if (p.after() == null) {
                    p.channel().write(frame);
                } else {
                    p.channel().write(frame).addListener(p.after());
                }
                if (seen.add(p.channel())) {
                    touched.add(p.channel());
                }
            }
        } finally {
            if (lastBytes != null) {
                lastBytes.release();
            }
            for (Channel channel : touched) {
                channel.flush();
            }
        }
        if (!pending.isEmpty()) {
            scheduleIfIdle();
        }
    }

    private void dropAll(Exception cause) {
        Pending p;
        while ((p = pending.poll()) != null) {
            ReferenceCountUtil.release(p.message());
            if (p.after() != null) {
                try {
                    // Whoever waits for this write (a graceful close) learns that it failed.
                    p.after().operationComplete(p.channel().newFailedFuture(cause));
                } catch (Exception e) {
                    // Best effort on a loop that is going away; the channel closes with it.
                }
            }
        }
    }
}
