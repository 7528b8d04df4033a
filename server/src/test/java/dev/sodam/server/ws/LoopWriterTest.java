package dev.sodam.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LoopWriter} on a real event loop (Netty's in-VM local transport): the writes come from the
 * test thread, as they come from the domain thread in the server.
 */
class LoopWriterTest {

    /**
     * Records what reaches the end of a server-side pipeline: texts, flushes, and where the bytes
     * behind each frame are. The frames are kept (released after the test), so two frames written
     * from separately encoded bytes cannot share an address by the pool reusing freed memory.
     */
    private static final class Recorder extends ChannelOutboundHandlerAdapter {
        final List<String> texts = Collections.synchronizedList(new ArrayList<>());
        final List<WebSocketFrame> kept = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            WebSocketFrame frame = (WebSocketFrame) msg;
            texts.add(frame instanceof TextWebSocketFrame text ? text.text() : "close");
            kept.add(frame);
            promise.setSuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
        }

        /** Where the frame's bytes are: an address in direct memory, or an array (compared by identity) and offset. */
        Object where(int frame) {
            ByteBuf content = kept.get(frame).content();
            if (content.hasMemoryAddress()) {
                return content.memoryAddress() + content.readerIndex();
            }
            return new InArray(content.array(), content.arrayOffset() + content.readerIndex());
        }

        void release() {
            kept.forEach(WebSocketFrame::release);
        }
    }

    /** A record's equals compares the array by identity, which is what "the same bytes" means here. */
    private record InArray(byte[] array, int offset) {
    }

    private EventLoopGroup loops;
    private Channel server;
    private final LinkedBlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
    private final List<Recorder> recorders = Collections.synchronizedList(new ArrayList<>());
    private final List<Channel> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        loops = new DefaultEventLoopGroup(1);
        LocalAddress address = new LocalAddress("loop-writer-" + System.nanoTime());
        server = new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        Recorder recorder = new Recorder();
                        recorders.add(recorder);
                        ch.pipeline().addLast(recorder);
                        accepted.add(ch);
                    }
                }).bind(address).sync().channel();
        for (int i = 0; i < 3; i++) {
            clients.add(new Bootstrap().group(loops).channel(LocalChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel());
        }
    }

    @AfterEach
    void stop() throws Exception {
        recorders.forEach(Recorder::release);
        if (!loops.isShuttingDown()) {
            for (Channel client : clients) {
                client.close().sync();
            }
            server.close().sync();
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private Channel acceptedChannel() throws InterruptedException {
        Channel channel = accepted.poll(5, TimeUnit.SECONDS);
        assertThat(channel).as("accepted connection").isNotNull();
        return channel;
    }

    /** Keeps the one event loop busy until the returned latch is counted down, so writes pile up. */
    private CountDownLatch holdTheLoop() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        loops.next().execute(() -> {
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    /** From this thread, {"n":0} … {"n":99} to {@code a} and {"m":0} … {"m":99} to {@code b}, in turns. */
    private static void writeInTurns(Channel a, Channel b) {
        for (int i = 0; i < 100; i++) {
            LoopWriter.write(a, "{\"n\":" + i + "}");
            LoopWriter.write(b, "{\"m\":" + i + "}");
        }
    }

    /** {@link #writeInTurns}'s frames reached both channels in order, each channel flushed once for all. */
    private static void awaitTurnsInOrderWithOneFlushEach(Recorder ra, Recorder rb) {
        await().atMost(Duration.ofSeconds(5)).until(() -> ra.texts.size() == 100 && rb.texts.size() == 100);
        for (int i = 0; i < 100; i++) {
            assertThat(ra.texts.get(i)).isEqualTo("{\"n\":" + i + "}");
            assertThat(rb.texts.get(i)).isEqualTo("{\"m\":" + i + "}");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> ra.flushes.get() == 1 && rb.flushes.get() == 1);
    }

    @Test
    void framesFromAnotherThreadLeaveInOrderWithOneFlushPerChannelForTheBurst() throws Exception {
        Channel a = acceptedChannel();
        Channel b = acceptedChannel();
        Recorder ra = recorders.get(0);
        Recorder rb = recorders.get(1);
        CountDownLatch release = holdTheLoop();
        writeInTurns(a, b);
        release.countDown();
        awaitTurnsInOrderWithOneFlushEach(ra, rb);
    }

    @Test
    void framesHeldByTheWritingThreadWaitForItsWakeAndLeaveAsOneBurstPerChannel() throws Exception {
        Channel a = acceptedChannel();
        Channel b = acceptedChannel();
        Recorder ra = recorders.get(0);
        Recorder rb = recorders.get(1);
        assertThat(LoopWriter.holdWakeups()).isTrue();
        assertThat(LoopWriter.holdWakeups()).as("already holding").isFalse();
        try {
            writeInTurns(a, b);
            // The loop runs its tasks in order: had a write woken it, it would have written by now.
            loops.next().submit(() -> { }).sync();
            assertThat(ra.texts).isEmpty();
            assertThat(rb.texts).isEmpty();
        } finally {
            LoopWriter.wakeHeld();
        }
        awaitTurnsInOrderWithOneFlushEach(ra, rb);
        // Holding is over: the next write wakes the loop by itself.
        LoopWriter.write(a, "{\"after\":true}");
        await().atMost(Duration.ofSeconds(5)).until(() -> ra.texts.size() == 101);
    }

    @Test
    void oneTextFannedOutToTheChannelsOfOneLoopIsEncodedOnce() throws Exception {
        Channel a = acceptedChannel();
        Channel b = acceptedChannel();
        Channel c = acceptedChannel();
        String push = "{\"type\":\"conversation\",\"text\":\"상담원 연결\"}";
        CountDownLatch release = holdTheLoop();
        LoopWriter.write(a, push);
        LoopWriter.write(b, push);
        LoopWriter.write(c, push);
        LoopWriter.write(a, "{\"type\":\"other\"}");
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> recorders.stream().mapToInt(r -> r.texts.size()).sum() == 4);
        assertThat(recorders.get(1).texts).containsExactly(push);
        assertThat(recorders.get(2).texts).containsExactly(push);
        assertThat(recorders.get(0).texts).containsExactly(push, "{\"type\":\"other\"}");
        // The same bytes behind all three pushes (all frames are still held, so this is not reuse).
        Object shared = recorders.get(0).where(0);
        assertThat(recorders.get(1).where(0)).isEqualTo(shared);
        assertThat(recorders.get(2).where(0)).isEqualTo(shared);
        assertThat(recorders.get(0).where(1)).isNotEqualTo(shared);
    }

    @Test
    void aCloseFrameGoesOutBehindTheFramesBeforeItAndThenClosesTheChannel() throws Exception {
        Channel a = acceptedChannel();
        Recorder ra = recorders.get(0);
        CountDownLatch release = holdTheLoop();
        LoopWriter.write(a, "{\"n\":1}");
        LoopWriter.write(a, "{\"n\":2}");
        LoopWriter.write(a, new CloseWebSocketFrame(1012, "restart"), ChannelFutureListener.CLOSE);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> !a.isOpen());
        assertThat(ra.texts).containsExactly("{\"n\":1}", "{\"n\":2}", "close");
    }

    @Test
    void aWriteToAChannelWhoseLoopHasStoppedIsReleasedAndItsWaiterIsTold() throws Exception {
        Channel a = acceptedChannel();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        TextWebSocketFrame frame = new TextWebSocketFrame("{\"n\":1}");
        CompletableFuture<Boolean> told = new CompletableFuture<>();
        LoopWriter.write(a, frame, f -> told.complete(f.isSuccess()));
        assertThat(told.get(5, TimeUnit.SECONDS)).as("the write failed").isFalse();
        assertThat(frame.refCnt()).isZero();
    }
}
