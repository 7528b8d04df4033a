package dev.sodam.server.testing;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's) that records every frame it receives, in order, for assertions.
 * The JDK client answers pings itself.
 */
public final class WsTestClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final WebSocket socket;
    private final List<JsonNode> frames = new ArrayList<>();
    private volatile boolean closed;
    private volatile int closeStatus = -1;

    private WsTestClient(URI uri) throws Exception {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, new Recorder())
                .get(10, TimeUnit.SECONDS);
    }

    public static WsTestClient connect(URI uri) throws Exception {
        return new WsTestClient(uri);
    }

    private final class Recorder implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode frame = Json.MAPPER.readTree(text);
                    synchronized (frames) {
                        frames.add(frame);
                    }
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("server sent invalid JSON: " + text, e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeStatus = statusCode;
            closed = true;
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
        }
    }

    public WsTestClient send(String raw) {
        socket.sendText(raw, true).join();
        return this;
    }

    public WsTestClient send(Map<String, ?> frame) {
        try {
            return send(Json.MAPPER.writeValueAsString(frame));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every frame received so far, in order. */
    public List<JsonNode> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    public List<JsonNode> frames(String type) {
        return frames().stream().filter(f -> type.equals(f.path("type").asText())).toList();
    }

    /** Message frames of one conversation, in arrival order. */
    public List<JsonNode> messages(String conversationId) {
        return frames("message").stream().filter(f -> conversationId.equals(f.path("conversationId").asText())).toList();
    }

    /** Waits for the first frame (from the start of the recording) of a type that matches. */
    public JsonNode await(String type, Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
            for (JsonNode frame : frames(type)) {
                if (match.test(frame)) {
                    found[0] = frame;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    public JsonNode await(String type) {
        return await(type, f -> true);
    }

    /** Waits for the ack of a clientMsgId, or fails fast if an error with that ref arrives instead. */
    public JsonNode ack(String clientMsgId) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> {
            for (JsonNode frame : frames()) {
                String type = frame.path("type").asText();
                if (type.equals("ack") && clientMsgId.equals(frame.path("clientMsgId").asText())) {
                    found[0] = frame;
                    return true;
                }
                if (type.equals("error") && clientMsgId.equals(frame.path("ref").asText())) {
                    throw new AssertionError("expected an ack for " + clientMsgId + " but got " + frame);
                }
            }
            return false;
        });
        return found[0];
    }

    /** Says hello as a visitor and returns the welcome. */
    public JsonNode helloVisitor(String token, String resumeConversationId, long lastSeq) {
        StringBuilder hello = new StringBuilder("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"ko\"");
        if (token != null) {
            hello.append(",\"visitorToken\":\"").append(token).append('"');
        }
        if (resumeConversationId != null) {
            hello.append(",\"resume\":{\"conversationId\":\"").append(resumeConversationId)
                    .append("\",\"lastSeq\":").append(lastSeq).append('}');
        }
        send(hello.append('}').toString());
        return await("welcome");
    }

    public JsonNode helloAgent(String token) {
        send("{\"type\":\"hello\",\"role\":\"agent\",\"token\":\"" + token + "\"}");
        return await("welcome");
    }

    /** Sends a visitor/agent message and waits for its ack. */
    public JsonNode say(String clientMsgId, String conversationId, String text) {
        StringBuilder frame = new StringBuilder("{\"type\":\"send\",\"clientMsgId\":\"").append(clientMsgId)
                .append("\",\"ref\":\"").append(clientMsgId).append('"');
        if (conversationId != null) {
            frame.append(",\"conversationId\":\"").append(conversationId).append('"');
        }
        try {
            frame.append(",\"text\":").append(Json.MAPPER.writeValueAsString(text)).append('}');
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        send(frame.toString());
        return ack(clientMsgId);
    }

    /**
     * A visitor's message that also asks for a person ({@code "handoff": true}), as the offline form sends
     * it; waits for its ack and returns the conversation's id, now queued.
     */
    public String askForAPerson(String clientMsgId) {
        send("{\"type\":\"send\",\"clientMsgId\":\"" + clientMsgId + "\",\"text\":\"상담원 연결해 주세요\","
                + "\"handoff\":true}");
        return ack(clientMsgId).get("conversationId").asText();
    }

    /** The status of the server's close frame; -1 before one arrived. */
    public int closeStatus() {
        return closeStatus;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }

    /** Drops the TCP connection without a close handshake, like a phone losing signal. */
    public void drop() {
        socket.abort();
    }
}
