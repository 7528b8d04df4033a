package dev.sodam.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.testing.LogRecorder;
import dev.sodam.server.testing.ServerExtension;
import dev.sodam.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests a browser or the JDK's client would not send, written byte for byte to a real server: each
 * gets an HTTP answer with the error JSON, and none leaves a warning or a stack trace in the log.
 */
class MalformedRequestTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.started();
    static String admin;

    @RegisterExtension
    final LogRecorder log = new LogRecorder();

    @BeforeAll
    static void login() throws Exception {
        admin = app.server().loginAdmin();
    }

    /** A response as read off the socket: the status, the headers (lower-case names) and the body. */
    record Raw(int status, Map<String, String> headers, String body) {
        JsonNode json() throws IOException {
            assertThat(headers.get("content-type")).startsWith("application/json");
            return TestServer.json(body);
        }
    }

    /**
     * Writes {@code head} (request line and headers, without the blank line) and reads one response by its
     * Content-Length, skipping any 1xx interim response; the socket stays the caller's.
     */
    static Raw exchange(Socket socket, String head) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((head + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        while (true) {
            String[] lines = readHead(in).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            if (status >= 200) {
                byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                return new Raw(status, headers, new String(body, StandardCharsets.UTF_8));
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection without a response; read: " + head);
            }
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                return new String(bytes, 0, n - 4, StandardCharsets.US_ASCII);
            }
        }
    }

    private static Raw get(String uri, String token) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", app.server().port())) {
            return exchange(socket, "GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1"
                    + (token == null ? "" : "\r\nAuthorization: Bearer " + token));
        }
    }

    @Test
    void aMalformedPercentEscapeIsA400WithTheErrorJsonInAPathOrAQuery() throws Exception {
        for (String uri : List.of("/%", "/api/health/%zz", "/api/admin/faq/%E0%A4%A", "/ws?site=%zz")) {
            Raw raw = get(uri, null);
            assertThat(raw.status()).as(uri).isEqualTo(400);
            assertThat(raw.json().path("code").asText()).as(uri).isEqualTo("bad_request");
            assertThat(raw.json().path("message").asText()).as(uri).contains("%-escape");
            assertThat(raw.json().path("requestId").asText()).as(uri).isNotBlank();
        }
        for (String uri : List.of("/api/admin/faq?q=%ZZ", "/api/admin/faq?q=%", "/api/admin/audit?action=%ZZ",
                "/api/admin/gaps?locale=%")) {
            Raw raw = get(uri, admin);
            assertThat(raw.status()).as(uri).isEqualTo(400);
            assertThat(raw.json().path("code").asText()).as(uri).isEqualTo("bad_request");
        }
        assertThat(get("/api/admin/faq?q=%EB%B0%B0%EC%86%A1", admin).status()).as("well-formed escapes work").isEqualTo(200);
        assertThat(log.warnings()).isEmpty();
    }

    /**
     * QA repro 07: curl sends {@code Expect: 100-continue} for a body over 1 MB and waits for the answer
     * before sending it; the answer was Netty's 413 with an empty body, and every oversized upload logged a
     * PrematureChannelClosureException stack trace.
     */
    @Test
    void aBodyOverTheLimitIsTheJson413WithOrWithoutExpectContinueAndLeavesNoWarning() throws Exception {
        for (Map.Entry<String, Integer> oversized : Map.of("/api/admin/faq", 70_000, "/api/admin/faq/import", 5_000_000)
                .entrySet()) {
            try (Socket socket = new Socket("127.0.0.1", app.server().port())) {
                Raw raw = exchange(socket, "POST " + oversized.getKey() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + admin + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + oversized.getValue() + "\r\nExpect: 100-continue");
                assertThat(raw.status()).as(oversized.getKey()).isEqualTo(413);
                assertThat(raw.json().path("code").asText()).isEqualTo("too_large");
                assertThat(raw.json().path("message").asText()).contains("bytes");
                assertThat(raw.headers().get("connection")).isEqualTo("close");
            } // like curl: no body sent, and the connection closed
        }
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> withoutExpect = client.send(HttpRequest.newBuilder(URI.create(app.server().http("/api/admin/faq")))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("a".repeat(3_000_000))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withoutExpect.statusCode()).isEqualTo(413);
        assertThat(TestServer.json(withoutExpect.body()).path("code").asText()).isEqualTo("too_large");
        HttpResponse<String> expectedAndSmall = client.send(HttpRequest.newBuilder(URI.create(app.server().http("/api/admin/faq")))
                .expectContinue(true).header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(expectedAndSmall.statusCode()).as("within the limit: continued and validated").isEqualTo(400);
        // The closes are handled on the event loops after the answers: give them time to log anything.
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> log.warnings().isEmpty());
    }

    /** Regression: an {@code Expect} other than 100-continue got Netty's 417 with an empty body. */
    @Test
    void anUnsupportedExpectationIsTheJson417AndTheConnectionServesTheNextRequest() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.server().port())) {
            Raw failed = exchange(socket, "POST /api/admin/faq HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + admin + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: 200-ok");
            assertThat(failed.status()).isEqualTo(417);
            assertThat(failed.json().path("code").asText()).isEqualTo("bad_request");
            assertThat(failed.json().path("message").asText()).contains("100-continue");
            socket.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8)); // the body, dropped unread
            Raw next = exchange(socket, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1");
            assertThat(next.status()).as("the same connection goes on").isEqualTo(200);
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> log.warnings().isEmpty());
    }

    /** Regression: a client gone in the middle of a body under the limit left a WARN with a stack trace. */
    @Test
    void aClientGoneInTheMiddleOfABodyLeavesNoWarning() throws Exception {
        for (String path : List.of("/api/admin/faq", "/api/admin/faq/import", "/api/bot/ask")) {
            try (Socket socket = new Socket("127.0.0.1", app.server().port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin
                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"text\":\"")
                        .getBytes(StandardCharsets.UTF_8));
                out.write("a".repeat(400).getBytes(StandardCharsets.UTF_8));
                out.flush();
            } // closed with 590 bytes of the body unsent, as a browser tab closed mid-upload
        }
        try (Socket socket = new Socket("127.0.0.1", app.server().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/admin/faq HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"text\":\"aaaaaa")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
        } // the same with a chunked body
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> log.warnings().isEmpty());
    }
}
