package dev.sodam.server.workspace;

import dev.sodam.server.auth.AuthService;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.http.JsonApi;
import dev.sodam.server.http.JsonApi.Answer;
import dev.sodam.server.model.Agent;
import dev.sodam.server.store.Store;
import dev.sodam.server.store.StoreTx;
import dev.sodam.server.util.Ids;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The console's REST API under {@code /api/workspace/} (docs/protocol.md, "HTTP"): the context
 * packet and canned responses. Any agent or admin token; no token or a bad one gets 401 before
 * anything is read. Token lookups and reads run
 * on the blocking executor, never on an event loop.
 */
public final class WorkspaceApi {
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

    /** The HTTP module: its route table is what docs/openapi.yaml is checked against. */
    public JsonApi<Agent> api() {
        return new JsonApi<Agent>(List.of(PREFIX), request -> auth.authenticate(JsonApi.bearer(request)), blocking)
                .internalErrorMessage("internal error; nothing was changed")
                .route(HttpMethod.GET, PREFIX + "conversations/{id}/context",
                        call -> read(tx -> ContextPacket.build(tx, call.caller(), call.path("id"))))
                .route(HttpMethod.GET, PREFIX + "canned",
                        call -> read(tx -> Map.of("canned", CannedResponses.list(tx, call.caller()))))
                .route(HttpMethod.POST, PREFIX + "canned", call -> {
                    CannedResponses.Draft draft = CannedResponses.draft(call.body());
                    return write(tx -> CannedResponses.save(tx, call.caller(), draft, ids, clock.instant()));
                })
                .route(HttpMethod.DELETE, PREFIX + "canned/{id}",
                        call -> write(tx -> CannedResponses.delete(tx, call.caller(), call.path("id"))));
    }

    private CompletableFuture<Answer> read(Function<StoreTx, Object> unit) {
        return CompletableFuture.completedFuture(Answer.ok(store.read(unit)));
    }

    private CompletableFuture<Answer> write(Function<StoreTx, Object> unit) {
        return Replies.<Object>future(reply -> service.execute(unit, reply)).thenApply(Answer::ok);
    }
}
