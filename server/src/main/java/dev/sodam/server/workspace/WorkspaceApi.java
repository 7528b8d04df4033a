package dev.sodam.server.workspace;

import dev.sodam.server.auth.AuthService;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.http.HttpResponses;
import dev.sodam.server.model.Agent;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.util.Ids;
import dev.sodam.server.util.Json;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's REST API under {@code /api/workspace/} (docs/protocol.md, "HTTP"): the context
 * packet and canned responses. Any agent or admin token; no token or a bad one gets 401 before
 * anything is read. Token lookups and reads run
 * on the blocking executor, never on an event loop.
 */
public final class WorkspaceApi {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceApi.class);
    public static final String PREFIX = "/api/workspace/";

    private final AuthService auth;
    private final Store store;
    private final ConversationService service;
    private final Clock clock;
    private final Ids ids;
    private final Executor blocking;

    /** Reads go to {@code store}'s readers; writes through {@code service}, on the domain thread. */
    public WorkspaceApi(AuthService auth, Store store, ConversationService service, Clock clock, Ids ids,
                        Executor blocking) {
        this.auth = auth;
        this.store = store;
        this.service = service;
        this.clock = clock;
        this.ids = ids;
        this.blocking = blocking;
    }

    /** One authenticated request: who asks, the request, the path below the prefix. */
    record Call(Agent agent, FullHttpRequest request, List<String> parts) {
        JsonNode body() {
            try {
                JsonNode node = Json.MAPPER.readTree(HttpResponses.utf8(request.content()));
                if (node != null && node.isObject()) {
                    return node;
                }
            } catch (java.io.IOException e) {
                // answered below
            }
            throw new ChatException(ErrorCode.BAD_REQUEST, "body must be a JSON object");
        }
    }

    /** What an endpoint answers: a status and a JSON body. */
    record Answer(HttpResponseStatus status, Object body) {
        static Answer ok(Object body) {
            return new Answer(HttpResponseStatus.OK, body);
        }
    }

    @FunctionalInterface
    interface Endpoint {
        CompletableFuture<Answer> handle(Call call);
    }

    /** Entry point from the HTTP router for every path under {@link #PREFIX}. */
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        List<String> parts = Arrays.asList(path.substring(PREFIX.length()).split("/", -1));
        Endpoint endpoint = parts.contains("") ? null : route(request.method(), parts);
        if (endpoint == null) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.NOT_FOUND, "not_found",
                    "no API for " + request.method() + " " + path, false);
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        request.retain();
        CompletableFuture.supplyAsync(() -> auth.authenticate(token), blocking)
                .thenCompose(agent -> endpoint.handle(new Call(agent, request, parts)))
                .whenCompleteAsync((answer, failure) -> {
                    try {
                        if (failure != null) {
                            fail(ctx, request, failure);
                        } else {
                            HttpResponses.sendJson(ctx, request, answer.status(), answer.body());
                        }
                    } finally {
                        request.release();
                    }
                }, blocking);
    }

    private Endpoint route(HttpMethod method, List<String> parts) {
        if (parts.size() == 3 && parts.get(0).equals("conversations") && parts.get(2).equals("context")
                && method.equals(HttpMethod.GET)) {
            return call -> read(tx -> ContextPacket.build(tx, call.agent(), call.parts().get(1)));
        }
        if (parts.get(0).equals("canned")) {
            if (parts.size() == 1 && method.equals(HttpMethod.GET)) {
                return call -> read(tx -> Map.of("canned", CannedResponses.list(tx, call.agent())));
            }
            if (parts.size() == 1 && method.equals(HttpMethod.POST)) {
                return call -> {
                    CannedResponses.Draft draft = CannedResponses.draft(call.body());
                    return write(tx -> CannedResponses.save(tx, call.agent(), draft, ids, clock.instant()));
                };
            }
            if (parts.size() == 2 && method.equals(HttpMethod.DELETE)) {
                return call -> write(tx -> CannedResponses.delete(tx, call.agent(), call.parts().get(1)));
            }
        }
        return null;
    }

    private CompletableFuture<Answer> read(Function<StoreTx, Object> unit) {
        return CompletableFuture.completedFuture(Answer.ok(store.read(unit)));
    }

    private CompletableFuture<Answer> write(Function<StoreTx, Object> unit) {
        return Replies.<Object>future(reply -> service.execute(unit, reply)).thenApply(Answer::ok);
    }

    private static void fail(ChannelHandlerContext ctx, FullHttpRequest request, Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ChatException refusal) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.valueOf(refusal.code().httpStatus()),
                    refusal.code().wire(), refusal.getMessage(), false);
        } else {
            log.error("workspace request {} {} failed", request.method(), request.uri(), cause);
            HttpResponses.sendError(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL.wire(),
                    "internal error; nothing was changed", false);
        }
    }
}
