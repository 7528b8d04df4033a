package dev.sodam.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.util.Json;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON API as a table of routes ({@code GET /api/v1/conversations/{id}}): matching, 404 and 405,
 * authentication of the caller on the blocking executor, and errors in the one shape
 * {@code {"code":"…","message":"…"}}. The table is data, so tests compare it with docs/openapi.yaml.
 *
 * @param <C> the authenticated caller
 */
public final class JsonApi<C> implements ApiModule {
    private static final Logger log = LoggerFactory.getLogger(JsonApi.class);

    /** What an endpoint answers: a status, a JSON body (or a {@link Download}) and any extra headers. */
    public record Answer(HttpResponseStatus status, Object body, Map<String, String> headers) {
        public Answer(HttpResponseStatus status, Object body) {
            this(status, body, Map.of());
        }

        /** The same answer with one more response header. */
        public Answer with(String header, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(header, value);
            return new Answer(status, body, Map.copyOf(more));
        }

        public static Answer ok(Object body) {
            return new Answer(HttpResponseStatus.OK, body);
        }

        public static Answer created(Object body) {
            return new Answer(HttpResponseStatus.CREATED, body);
        }
    }

    /** A body that is a file to download rather than JSON. */
    public record Download(byte[] bytes, String contentType, String filename) {
    }

    /** One request, once routed and authenticated; {@code remoteAddress} is the peer's IP (or null). */
    public record Call<C>(C caller, FullHttpRequest request, QueryStringDecoder query, Map<String, String> path,
                          String remoteAddress) {
        public JsonNode body() {
            try {
                JsonNode node = Json.MAPPER.readTree(HttpResponses.utf8(request.content()));
                if (node != null && node.isObject()) {
                    return node;
                }
            } catch (IOException e) {
                // answered below
            }
            // The field is 'body': the request as a whole, which a page says in its own words.
            throw ChatException.invalid("body must be a JSON object", ChatException.Reason.INVALID, "body");
        }

        public String param(String name) {
            List<String> values = query.parameters().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String path(String name) {
            return path.get(name);
        }
    }

    /** An endpoint: answers on the blocking executor (or later, from the domain thread). */
    @FunctionalInterface
    public interface Handler<C> {
        CompletableFuture<Answer> handle(Call<C> call);
    }

    /** Authenticates a request from its headers; throws {@link ChatException} (401/403) to refuse. */
    @FunctionalInterface
    public interface Authenticator<C> {
        C authenticate(FullHttpRequest request);
    }

    /** A documented route: method and path template. */
    public record Route(String method, String template) {
        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private record Entry<C>(HttpMethod method, String[] segments, String template, Handler<C> handler) {
    }

    private final List<String> prefixes;
    private final Authenticator<C> authenticator;
    private final Executor blocking;
    private final List<Entry<C>> entries = new ArrayList<>();
    private String internalError = "internal error";

    /**
     * Routes under {@code prefixes} (each a path start such as {@code /api/v1/}): every path there is
     * answered, unknown ones with 404. With no prefixes the module claims only paths its routes match.
     */
    public JsonApi(List<String> prefixes, Authenticator<C> authenticator, Executor blocking) {
        this.prefixes = List.copyOf(prefixes);
        this.authenticator = authenticator;
        this.blocking = blocking;
    }

    /** The message of a 500 answer (for write APIs: that nothing was changed). */
    public JsonApi<C> internalErrorMessage(String message) {
        this.internalError = message;
        return this;
    }

    /**
     * Adds a route. Where templates with different numbers of literal segments match one path, only
     * the most literal ones count ({@code /faq/export} hides {@code /faq/{id}}, also for other methods).
     */
    public JsonApi<C> route(HttpMethod method, String template, Handler<C> handler) {
        entries.add(new Entry<>(method, template.substring(1).split("/", -1), template, handler));
        return this;
    }

    @Override
    public List<String> routes() {
        return entries.stream().map(e -> new Route(e.method().name(), e.template()).toString()).toList();
    }

    @Override
    public boolean handles(String path) {
        for (String prefix : prefixes) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        if (prefixes.isEmpty()) {
            String[] parts = path.substring(1).split("/", -1);
            return entries.stream().anyMatch(e -> match(e.segments(), parts) != null);
        }
        return false;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        String[] parts = path.substring(1).split("/", -1);
        // The most literal templates that match win ({@code /faq/import} over {@code /faq/{id}}), for every method.
        Map<HttpMethod, Map.Entry<Entry<C>, Map<String, String>>> found = new LinkedHashMap<>();
        int best = -1;
        for (Entry<C> entry : entries) {
            Map<String, String> params = match(entry.segments(), parts);
            if (params == null) {
                continue;
            }
            int literal = entry.segments().length - params.size();
            if (literal > best) {
                found.clear();
                best = literal;
            }
            if (literal == best) {
                found.putIfAbsent(entry.method(), Map.entry(entry, params));
            }
        }
        if (found.isEmpty()) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.NOT_FOUND, "not_found", "no API at " + path, false);
            return;
        }
        Map.Entry<Entry<C>, Map<String, String>> chosen = found.get(request.method());
        if (chosen == null) {
            String allowed = found.keySet().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
            HttpResponses.sendError(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "bad_request",
                    "use " + allowed + " for " + path, false);
            return;
        }
        Handler<C> handler = chosen.getKey().handler();
        Map<String, String> params = chosen.getValue();
        String remote = ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress socket
                && socket.getAddress() != null ? socket.getAddress().getHostAddress() : null;
        Executor traced = RequestIds.propagating(blocking, request);
        request.retain();
        CompletableFuture.supplyAsync(() -> authenticator.authenticate(request), traced)
                .thenCompose(caller -> handler.handle(new Call<>(caller, request, query, params, remote)))
                .whenCompleteAsync((answer, failure) -> {
                    try {
                        if (failure != null) {
                            fail(ctx, request, failure);
                        } else if (answer.body() instanceof Download file) {
                            HttpResponses.sendFile(ctx, request, answer.status(), file.bytes(), file.contentType(),
                                    file.filename());
                        } else {
                            io.netty.handler.codec.http.FullHttpResponse response =
                                    HttpResponses.json(answer.status(), answer.body());
                            answer.headers().forEach((name, value) -> response.headers().set(name, value));
                            HttpResponses.send(ctx, request, response, false);
                        }
                    } finally {
                        request.release();
                    }
                }, traced);
    }

