package dev.sodam.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sodam.server.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heartbeat on real sockets with a 6-second idle timeout and 1-second pings: a browser-like client
 * (the JDK's, which answers pings) stays connected and sees pings; an HTTP keep-alive connection that
 * says nothing more is closed by the server. The timeout leaves room for a test JVM starved of CPU
 * (a fresh-clone run at load 27 once answered a ping more than 2 s late and was rightly cut off).
 */
class HeartbeatOverSocketsTest {
    @TempDir
    Path dataDir;

    @Test
    void aClientThatAnswersPingsStaysAndASilentHttpConnectionIsClosed() throws Exception {
        try (TestServer server = TestServer.start(dataDir, Map.of("SODAM_IDLE_SECONDS", "6", "SODAM_PING_SECONDS", "1"))) {
            AtomicInteger pings = new AtomicInteger();
            AtomicInteger closes = new AtomicInteger();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.visitorUri(),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
                            pings.incrementAndGet();
                            ws.request(1);
                            return null; // the JDK client answers with a pong itself
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                            closes.incrementAndGet();
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            socket.sendText("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\"}", true).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> pings.get() >= 8 || closes.get() > 0);
            assertThat(closes.get()).as("answered pings keep the connection").isZero();
            assertThat(socket.isInputClosed()).isFalse();
            socket.abort();

            try (Socket http = new Socket("127.0.0.1", server.port())) {
                OutputStream out = http.getOutputStream();
                out.write(("GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                http.setSoTimeout(60_000);
                InputStream in = http.getInputStream();
                // readAllBytes returns only when the server closes the idle keep-alive connection.
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            }
        }
    }
}
