package dev.sodam.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.auth.Principal.VisitorPrincipal;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.conversation.Results;
import dev.sodam.server.http.JsonApi;
import dev.sodam.server.http.JsonApi.Answer;
import dev.sodam.server.http.JsonApi.Call;
import dev.sodam.server.model.Visitor;
import dev.sodam.server.store.IntegrationTx.ApiKey;
import dev.sodam.server.util.Hashing;
import dev.sodam.server.util.Ids;
import dev.sodam.server.util.Text;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The inbound side of other messengers: {@code POST /api/v1/channels/{channel}/messages} with the
 * channel's own key. The external chat ({@code externalId}) is mapped to a visitor of the key's site
 * once; its messages then go through {@link ConversationService#post} as that visitor's, so the chat
 * meets the same bot, queue and agents as a widget chat. Replies leave through the channel's webhook
 * (a webhook created with {@code channel}), see docs/integrations.md.
 */
public final class ChannelApi {
    private static final int MAX_EXTERNAL_ID = 128;
    private static final int MAX_NAME = 60;

    private final ConversationService service;
    private final Clock clock;
    private final Ids ids;
    private final int maxTextChars;

    public ChannelApi(ConversationService service, Clock clock, Ids ids, int maxTextChars) {
        this.service = service;
        this.clock = clock;
        this.ids = ids;
        this.maxTextChars = maxTextChars;
    }

    /** Adds the channel route to the public API. */
    public void register(JsonApi<ApiKey> api) {
        api.route(HttpMethod.POST, "/api/v1/channels/{channel}/messages", this::post);
    }

    private CompletableFuture<Answer> post(Call<ApiKey> call) {
        ApiKey key = ApiKeys.require(call.caller(), ApiKeys.WRITE);
        String channel = call.path("channel");
        if (!channel.equals(key.channel())) {
            throw new ChatException(ErrorCode.FORBIDDEN, "this key is not the key of channel '" + channel + "'");
        }
        JsonNode body = call.body();
        String externalId = JsonApi.text(body, "externalId");
        String text = JsonApi.text(body, "text");
        String messageId = JsonApi.text(body, "messageId");
        String name = JsonApi.text(body, "name");
        String locale = JsonApi.text(body, "locale");
        String faqId = JsonApi.text(body, "faqId");
        if (externalId == null || externalId.isBlank() || externalId.length() > MAX_EXTERNAL_ID) {
            throw JsonApi.bad("field 'externalId' is required: the channel's id of the chat (1 to 128 characters)");
        }
        if (text == null || text.isBlank()) {
            throw JsonApi.bad("field 'text' is required");
        }
        if (Text.chars(text) > maxTextChars) {
            throw new ChatException(ErrorCode.TOO_LARGE, "field 'text' is longer than " + maxTextChars + " characters");
        }
        if (messageId != null && (messageId.isBlank() || messageId.length() > 64)) {
            throw JsonApi.bad("field 'messageId' must be 1 to 64 characters");
        }
        if (name != null && Text.chars(name) > MAX_NAME) {
            throw JsonApi.bad("field 'name' must be at most " + MAX_NAME + " characters");
        }
        if (locale != null && !locale.equals("ko") && !locale.equals("en")) {
            throw JsonApi.bad("field 'locale' must be ko or en");
        }
        String lang = locale == null ? "ko" : locale;
        return Replies.<Visitor>future(reply -> service.execute(tx -> tx.integrations()
                .channelVisitor(key.siteId(), channel, externalId)
                .flatMap(id -> tx.integrations().visitor(id))
                .orElseGet(() -> {
                    Visitor created = new Visitor(ids.next("vi_"), key.siteId(), visitorName(channel, name, lang), lang,
                            clock.instant());
                    // The visitor never holds a token: a random one that is never given out.
                    tx.insertVisitor(created, Hashing.sha256Hex(ids.secret("vt_channel_")));
                    tx.integrations().insertChannelThread(key.siteId(), channel, externalId, created.id());
                    return created;
                }), reply))
                .thenCompose(visitor -> Replies.<Results.Posted>future(reply -> service.post(new VisitorPrincipal(visitor),
                        null, messageId, text, faqId, reply)))
                .thenApply(posted -> {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("conversationId", posted.conversation().id());
                    json.put("externalId", externalId);
                    json.put("message", ApiJson.message(posted.message()));
                    return new Answer(posted.duplicate() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED, json);
                });
    }

    /** The name agents see: the channel first, so the console shows where the chat comes from. */
    static String visitorName(String channel, String name, String locale) {
        String person = name == null || name.isBlank() ? ("ko".equals(locale) ? "고객" : "Customer") : name.strip();
        return "[" + channel + "] " + person;
    }
}
