package dev.sodam.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.model.Site;
import dev.sodam.server.util.Json;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OriginGuardTest {
    private static final String HOST = "chat.example.com:8080";
    private static final Site DEMO = new Site("demo", "Demo shop", List.of(Site.SELF, "https://shop.example.com"));

    private EmbeddedChannel channel = channel("");

    private static EmbeddedChannel channel(String publicOrigin) {
        return new EmbeddedChannel(new OriginGuard("/ws",
                id -> id.equals("demo") ? Optional.of(DEMO) : Optional.empty(), publicOrigin));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private static FullHttpRequest upgrade(String uri, String origin) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers().set(HttpHeaderNames.HOST, HOST);
        request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
        request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==");
        if (origin != null) {
            request.headers().set(HttpHeaderNames.ORIGIN, origin);
        }
        return request;
    }

    /** Sends the request and asserts it is passed on unchanged and nothing is answered. */
    private void assertPasses(FullHttpRequest request) {
        channel.writeInbound(request);
        Object passed = channel.readInbound();
        try {
            assertThat(passed).isSameAs(request);
            assertThat(request.refCnt()).as("the guard neither releases nor retains a passed request").isEqualTo(1);
        } finally {
            ReferenceCountUtil.release(passed);
        }
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    /** Sends the request and asserts it is refused with the status and JSON code, and the channel closed. */
    private JsonNode assertRefused(FullHttpRequest request, HttpResponseStatus status, String code) throws Exception {
        channel.writeInbound(request);
        assertThat(channel.<Object>readInbound()).as("a refused upgrade goes no further").isNull();
        assertThat(request.refCnt()).as("the refused request is released").isZero();
        Object out = channel.readOutbound();
        try {
            assertThat(out).isInstanceOf(FullHttpResponse.class);
            FullHttpResponse response = (FullHttpResponse) out;
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("application/json");
            JsonNode body = Json.MAPPER.readTree(response.content().toString(StandardCharsets.UTF_8));
            assertThat(body.path("code").asText()).isEqualTo(code);
            assertThat(body.path("message").asText()).isNotBlank();
            assertThat(channel.isOpen()).as("no WebSocket: the connection is closed").isFalse();
            return body;
        } finally {
            ReferenceCountUtil.release(out);
        }
    }

    @Test
    void visitorUpgradeFromAnAllowedOriginPassesAndRecordsTheSite() {
        assertPasses(upgrade("/ws?site=demo", "https://shop.example.com"));
        assertThat(channel.attr(ChannelAttributes.SITE).get()).isEqualTo("demo");
    }

    @Test
    void visitorUpgradeOriginMatchIsCaseInsensitive() {
        assertPasses(upgrade("/ws?site=demo", "https://Shop.Example.com"));
    }

    @Test
    void visitorUpgradeFromAForeignOriginIsForbidden() throws Exception {
        JsonNode body = assertRefused(upgrade("/ws?site=demo", "https://evil.example"), HttpResponseStatus.FORBIDDEN,
                "forbidden");
        assertThat(body.path("message").asText()).contains("https://evil.example");
        assertThat(channel.attr(ChannelAttributes.SITE).get()).isNull();
    }

    @Test
    void visitorUpgradeFromTheServersOwnOriginPassesWhenTheSiteAllowsSelf() {
        assertPasses(upgrade("/ws?site=demo", "http://" + HOST));
        assertThat(channel.attr(ChannelAttributes.SITE).get()).isEqualTo("demo");
    }

    @Test
    void selfMeansTheExactHostAndPort() throws Exception {
        assertRefused(upgrade("/ws?site=demo", "http://chat.example.com:9999"), HttpResponseStatus.FORBIDDEN,
                "forbidden");
    }

    @Test
    void visitorUpgradeForAnUnknownSiteIsNotFound() throws Exception {
        assertRefused(upgrade("/ws?site=nope", "https://shop.example.com"), HttpResponseStatus.NOT_FOUND,
                "not_found");
    }

    @Test
    void visitorUpgradeWithoutOriginPassesAsANonBrowserClient() {
        assertPasses(upgrade("/ws?site=demo", null));
        assertThat(channel.attr(ChannelAttributes.SITE).get()).isEqualTo("demo");
    }

    @Test
    void agentUpgradeFromAForeignOriginIsForbidden() throws Exception {
        assertRefused(upgrade("/ws", "https://shop.example.com"), HttpResponseStatus.FORBIDDEN, "forbidden");
    }

    @Test
    void agentUpgradeFromTheServersOwnOriginPassesWithoutASite() {
        assertPasses(upgrade("/ws", "http://" + HOST));
        assertThat(channel.attr(ChannelAttributes.SITE).get()).isNull();
    }

    @Test
    void agentUpgradeWithoutOriginPasses() {
        assertPasses(upgrade("/ws", null));
        assertThat(channel.attr(ChannelAttributes.SITE).get()).isNull();
    }

    @Test
    void agentUpgradeFromTheConfiguredPublicOriginPasses() {
        channel.finishAndReleaseAll();
        channel = channel("https://chat.example.com");
        FullHttpRequest request = upgrade("/ws", "https://chat.example.com");
        request.headers().set(HttpHeaderNames.HOST, "10.0.0.5:8080"); // behind a reverse proxy
        assertPasses(request);
    }

    @Test
    void nonWebSocketPathsPassUntouched() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/health");
        request.headers().set(HttpHeaderNames.ORIGIN, "https://evil.example");
        assertPasses(request);
        assertThat(channel.attr(ChannelAttributes.SITE).get()).isNull();
    }

    @Test
    void pathsThatMerelyStartWithWsAreGuardedToo() throws Exception {
        // The WebSocket handler upgrades any path starting with /ws, so the guard must check them all.
        assertRefused(upgrade("/wsx?site=demo", "https://evil.example"), HttpResponseStatus.FORBIDDEN, "forbidden");
    }
}
