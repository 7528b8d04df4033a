package dev.sodam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JVM-framework peer of issue 8: a Vert.x 4 relay (native epoll when it loads, one verticle
 * instance per core, all sharing the listening port) with exactly the frame shape of
 * {@link ReferenceRelay}, so {@link LoadGenerator} and {@link IdleConnections} drive it unchanged:
 * {@code hello} with {@code chat} / {@code chats} gets {@code welcome}; {@code send} gets an {@code ack}
 * and its {@code message} goes to the sender and to the other side, with a per-chat seq. JSON through
 * Jackson, as in the reference. No storage, no auth.
 */
public final class VertxRelay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One chat: its two sides and its seq counter. */
    private static final class Chat {
        volatile ServerWebSocket visitor;
        volatile ServerWebSocket agent;
        final AtomicLong seq = new AtomicLong();
    }

    private final Map<String, Chat> chats = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final int port;

    private VertxRelay(String host, int port, int instances) throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(instances));
        // Every instance binds the same port (Vert.x shares it): port 0 (tests) takes a free one first.
        if (port == 0) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
                port = probe.getLocalPort();
            }
        }
        this.port = port;
        vertx.deployVerticle(() -> new Relay(host, this.port), new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Starts a relay; instances 0 means one verticle (and event loop) per available core. */
    public static VertxRelay start(String host, int port, int instances) throws Exception {
        return new VertxRelay(host, port, instances > 0 ? instances : Runtime.getRuntime().availableProcessors());
    }

    public int port() {
        return port;
    }

    /** Whether Vert.x runs on native epoll (else NIO): printed at start, so a run's log says which. */
    public boolean nativeTransport() {
        return vertx.isNativeTransportEnabled();
    }

    private final class Relay extends AbstractVerticle {
        private final String host;
        private final int listenPort;

        Relay(String host, int listenPort) {
            this.host = host;
            this.listenPort = listenPort;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setAcceptBacklog(8192)
                            .setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(1 << 20))
                    .webSocketHandler(this::accept)
                    .listen(listenPort, host).<Void>mapEmpty().onComplete(started);
        }

        private void accept(ServerWebSocket ws) {
            if (!ws.path().equals("/ws")) {
                // Only /ws speaks the relay's frames (reject() is deprecated in Vert.x 4.5: close instead).
                ws.close((short) 1008, "not found");
                return;
            }
            String[] role = {null};
            ws.textMessageHandler(text -> {
                try {
                    onText(ws, role, text);
                } catch (Exception e) {
                    ws.writeTextMessage("{\"type\":\"error\",\"code\":\"bad_request\"}");
                }
            });
        }

        private void onText(ServerWebSocket ws, String[] role, String text) throws Exception {
            JsonNode in = JSON.readTree(text);
            String type = in.path("type").asText();
            if (type.equals("hello") && role[0] == null) {
                role[0] = in.path("role").asText("visitor");
                Iterable<JsonNode> ids = role[0].equals("agent") ? in.path("chats") : List.of(in.path("chat"));
                for (JsonNode id : ids) {
                    Chat chat = chats.computeIfAbsent(id.asText(), k -> new Chat());
                    if (role[0].equals("agent")) {
                        chat.agent = ws;
                    } else {
                        chat.visitor = ws;
                    }
                }
                ws.writeTextMessage("{\"type\":\"welcome\",\"protocol\":1}");
            } else if (type.equals("send") && role[0] != null) {
                String chatId = in.path("conversationId").asText();
                Chat chat = chats.get(chatId);
                if (chat == null) {
                    ws.writeTextMessage("{\"type\":\"error\",\"code\":\"not_found\"}");
                    return;
                }
                long seq = chat.seq.incrementAndGet();
                String messageId = "m_" + chatId + "_" + seq;
                ObjectNode ack = JSON.createObjectNode().put("type", "ack").put("clientMsgId", in.path("clientMsgId").asText())
                        .put("conversationId", chatId).put("seq", seq).put("messageId", messageId);
                ws.writeTextMessage(JSON.writeValueAsString(ack));
                ObjectNode message = JSON.createObjectNode().put("type", "message").put("conversationId", chatId)
                        .put("seq", seq).put("messageId", messageId).put("clientMsgId", in.path("clientMsgId").asText());
                message.putObject("from").put("kind", role[0]).put("id", role[0] + "_" + chatId).put("name", role[0]);
                message.put("text", in.path("text").asText()).put("ts", Instant.now().toString());
                String json = JSON.writeValueAsString(message);
                ServerWebSocket peer = role[0].equals("agent") ? chat.visitor : chat.agent;
                ws.writeTextMessage(json);
                if (peer != null && !peer.isClosed()) {
                    peer.writeTextMessage(json);
                }
            } else {
                ws.writeTextMessage("{\"type\":\"error\",\"code\":\"bad_request\"}");
            }
        }
    }

    @Override
    public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // try-with-resources must not swallow an interrupt: keep the flag for the caller.
            Thread.currentThread().interrupt();
        }
    }

    /** {@code java -cp sodam-bench.jar dev.sodam.bench.VertxRelay [port] [instances]}. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9090;
        int instances = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        VertxRelay relay = start("127.0.0.1", port, instances);
        System.out.println("vertx relay listening on 127.0.0.1:" + relay.port() + (relay.nativeTransport() ? " (epoll)" : " (nio)"));
    }
}
