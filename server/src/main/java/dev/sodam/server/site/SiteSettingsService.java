package dev.sodam.server.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Team;
import dev.sodam.server.routing.BusinessHours;
import dev.sodam.server.routing.TeamDirectory;
import dev.sodam.server.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/**
 * Reads and writes site settings. Reads run on the caller's (blocking) thread from a reader
 * connection; writes are one command on the domain thread. The public view adds what the widget
 * needs to choose between chat and the offline form: whether any team is open now (the teams'
 * business hours) and whether any agent is connected.
 */
public final class SiteSettingsService {
    private final Store store;
    private final ConversationService service;
    private final TeamDirectory teams;
    private final IntSupplier agentsConnected;
    private final Clock clock;

    public SiteSettingsService(Store store, ConversationService service, TeamDirectory teams,
                               IntSupplier agentsConnected, Clock clock) {
        this.store = store;
        this.service = service;
        this.teams = teams;
        this.agentsConnected = agentsConnected;
        this.clock = clock;
    }

    /** The site's settings over the defaults; {@code not_found} for an unknown site. Blocking. */
    public SiteSettings settings(String siteId) {
        return store.read(tx -> {
            if (tx.site(siteId).isEmpty()) {
                throw new ChatException(ErrorCode.NOT_FOUND, "unknown site '" + siteId + "'");
            }
            Optional<String> stored = tx.siteSettings(siteId);
            return stored.map(SiteSettings::stored).orElseGet(SiteSettings::defaults);
        });
    }

    /** What the widget fetches: the settings, the operating hours now, and whether an agent is online. */
    public ObjectNode publicView(String siteId) {
        ObjectNode view = settings(siteId).json();
        view.put("site", siteId);
        Instant now = clock.instant();
        ObjectNode hours = view.putObject("hours");
        ArrayNode list = hours.putArray("teams");
        boolean anyOpen = teams.all().isEmpty();
        Instant nextOpen = null;
        for (Team team : teams.all()) {
            BusinessHours h = teams.hours(team.id());
            boolean open = h.isOpen(now);
            anyOpen |= open;
            ObjectNode t = list.addObject();
            t.put("id", team.id());
            t.putObject("name").put("ko", team.nameKo()).put("en", team.nameEn());
            t.put("open", open);
            Optional<Instant> next = open ? Optional.empty() : h.nextOpening(now);
            if (next.isPresent()) {
                t.put("opensAt", next.get().toString());
                nextOpen = nextOpen == null || next.get().isBefore(nextOpen) ? next.get() : nextOpen;
            } else {
                t.putNull("opensAt");
            }
        }
        hours.put("open", anyOpen);
        if (anyOpen || nextOpen == null) {
            hours.putNull("opensAt");
        } else {
            hours.put("opensAt", nextOpen.toString());
        }
        view.put("agentsOnline", agentsConnected.getAsInt() > 0);
        return view;
    }

    /** Applies a change (only the given fields) and stores the result; answers the stored settings. */
    public CompletableFuture<SiteSettings> update(Agent admin, String siteId, JsonNode change) {
        return Replies.future(reply -> service.execute(tx -> {
            if (tx.site(siteId).isEmpty()) {
                throw new ChatException(ErrorCode.NOT_FOUND, "unknown site '" + siteId + "'");
            }
            SiteSettings current = tx.siteSettings(siteId).map(SiteSettings::stored).orElseGet(SiteSettings::defaults);
            SiteSettings next = current.with(change);
            tx.putSiteSettings(siteId, next.toJson(), clock.instant(), admin.id());
            return next;
        }, reply));
    }
}