    private static Map<String, String> match(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), QueryStringDecoder.decodeComponent(parts[i]));
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    private void fail(ChannelHandlerContext ctx, FullHttpRequest request, Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ChatException refusal) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.valueOf(refusal.code().httpStatus()),
                    refusal.code().wire(), refusal.getMessage(), refusal.detail());
        } else {
            log.error("request {} {} failed", request.method(), request.uri(), cause);
            HttpResponses.sendError(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL.wire(),
                    internalError, false);
        }
    }

    /** The bearer token of a request, or null. */
    public static String bearer(FullHttpRequest request) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    public static ChatException bad(String message) {
        return new ChatException(ErrorCode.BAD_REQUEST, message);
    }

    /** A JSON field that must be a string when present; null when absent. */
    public static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ChatException.invalid("field '" + field + "' must be a string", ChatException.Reason.INVALID, field);
        }
        return value.textValue();
    }

    /** A JSON field that must be an array of strings when present; null when absent. */
    public static List<String> strings(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw ChatException.invalid("field '" + field + "' must be an array of strings", ChatException.Reason.INVALID,
                    field);
        }
        List<String> out = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw ChatException.invalid("field '" + field + "' must be an array of strings",
                        ChatException.Reason.INVALID, field);
            }
            out.add(item.textValue());
        }
        return out;
    }

    /** Runs {@code body} on the caller's thread (already the blocking executor) as an answer. */
    public static CompletableFuture<Answer> now(java.util.function.Supplier<Answer> body) {
        return CompletableFuture.completedFuture(body.get());
    }

    /** Maps a value to an answer. */
    public static <T> Function<T, Answer> okWith(Function<T, Object> json) {
        return value -> Answer.ok(json.apply(value));
    }
}
