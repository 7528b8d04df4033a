package dev.sodam.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A body over the limit: the 413 goes out at once, the connection reads the rest of that body and only
 * then closes, and nothing sent after it is served.
 */
class JsonLimitAggregatorTest {
    private static final int LIMIT = 1024;

    private final EmbeddedChannel channel = new EmbeddedChannel();

    JsonLimitAggregatorTest() {
        channel.pipeline().addLast("body-limit", new BodyLimit(LIMIT, 4 * LIMIT, Set.of("/upload")));
        channel.pipeline().addLast(BodyLimit.AGGREGATOR, new JsonLimitAggregator(LIMIT));
    }

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
    }

    private static HttpRequest post(String path, Integer contentLength) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path);
        if (contentLength == null) {
            HttpUtil.setTransferEncodingChunked(request, true);
        } else {
            HttpUtil.setContentLength(request, contentLength);
        }
        return request;
    }

    private static DefaultHttpContent chunk(int bytes) {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[bytes]));
    }

    private static LastHttpContent lastChunk(int bytes) {
        return new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[bytes]));
    }

    private FullHttpResponse refusal() {
        FullHttpResponse response = channel.readOutbound();
        assertThat(response).as("the 413 is sent before the body ends").isNotNull();
        try {
            assertThat(response.status().code()).isEqualTo(413);
            assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
            assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("\"code\":\"too_large\"");
        } finally {
            response.release();
        }
        return response;
    }

    /**
     * Regression, found by FaqImportApiTest failing in CI with "HTTP/1.1 header parser received no bytes":
     * the connection was closed as soon as the 413 was written, with the rest of the body unread, and the
     * reset that such a close sends can reach the client before it has read the 413.
     */
    @Test
    void aBodyOverTheLimitIsAnsweredAtOnceAndTheConnectionClosesOnlyAfterReadingItToItsEnd() {
        channel.writeInbound(post("/api/x", 3 * LIMIT));
        refusal();
        assertThat(channel.isOpen()).as("still reading the body").isTrue();
        channel.writeInbound(chunk(LIMIT));
        channel.writeInbound(chunk(LIMIT));
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(lastChunk(LIMIT));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("closed once the body was read").isFalse();
        assertThat(channel.<Object>readInbound()).as("nothing of the refused body is passed on").isNull();
    }

    @Test
    void aChunkedBodyWhoseLastChunkOverflowsClosesAfterTheRefusal() {
        channel.writeInbound(post("/api/x", null));
        channel.writeInbound(chunk(LIMIT / 2));
        channel.writeInbound(lastChunk(LIMIT));
        refusal();
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void aBodyThatGoesOnPastWhatIsDiscardedIsCutOff() {
        channel.writeInbound(post("/api/x", Integer.MAX_VALUE));
        refusal();
        for (int sent = 0; sent <= JsonLimitAggregator.MAX_DISCARDED && channel.isOpen(); sent += 64 * 1024) {
            channel.writeInbound(chunk(64 * 1024));
            channel.runPendingTasks();
        }
        assertThat(channel.isOpen()).as("closed after " + JsonLimitAggregator.MAX_DISCARDED + " bytes").isFalse();
    }

    @Test
    void aRequestSentAfterARefusedBodyIsNotServed() {
        channel.writeInbound(post("/api/x", 2 * LIMIT));
        refusal();
        // The next request arrives in the same read as the end of the refused body, on a path whose
        // limit differs: it must not get a fresh aggregator and be served on a connection that is closing.
        channel.writeInbound(lastChunk(2 * LIMIT), post("/upload", 10), lastChunk(10));
        channel.runPendingTasks();
        for (Object passed; (passed = channel.readInbound()) != null; ) {
            try {
                assertThat(passed).as("no request reaches the router").isNotInstanceOf(HttpRequest.class);
            } finally {
                io.netty.util.ReferenceCountUtil.release(passed);
            }
        }
        assertThat(channel.isOpen()).isFalse();
    }

    /**
     * Regression (QA repro 07): curl sends {@code Expect: 100-continue} for bodies over 1 MB, and Netty's
     * aggregator answered such a request with its own 413 with an empty body instead of the error JSON.
     */
    @Test
    void aRequestExpectingContinueWithABodyOverTheLimitGetsTheJson413AndNoContinue() {
        HttpRequest request = post("/api/x", 3 * LIMIT);
        request.headers().set(HttpHeaderNames.EXPECT, "100-continue");
        channel.writeInbound(request);
        refusal();
        assertThat(channel.<Object>readOutbound()).as("no 100 Continue either").isNull();
        // The client sends no body and closes: the end of the refusal, not an error.
        channel.close();
        channel.checkException();
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void aRequestExpectingContinueWithinTheLimitGetsTheContinueAndIsAggregated() {
        HttpRequest request = post("/api/x", 10);
        request.headers().set(HttpHeaderNames.EXPECT, "100-continue");
        channel.writeInbound(request);
        FullHttpResponse proceed = channel.readOutbound();
        try {
            assertThat(proceed.status().code()).isEqualTo(100);
        } finally {
            proceed.release();
        }
        channel.writeInbound(lastChunk(10));
        FullHttpRequest aggregated = channel.readInbound();
        try {
            assertThat(aggregated.content().readableBytes()).isEqualTo(10);
        } finally {
            aggregated.release();
        }
    }

    /** Regression: a client that closed in the middle of a body under the limit left a WARN with a stack trace. */
    @Test
    void aBodyCutOffByTheClientUnderTheLimitIsDroppedWithoutAnError() {
        channel.writeInbound(post("/api/x", 100));
        channel.writeInbound(chunk(40));
        channel.close();
        channel.checkException();
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.<Object>readOutbound()).isNull();
    }

    /** Regression: a request with an {@code Expect} other than 100-continue got Netty's 417 with an empty body. */
    @Test
    void anUnsupportedExpectationGetsTheJson417AndTheConnectionServesTheNextRequest() {
        HttpRequest request = post("/api/x", 10);
        request.headers().set(HttpHeaderNames.EXPECT, "something-else");
        channel.writeInbound(request);
        FullHttpResponse failed = channel.readOutbound();
        try {
            assertThat(failed.status().code()).isEqualTo(417);
            assertThat(failed.content().toString(StandardCharsets.UTF_8)).contains("\"code\":\"bad_request\"")
                    .contains("100-continue").contains("\"requestId\"");
            assertThat(HttpUtil.getContentLength(failed)).isEqualTo(failed.content().readableBytes());
        } finally {
            failed.release();
        }
        channel.writeInbound(lastChunk(10));
        assertThat(channel.<Object>readInbound()).as("the refused request is not served").isNull();

        channel.writeInbound(post("/api/y", 3));
        channel.writeInbound(lastChunk(3));
        FullHttpRequest next = channel.readInbound();
        try {
            assertThat(next.uri()).isEqualTo("/api/y");
            assertThat(next.content().readableBytes()).isEqualTo(3);
        } finally {
            next.release();
        }
        assertThat(channel.isOpen()).isTrue();
        channel.checkException();
    }

    /**
     * Regression: Netty's aggregator reported the close that ends a refusal as a
     * PrematureChannelClosureException, logged as a 26-line WARN for every oversized upload.
     */
    @Test
    void theCloseThatEndsARefusalIsNotReportedAsAnError() {
        channel.writeInbound(post("/api/x", 3 * LIMIT));
        refusal();
        channel.writeInbound(chunk(LIMIT));
        channel.close(); // the client gives up half-way
        channel.checkException();

        EmbeddedChannel second = new EmbeddedChannel(new JsonLimitAggregator(LIMIT));
        second.writeInbound(post("/api/x", 3 * LIMIT));
        FullHttpResponse response = second.readOutbound();
        response.release();
        second.writeInbound(lastChunk(3 * LIMIT));
        second.runPendingTasks();
        assertThat(second.isOpen()).as("closed by the refusal").isFalse();
        second.checkException();
        second.finishAndReleaseAll();
    }

    @Test
    void aBodyWithinTheLimitIsAggregatedAsBefore() {
        channel.writeInbound(post("/api/x", 10), lastChunk(10));
        FullHttpRequest request = channel.readInbound();
        try {
            assertThat(request.content().readableBytes()).isEqualTo(10);
        } finally {
            request.release();
        }
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }
}
