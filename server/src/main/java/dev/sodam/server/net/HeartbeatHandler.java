package dev.sodam.server.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Keeps connections honest. It stands first in the pipeline, so it sees every byte read (pongs
 * included, which the WebSocket handler drops later) and every byte written, and notes when; one timer
 * per event loop ({@link Heartbeats}) looks at all of that loop's connections once a second.
 * <ul>
 *   <li>Nothing read for half the idle timeout: a WebSocket gets a ping. Browsers answer with a pong,
 *       which counts as reading. This matters for connections that only receive (a busy agent):
 *       the server writes to them all the time, so a ping on write-idle alone would never come.</li>
 *   <li>Still nothing read for the whole idle timeout: the peer is presumed dead and the connection is
 *       closed, which unregisters its session. Plain HTTP keep-alive connections close at half.</li>
 *   <li>Nothing written for the ping interval: a ping, so proxies keep a quiet socket open.</li>
 * </ul>
 * It replaces Netty's {@code IdleStateHandler}, whose two timers per connection cost about 300 bytes
 * on every idle widget (docs/benchmarks.md, scenario a), and which listened to every write's promise.
 */
public final class HeartbeatHandler extends ChannelDuplexHandler {
    private final Heartbeats heartbeats;
    private ChannelHandlerContext ctx;
    private long lastRead;
    private long lastWrite;
    private boolean pinged;
    /** This loop's connections as an intrusive list (no node objects); touched on the event loop only. */
    HeartbeatHandler prev;
    HeartbeatHandler next;

    public HeartbeatHandler(Heartbeats heartbeats) {
        this.heartbeats = heartbeats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastRead = lastWrite = heartbeats.now();
        heartbeats.loop(ctx.executor()).add(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        heartbeats.loop(ctx.executor()).remove(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastRead = heartbeats.now();
        pinged = false;
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        lastWrite = heartbeats.now();
        super.write(ctx, msg, promise);
    }

    /** One look at this connection at time {@code now} (nanoseconds of {@link Heartbeats#now}). */
    void beat(long now) {
        if (!ctx.channel().isActive()) {
            return;
        }
        boolean websocket = Boolean.TRUE.equals(ctx.channel().attr(ChannelAttributes.WEBSOCKET).get());
        long silent = now - lastRead;
        long half = heartbeats.idleNanos() / 2;
        if (silent >= heartbeats.idleNanos() || (silent >= half && !websocket)) {
            ctx.close();
        } else if (silent >= half && !pinged) {
            pinged = true;
            ping();
        } else if (websocket && now - lastWrite >= heartbeats.pingNanos()) {
            ping();
        }
    }

    /** From the tail, so the WebSocket encoder behind this first handler frames it. */
    private void ping() {
        ctx.channel().writeAndFlush(new PingWebSocketFrame());
    }

    /**
     * The heartbeat timers: one per event loop, each looking at that loop's connections once a second.
     * Shared by every connection of a server; time comes from {@code ticker} so tests move it.
     */
    public static final class Heartbeats {
        private final long pingNanos;
        private final long idleNanos;
        private final java.util.function.LongSupplier ticker;
        private final java.util.Map<EventExecutor, Loop> loops = new java.util.concurrent.ConcurrentHashMap<>();

        public Heartbeats(int pingSeconds, int idleSeconds) {
            this(pingSeconds, idleSeconds, System::nanoTime);
        }

        Heartbeats(int pingSeconds, int idleSeconds, java.util.function.LongSupplier ticker) {
            this.pingNanos = TimeUnit.SECONDS.toNanos(pingSeconds);
            // At least two seconds, so half of it is a whole second, the timer's step.
            this.idleNanos = TimeUnit.SECONDS.toNanos(Math.max(2, idleSeconds));
            this.ticker = ticker;
        }

        long now() {
            return ticker.getAsLong();
        }

        long pingNanos() {
            return pingNanos;
        }

        long idleNanos() {
            return idleNanos;
        }

        Loop loop(EventExecutor executor) {
            return loops.computeIfAbsent(executor, Loop::new);
        }

        /** One event loop's connections and its timer, which starts with the first connection. */
        final class Loop {
            private final EventExecutor executor;
            private HeartbeatHandler head;
            private boolean scheduled;

            Loop(EventExecutor executor) {
                this.executor = executor;
            }

            void add(HeartbeatHandler handler) {
                handler.prev = null;
                handler.next = head;
                if (head != null) {
                    head.prev = handler;
                }
                head = handler;
                if (!scheduled) {
                    scheduled = true;
                    executor.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
                }
            }

            void remove(HeartbeatHandler handler) {
                if (handler.prev != null) {
                    handler.prev.next = handler.next;
                } else if (head == handler) {
                    head = handler.next;
                }
                if (handler.next != null) {
                    handler.next.prev = handler.prev;
                }
                handler.prev = null;
                handler.next = null;
            }

            /** Looks at every connection of this loop; a close unlinks a handler, so the next is read first. */
            void sweep() {
                long now = now();
                for (HeartbeatHandler h = head; h != null; ) {
                    HeartbeatHandler following = h.next;
                    h.beat(now);
                    h = following;
                }
            }
        }
    }
}
