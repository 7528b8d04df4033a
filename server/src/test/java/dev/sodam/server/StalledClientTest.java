package dev.sodam.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.TestServer;
import dev.sodam.server.testing.WsTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading must not make the server buffer without bound: once more than
 * {@code limits.maxOutboundBytes} is queued for it the server closes that connection, the other
 * tab of the same visitor keeps chatting, and the stalled client resumes later with every message
 * exactly once.
 */
class StalledClientTest {

    private static final int MESSAGES = 600;
    /** 3,900 Hangul syllables: about 11.7 KB of UTF-8 per message frame, 7 MB in all. */
    private static final String LONG = "가".repeat(3_900);

    @TempDir
    Path dataDir;

    @Test
    void aClientThatStopsReadingIsCutOffWhileItsOtherTabChatsOnAndItResumesWithNothingLost() throws Exception {
        try (TestServer server = TestServer.start(dataDir, Map.of(
                "SODAM_MAX_OUTBOUND_BYTES", String.valueOf(1024 * 1024),
                "SODAM_RATE_PER_SECOND", "10000", "SODAM_RATE_BURST", "10000"));
             WsTestClient tab = WsTestClient.connect(server.visitorUri())) {
            JsonNode welcome = tab.helloVisitor(null, null, 0);
            String token = welcome.path("visitorToken").asText();
            String conversationId = tab.say("first", null, "안녕하세요").path("conversationId").asText();
            tab.send("{\"type\":\"handoff\",\"conversationId\":\"" + conversationId + "\"}");

            long sentBytes;
            long readBeforeClose;
            try (StalledSocket stalled = StalledSocket.open(server.port())) {
                stalled.sendText("{\"type\":\"hello\",\"role\":\"visitor\",\"site\":\"demo\",\"locale\":\"ko\","
                        + "\"visitorToken\":\"" + token + "\",\"resume\":{\"conversationId\":\"" + conversationId
                        + "\",\"lastSeq\":0}}");
                // The other tab chats on in batches (as a person would, not as a flood), and every
                // message is delivered to both tabs; the stalled one reads nothing.
                for (int batch = 0; batch < MESSAGES; batch += 20) {
                    for (int i = batch; i < batch + 20; i++) {
                        tab.send(Map.of("type", "send", "clientMsgId", "m" + i, "conversationId", conversationId,
                                "text", LONG + i));
                    }
                    String last = "m" + (batch + 19);
                    assertThat(tab.ack(last).path("seq").asLong()).isPositive();
                    tab.await("message", m -> last.equals(m.path("clientMsgId").asText()));
                }
                sentBytes = (long) MESSAGES * (LONG.getBytes(StandardCharsets.UTF_8).length);
                // Now read what reached the stalled socket: it must end (the server closed it) well
                // before everything that was sent to it.
                readBeforeClose = stalled.drainUntilClosed(Duration.ofSeconds(30));
            }
            System.out.printf("stalled client: closed by the server after it had read %,d of %,d bytes sent to it%n",
                    readBeforeClose, sentBytes);
            assertThat(readBeforeClose).as("bytes the stalled client got before the server closed it")
                    .isLessThan(sentBytes / 2);
            assertThat(tab.isClosed()).as("the tab that kept reading is still connected").isFalse();
            assertThat(tab.messages(conversationId)).hasSizeGreaterThanOrEqualTo(MESSAGES + 1);

            try (WsTestClient resumed = WsTestClient.connect(server.visitorUri())) {
                resumed.helloVisitor(token, conversationId, 0);
                await().atMost(Duration.ofSeconds(30)).until(() -> resumed.messages(conversationId).stream()
                        .anyMatch(m -> ("m" + (MESSAGES - 1)).equals(m.path("clientMsgId").asText())));
                List<JsonNode> replay = resumed.messages(conversationId);
                for (int k = 0; k < replay.size(); k++) {
                    assertThat(replay.get(k).path("seq").asLong()).as("gapless, in order").isEqualTo(k + 1);
                }
                for (int i = 0; i < MESSAGES; i++) {
                    String id = "m" + i;
                    assertThat(replay.stream().filter(m -> id.equals(m.path("clientMsgId").asText())).count())
                            .as(id + " exactly once").isEqualTo(1);
                }
            }
        }
    }

    /**
     * A hand-made WebSocket client with a 4 KiB receive buffer that reads nothing after the upgrade
     * until told to drain: the JDK client cannot be made to stop reading at the socket.
     */
    private static final class StalledSocket implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        private StalledSocket(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
        }

        static StalledSocket open(int port) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            StalledSocket s = new StalledSocket(socket);
            s.out.write(("GET /ws?site=demo HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.out.flush();
            String head = s.readHead();
            assertThat(head).startsWith("HTTP/1.1 101");
            return s;
        }

        private String readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed during the upgrade: " + head);
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        /** One masked text frame, as RFC 6455 requires of a client. */
        void sendText(String text) throws IOException {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81);
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else {
                frame.write(0x80 | 126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length & 0xff);
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i % 4]);
            }
            out.write(frame.toByteArray());
            out.flush();
        }

        /** Reads until the server closes the connection; the bytes read. Fails if it stays open. */
        long drainUntilClosed(Duration within) throws IOException {
            long deadline = System.nanoTime() + within.toNanos();
            socket.setSoTimeout(1_000);
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            while (System.nanoTime() < deadline) {
                try {
                    int n = in.read(buf);
                    if (n < 0) {
                        return total;
                    }
                    total += n;
                } catch (SocketTimeoutException e) {
                    // Nothing for a second: the server keeps the connection open and sends nothing more.
                    throw new AssertionError("the server kept the stalled connection open after " + total + " bytes");
                } catch (java.net.SocketException e) {
                    return total; // reset by the server: closed as well
                }
            }
            throw new AssertionError("the server was still sending after " + total + " bytes");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

}
