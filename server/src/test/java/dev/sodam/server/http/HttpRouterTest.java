package dev.sodam.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.util.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpRouterTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new HttpRouter(null, null, new StaticFiles(getClass().getClassLoader()), Runnable::run));

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    /** What came back, copied out so the response buffer can be released at once. */
    private record Reply(HttpResponseStatus status, io.netty.handler.codec.http.HttpHeaders headers, String body) {
        JsonNode json() throws Exception {
            assertThat(headers.get(HttpHeaderNames.CONTENT_TYPE)).startsWith("application/json");
            return Json.MAPPER.readTree(body);
        }

        String header(CharSequence name) {
            return headers.get(name);
        }
    }

    private Reply exchange(FullHttpRequest request) {
        channel.writeInbound(request);
        assertThat(request.refCnt()).as("the router releases the request").isZero();
        assertThat(channel.<Object>readInbound()).isNull();
        Object out = channel.readOutbound();
        try {
            assertThat(out).isInstanceOf(FullHttpResponse.class);
            FullHttpResponse response = (FullHttpResponse) out;
            Reply reply = new Reply(response.status(), response.headers().copy(),
                    response.content().toString(StandardCharsets.UTF_8));
            assertThat(reply.header(HttpHeaderNames.CONTENT_LENGTH))
                    .isEqualTo(String.valueOf(response.content().readableBytes()));
            return reply;
        } finally {
            ReferenceCountUtil.release(out);
            assertThat(channel.<Object>readOutbound()).as("one response per request").isNull();
        }
    }

    private Reply get(String uri) {
        return exchange(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
    }

    private static void assertJsonError(Reply reply, HttpResponseStatus status, String code) throws Exception {
        assertThat(reply.status()).isEqualTo(status);
        JsonNode body = reply.json();
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("message").isTextual()).isTrue();
        assertThat(body.path("message").asText()).isNotBlank();
    }

    @Test
    void healthIsUp() throws Exception {
        Reply reply = get("/api/health");
        assertThat(reply.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(reply.json()).isEqualTo(Json.MAPPER.readTree("{\"status\":\"UP\"}"));
        assertThat(channel.isOpen()).as("HTTP/1.1 keep-alive").isTrue();
    }

    @Test
    void unknownApiIsNotFoundJson() throws Exception {
        assertJsonError(get("/api/nope"), HttpResponseStatus.NOT_FOUND, "not_found");
    }

    @Test
    void wrongMethodOnHealthIs405Json() throws Exception {
        Reply reply = exchange(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/health"));
        assertJsonError(reply, HttpResponseStatus.METHOD_NOT_ALLOWED, "bad_request");
    }

    @Test
    void widgetLoaderIsJavascriptAllowedFromAnyOrigin() {
        Reply reply = get("/widget.js");
        assertThat(reply.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(reply.header(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/javascript");
        assertThat(reply.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("*");
        assertThat(reply.header(HttpHeaderNames.ETAG)).isNotBlank();
        assertThat(reply.body()).isNotBlank();
    }

    @Test
    void consoleIsHtmlWithAContentSecurityPolicy() {
        Reply reply = get("/console");
        assertThat(reply.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(reply.header(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/html");
        assertThat(reply.header("Content-Security-Policy")).contains("default-src 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(reply.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).as("pages are not CORS-shared").isNull();
        assertThat(reply.body()).containsIgnoringCase("<html");
    }

    @Test
    void demoIsHtml() {
        Reply reply = get("/demo");
        assertThat(reply.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(reply.header(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/html");
        assertThat(reply.body()).contains("/widget.js");
    }

    @Test
    void pathTraversalIsNotFound() throws Exception {
        assertJsonError(get("/../pom.xml"), HttpResponseStatus.NOT_FOUND, "not_found");
    }

    @Test
    void percentEncodedTraversalIsNotFound() throws Exception {
        assertJsonError(get("/js/%2e%2e/x"), HttpResponseStatus.NOT_FOUND, "not_found");
        assertJsonError(get("/js/%2E%2E/widget.js"), HttpResponseStatus.NOT_FOUND, "not_found");
    }

    @Test
    void hiddenFilesAreNotFound() throws Exception {
        assertJsonError(get("/.hidden"), HttpResponseStatus.NOT_FOUND, "not_found");
    }

    @Test
    void classFilesAndOtherClasspathResourcesAreNotServed() throws Exception {
        assertJsonError(get("/dev/sodam/server/http/HttpRouter.class"), HttpResponseStatus.NOT_FOUND, "not_found");
        assertJsonError(get("/logback.xml"), HttpResponseStatus.NOT_FOUND, "not_found");
    }

    @Test
    void rootRedirectsToTheDemo() {
        Reply reply = get("/");
        assertThat(reply.status()).isEqualTo(HttpResponseStatus.FOUND);
        assertThat(reply.header(HttpHeaderNames.LOCATION)).isEqualTo("/demo");
    }

    @Test
    void matchingIfNoneMatchIsNotModified() {
        String etag = get("/widget.js").header(HttpHeaderNames.ETAG);
        FullHttpRequest again = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/widget.js");
        again.headers().set(HttpHeaderNames.IF_NONE_MATCH, etag);
        Reply reply = exchange(again);
        assertThat(reply.status()).isEqualTo(HttpResponseStatus.NOT_MODIFIED);
        assertThat(reply.body()).isEmpty();
        assertThat(reply.header(HttpHeaderNames.ETAG)).isEqualTo(etag);
    }

    @Test
    void staleIfNoneMatchGetsTheFile() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/widget.js");
        request.headers().set(HttpHeaderNames.IF_NONE_MATCH, "\"stale\"");
        assertThat(exchange(request).status()).isEqualTo(HttpResponseStatus.OK);
    }

    @Test
    void loginWithANonJsonBodyIsBadRequest() throws Exception {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/auth/login",
                Unpooled.copiedBuffer("email=a&password=b", StandardCharsets.UTF_8));
        assertJsonError(exchange(request), HttpResponseStatus.BAD_REQUEST, "bad_request");
    }

    @Test
    void loginWithoutCredentialsIsBadRequest() throws Exception {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/auth/login",
                Unpooled.copiedBuffer("{\"email\":\"a@example.com\"}", StandardCharsets.UTF_8));
        assertJsonError(exchange(request), HttpResponseStatus.BAD_REQUEST, "bad_request");
    }

    @Test
    void postToAPageIs405Json() throws Exception {
        Reply reply = exchange(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/console"));
        assertJsonError(reply, HttpResponseStatus.METHOD_NOT_ALLOWED, "bad_request");
    }

    @Test
    void headOfAStaticFileReportsTheLengthOfTheGetBody() {
        int getLength = get("/widget.js").body().getBytes(StandardCharsets.UTF_8).length;
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/widget.js"));
        FullHttpResponse head = channel.readOutbound();
        try {
            assertThat(head.status()).isEqualTo(HttpResponseStatus.OK);
            assertThat(head.content().readableBytes()).isZero();
            assertThat(head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(getLength);
        } finally {
            head.release();
        }
    }
}
