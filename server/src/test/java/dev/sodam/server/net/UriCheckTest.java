package dev.sodam.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.util.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A URI that cannot be percent-decoded is answered 400 with the error JSON by the handlers in front of the
 * router (body limit, aggregator, URI check), as they stand in the real pipeline: the body limit used to
 * throw on it (a dropped connection) and the router's query decoding too (a 500).
 */
class UriCheckTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();

    UriCheckTest() {
        channel.pipeline().addLast("body-limit", new BodyLimit(1024, 4096, Set.of("/upload")));
        channel.pipeline().addLast(BodyLimit.AGGREGATOR, new JsonLimitAggregator(1024));
        channel.pipeline().addLast("uri-check", UriCheck.INSTANCE);
    }

    @AfterEach
    void releaseEverything() {
        // finish() also rethrows any exception that reached the end of the pipeline.
        channel.finishAndReleaseAll();
    }

    private JsonNode badRequest() throws Exception {
        FullHttpResponse response = channel.readOutbound();
        assertThat(response).as("answered, not dropped").isNotNull();
        try {
            assertThat(response.status().code()).isEqualTo(400);
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("application/json");
            return Json.MAPPER.readTree(response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%", "/api/health/%zz", "/api/admin/faq/%E0%A4%A", "/api/admin/faq?q=%ZZ",
            "/api/admin/faq?q=%", "/api/admin/audit?action=%ZZ", "/api/admin/gaps?locale=%", "/ws?site=%zz", "/upload%"})
    void aMalformedEscapeIsA400WithTheErrorJsonAndTheConnectionStaysOpen(String uri) throws Exception {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        channel.writeInbound(request);
        assertThat(request.refCnt()).as("released").isZero();
        assertThat(channel.<Object>readInbound()).as("not passed on to the router").isNull();
        JsonNode error = badRequest();
        assertThat(error.path("code").asText()).isEqualTo("bad_request");
        assertThat(error.path("message").asText()).contains("%-escape");
        assertThat(error.path("requestId").asText()).isNotBlank();
        channel.checkException();
        assertThat(channel.isOpen()).as("the request was read whole: keep-alive").isTrue();
    }

    @Test
    void aRefusedRequestsBodyIsConsumedAndTheNextRequestIsServed() throws Exception {
        HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/admin/faq/%G1");
        HttpUtil.setContentLength(post, 2);
        channel.writeInbound(post, new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[] {'{', '}'})));
        assertThat(badRequest().path("code").asText()).isEqualTo("bad_request");
        assertThat(channel.<Object>readInbound()).isNull();

        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/admin/faq?q=%25%EB%B0%B0"));
        FullHttpRequest passed = channel.readInbound();
        try {
            assertThat(passed.uri()).as("well-formed escapes pass untouched").isEqualTo("/api/admin/faq?q=%25%EB%B0%B0");
        } finally {
            passed.release();
        }
        assertThat(channel.<Object>readOutbound()).isNull();
    }
}
