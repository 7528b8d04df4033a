package dev.sodam.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One client WebSocket. Incoming text frames are parsed into a {@link Frame} and offered first to
 * the waiters registered by the set-up steps ({@link #await}), then to the hot-path listener.
 * Everything runs on the connection's event loop except {@link #send}, which Netty queues to it.
 */
final class WsConn {
    /** A waiter: the first frame matching the predicate completes the future. */
    private record Waiter(Predicate<Frame> match, CompletableFuture<Frame> future) {
    }

    private final List<Waiter> waiters = new ArrayList<>();
    private volatile Consumer<Frame> listener = frame -> { };
    private volatile Channel channel;

    static EventLoopGroup newGroup(int threads) {
        return Epoll.isAvailable() ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
    }

    /** Connects and completes when the WebSocket handshake is done. */
    static CompletableFuture<WsConn> open(EventLoopGroup group, URI uri) {
        WsConn conn = new WsConn();
        CompletableFuture<WsConn> opened = new CompletableFuture<>();
        new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536),
                                new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                        uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 1 << 20)),
                                new WebSocketFrameAggregator(1 << 20),
                                conn.new Handler(opened));
                    }
                })
                .connect(uri.getHost(), uri.getPort())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        opened.completeExceptionally(f.cause());
                    }
                });
        return opened;
    }

    private final class Handler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final CompletableFuture<WsConn> opened;

        Handler(CompletableFuture<WsConn> opened) {
            this.opened = opened;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                channel = ctx.channel();
                opened.complete(WsConn.this);
            } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                opened.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            opened.completeExceptionally(new IllegalStateException("connection closed during the handshake"));
            failWaiters(new IllegalStateException("connection closed"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            opened.completeExceptionally(cause);
            failWaiters(cause);
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame msg) {
            Frame frame = Frame.parse(msg.text());
            if (frame.type().equals("error") && !waiters.isEmpty()) {
                // an error answers whichever request caused it: every pending set-up step fails with it
                failWaiters(new IllegalStateException("server error: " + frame.raw()));
            }
            if (!waiters.isEmpty()) {
                Iterator<Waiter> it = waiters.iterator();
                while (it.hasNext()) {
                    Waiter waiter = it.next();
                    if (waiter.match().test(frame)) {
                        it.remove();
                        waiter.future().complete(frame);
                        break;
                    }
                }
            }
            listener.accept(frame);
        }
    }

    private void failWaiters(Throwable cause) {
        List<Waiter> failed = new ArrayList<>(waiters);
        waiters.clear();
        failed.forEach(w -> w.future().completeExceptionally(cause));
    }

    /**
     * Registers a waiter for the first later frame that matches; register it before sending the frame
     * that causes the answer. An {@code error} frame fails every waiter, so set-up never hangs on one.
     */
    CompletableFuture<Frame> await(Predicate<Frame> match) {
        CompletableFuture<Frame> future = new CompletableFuture<>();
        Waiter waiter = new Waiter(match, future);
        if (channel.eventLoop().inEventLoop()) {
            waiters.add(waiter);
        } else {
            channel.eventLoop().execute(() -> waiters.add(waiter));
        }
        return future;
    }

    /** Sends a text frame from any thread, in call order. */
    void send(String json) {
        channel.writeAndFlush(new TextWebSocketFrame(json));
    }

    void onFrame(Consumer<Frame> hotPath) {
        this.listener = hotPath;
    }

    Channel channel() {
        return channel;
    }

    void close() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }
}
