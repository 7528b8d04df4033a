package dev.sodam.server.net;

import dev.sodam.server.config.SodamConfig;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.delivery.SessionRegistry;
import dev.sodam.server.http.HttpRouter;
import dev.sodam.server.model.Site;
import dev.sodam.server.ops.SodamMetrics;
import dev.sodam.server.protocol.FrameDecoder;
import dev.sodam.server.ws.FloodGuard;
import dev.sodam.server.ws.JsonFrameCodec;
import dev.sodam.server.ws.ProtocolHandler;
import dev.sodam.server.ws.RateLimitHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Assembles one connection's pipeline, HTTP and WebSocket on one port, and does nothing else:
 * <pre>
 * heartbeat → http codec → body limit → aggregator → uri check → origin guard → websocket protocol → http trimmer
 *      → frame aggregator → flood guard → JSON frame codec → rate limit → protocol handler → http router
 * </pre>
 * HTTP requests that are not an upgrade fall through the WebSocket handlers to the router. After the
 * upgrade the trimmer takes the body limit, URI check, origin guard, router and itself out.
 */
public final class SodamChannelInitializer extends ChannelInitializer<SocketChannel> {
    public static final String WS_PATH = "/ws";
    /** Hard cap of a WebSocket message; between maxFrameBytes and this the client gets {@code too_large}. */
    static final int HARD_FRAME_CAP = 1 << 20;
    private static final int MAX_HTTP_BODY = 64 * 1024;
    /** FAQ import files (a few thousand entries) and images (2 MiB, checked again by the attachment API). */
    static final int MAX_UPLOAD_BODY = 4 * 1024 * 1024;
    static final java.util.Set<String> UPLOAD_PATHS = java.util.Set.of("/api/admin/faq/import", "/api/attachments");
    /** The same for every connection: one copy, not one per connection. */
    private static final WebSocketServerProtocolConfig WEBSOCKET = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(WS_PATH)
            .checkStartsWith(true)
            .maxFramePayloadLength(HARD_FRAME_CAP)
            .handleCloseFrames(true)
            .dropPongFrames(true)
            .build();

    /** What every connection's handlers share. */
    public record Shared(SodamConfig config, Clock clock, ConversationService service, SessionRegistry registry,
                         Function<String, Optional<Site>> sites, String publicOrigin,
                         HttpRouter router, SodamMetrics metrics) {
        /** Without metrics (tests that build a pipeline by hand). */
        public Shared(SodamConfig config, Clock clock, ConversationService service, SessionRegistry registry,
                      Function<String, Optional<Site>> sites, String publicOrigin, HttpRouter router) {
            this(config, clock, service, registry, sites, publicOrigin, router, null);
        }
    }

    private final Shared shared;
    private final FrameDecoder frameDecoder;
    /** One timer per event loop for every connection's pings and idle timeout. */
    private final HeartbeatHandler.Heartbeats heartbeats;

    public SodamChannelInitializer(Shared shared) {
        this.shared = shared;
        this.frameDecoder = new FrameDecoder(shared.config().maxTextChars());
        this.heartbeats = new HeartbeatHandler.Heartbeats(shared.config().pingSeconds(), shared.config().idleSeconds());
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        SodamConfig config = shared.config();
        ChannelPipeline p = channel.pipeline();
        SodamMetrics metrics = shared.metrics();
        if (metrics != null) {
            metrics.connectionOpened();
            channel.closeFuture().addListener(closed -> metrics.connectionClosed());
        }
        // First, so it sees every byte read and written (pongs too): pings and the idle timeout.
        p.addLast("heartbeat", new HeartbeatHandler(heartbeats));
        p.addLast("http", new HttpServerCodec());
        p.addLast("body-limit", new BodyLimit(MAX_HTTP_BODY, MAX_UPLOAD_BODY, UPLOAD_PATHS));
        p.addLast(BodyLimit.AGGREGATOR, new JsonLimitAggregator(MAX_HTTP_BODY));
        p.addLast("uri-check", UriCheck.INSTANCE);
        p.addLast("origin-guard", new OriginGuard(WS_PATH, shared.sites(), shared.publicOrigin()));
        p.addLast("websocket", new WebSocketServerProtocolHandler(WEBSOCKET));
        p.addLast("http-trimmer", new HttpHandlersTrimmer(List.of("body-limit", "uri-check", "origin-guard", "router")));
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(HARD_FRAME_CAP));
        p.addLast("flood-guard", new FloodGuard(shared.clock(), config.ratePerSecond(), config.rateBurst()));
        p.addLast("json", new JsonFrameCodec(frameDecoder, config.maxFrameBytes()));
        p.addLast("rate-limit", new RateLimitHandler(shared.clock(), config.ratePerSecond(), config.rateBurst()));
        p.addLast("protocol", metrics == null
                ? new ProtocolHandler(shared.service(), shared.registry())
                : new ProtocolHandler(shared.service(), shared.registry(), metrics::ackLatency));
        p.addLast("router", shared.router());
    }
}
