package dev.sodam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical-limit reference: a bare Netty WebSocket relay (epoll, event loops = cores) speaking the
 * hot path of Sodam protocol v1 with the same frame shapes, and nothing else — no storage, no auth.
 * {@code hello} carries the chat ids ({@code "chat"} for a visitor, {@code "chats"} for an agent) and is
 * answered with {@code welcome}; {@code send} is answered with {@code ack}, and the {@code message} goes
 * to the sender (as Sodam echoes it) and to the paired peer.
 */
public final class ReferenceRelay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One chat: its two sides and its seq counter. */
    private static final class Chat {
        volatile Channel visitor;
        volatile Channel agent;
        final AtomicLong seq = new AtomicLong();
    }

    private final Map<String, Chat> chats = new ConcurrentHashMap<>();
    private final EventLoopGroup loops;
    private final Channel listener;

    private ReferenceRelay(String host, int port, int threads) throws InterruptedException {
        loops = new EpollEventLoopGroup(threads);
        listener = new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 8192).childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536),
                                new WebSocketServerProtocolHandler("/ws", null, false, 1 << 20, false, true),
                                new Relay());
                    }
                }).bind(host, port).sync().channel();
    }

    /** Starts a relay; threads 0 means one event loop per available core. */
    public static ReferenceRelay start(String host, int port, int threads) throws InterruptedException {
        return new ReferenceRelay(host, port, threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    private final class Relay extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private String role;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws Exception {
            JsonNode in = JSON.readTree(frame.text());
            String type = in.path("type").asText();
            if (type.equals("hello") && role == null) {
                role = in.path("role").asText("visitor");
                Iterable<JsonNode> ids = role.equals("agent") ? in.path("chats") : java.util.List.of(in.path("chat"));
                for (JsonNode id : ids) {
                    Chat chat = chats.computeIfAbsent(id.asText(), k -> new Chat());
                    if (role.equals("agent")) {
                        chat.agent = ctx.channel();
                    } else {
                        chat.visitor = ctx.channel();
                    }
                }
                ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"welcome\",\"protocol\":1}"));
            } else if (type.equals("send") && role != null) {
                String chatId = in.path("conversationId").asText();
                Chat chat = chats.get(chatId);
                if (chat == null) {
                    ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"error\",\"code\":\"not_found\"}"));
                    return;
                }
                long seq = chat.seq.incrementAndGet();
                String messageId = "m_" + chatId + "_" + seq;
                ObjectNode ack = JSON.createObjectNode().put("type", "ack").put("clientMsgId", in.path("clientMsgId").asText())
                        .put("conversationId", chatId).put("seq", seq).put("messageId", messageId);
                ctx.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(ack)));
                ObjectNode message = JSON.createObjectNode().put("type", "message").put("conversationId", chatId)
                        .put("seq", seq).put("messageId", messageId).put("clientMsgId", in.path("clientMsgId").asText());
                message.putObject("from").put("kind", role).put("id", role + "_" + chatId).put("name", role);
                message.put("text", in.path("text").asText()).put("ts", Instant.now().toString());
                String json = JSON.writeValueAsString(message);
                Channel peer = role.equals("agent") ? chat.visitor : chat.agent;
                ctx.writeAndFlush(new TextWebSocketFrame(json));
                if (peer != null) {
                    peer.writeAndFlush(new TextWebSocketFrame(json));
                }
            } else {
                ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"error\",\"code\":\"bad_request\"}"));
            }
        }
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** {@code java -cp sodam-bench.jar dev.sodam.bench.ReferenceRelay [port] [threads]}. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9090;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        ReferenceRelay relay = start("127.0.0.1", port, threads);
        System.out.println("reference relay listening on 127.0.0.1:" + relay.port());
    }
}
