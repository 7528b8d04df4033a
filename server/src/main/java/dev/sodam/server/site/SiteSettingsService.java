package dev.sodam.server.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.conversation.ConversationService;
import dev.sodam.server.conversation.ErrorCode;
import dev.sodam.server.conversation.Replies;
import dev.sodam.server.audit.Audit;
import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Site;
import dev.sodam.server.model.Team;
import dev.sodam.server.routing.BusinessHours;
import dev.sodam.server.routing.TeamDirectory;
import dev.sodam.server.store.Store;
import dev.sodam.server.util.Text;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
    private final Runnable sitesChanged;

    /**
     * @param sitesChanged called (on the caller's thread) after a site is added or changed, so the
     *                     origin check's snapshot of the sites follows at once
     */
    public SiteSettingsService(Store store, ConversationService service, TeamDirectory teams,
                               IntSupplier agentsConnected, Clock clock, Runnable sitesChanged) {
        this.store = store;
        this.service = service;
        this.teams = teams;
        this.agentsConnected = agentsConnected;
        this.clock = clock;
        this.sitesChanged = sitesChanged;
    }

    // ------------------------------------------------------------------ the sites themselves

    private static final java.util.regex.Pattern SITE_ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final int MAX_ORIGINS = 20;

    /** The sites the admin may see: every site for an installation admin, their own for a site's admin. Blocking. */
    public java.util.List<Site> sites(Agent admin) {
        return store.read(tx -> tx.sites().stream().filter(site -> admin.seesSite(site.id()))
                .sorted(java.util.Comparator.comparing(Site::id)).toList());
    }

    /** Adds a site (installation admins only): its key, name and the origins allowed to embed the widget. */
    public CompletableFuture<Site> create(Agent admin, JsonNode body) {
        if (admin.siteId() != null) {
            throw ChatException.installationOnly("only an installation-wide admin adds sites", admin.siteId());
        }
        String id = field(body, "id", 32);
        if (id == null || !SITE_ID.matcher(id).matches()) {
            throw ChatException.invalid("'id' (the site key in data-site) must be 1 to 32 lower-case letters, digits or "
                    + "'-', starting with a letter or digit", id == null ? Reason.REQUIRED : Reason.INVALID, "id",
                    "max", 32);
        }
        Site site = new Site(id, name(body, id), origins(body, List.of(Site.SELF)));
        return Replies.<Site>future(reply -> service.execute(tx -> {
            if (tx.site(id).isPresent()) {
                throw ChatException.refused(ErrorCode.CONFLICT, "a site '" + id + "' exists already", Reason.DUPLICATE,
                        "id", "value", id);
            }
            tx.insertSite(site);
            Audit.write(tx, clock.instant(), admin, id, "site.create", "site", id, null, site);
            return site;
        }, reply)).thenApply(this::changed);
    }

    /** Changes a site's name or origins; a site's admin only their own (another site is not_found). */
    public CompletableFuture<Site> update(Agent admin, String siteId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ChatException.invalid("body must be a JSON object", Reason.INVALID, "body");
        }
        if (body.has("id") && !siteId.equals(body.get("id").asText())) {
            throw ChatException.invalid("a site's key cannot change (it is in every page's script tag)",
                    Reason.CANNOT_CHANGE, "id", "value", Text.truncate(body.get("id").asText(), 40));
        }
        return Replies.<Site>future(reply -> service.execute(tx -> {
            Site before = tx.site(siteId).filter(s -> admin.seesSite(s.id()))
                    .orElseThrow(() -> unknownSite(siteId));
            Site after = new Site(siteId, body.has("name") ? name(body, siteId) : before.name(),
                    body.has("allowedOrigins") ? origins(body, before.allowedOrigins()) : before.allowedOrigins());
            tx.updateSite(after);
            Audit.write(tx, clock.instant(), admin, siteId, "site.update", "site", siteId, before, after);
            return after;
        }, reply)).thenApply(this::changed);
    }

    private Site changed(Site site) {
        sitesChanged.run();
        return site;
    }

    private static String name(JsonNode body, String fallback) {
        String name = field(body, "name", 100);
        if (name == null) {
            return fallback;
        }
        if (name.isBlank()) {
            throw ChatException.invalid("'name' must not be blank", Reason.REQUIRED, "name");
        }
        return name.strip();
    }

    /** "self" or scheme://host[:port] of http(s), lower-cased; no path, query or wildcard. */
    private static List<String> origins(JsonNode body, List<String> fallback) {
        JsonNode list = body.get("allowedOrigins");
        if (list == null || list.isNull()) {
            return fallback;
        }
        if (!list.isArray() || list.size() > MAX_ORIGINS) {
            throw list.isArray()
                    ? ChatException.invalid("'allowedOrigins' must be a list of at most " + MAX_ORIGINS + " origins",
                            Reason.TOO_MANY, "allowedOrigins", "count", list.size(), "max", MAX_ORIGINS)
                    : ChatException.invalid("'allowedOrigins' must be a list of at most " + MAX_ORIGINS + " origins",
                            Reason.INVALID, "allowedOrigins");
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (JsonNode item : list) {
            if (!item.isTextual()) {
                throw ChatException.invalid("each of 'allowedOrigins' must be a string", Reason.INVALID,
                        "allowedOrigins");
            }
            String origin = item.textValue().strip().toLowerCase(java.util.Locale.ROOT);
            if (!origin.equals(Site.SELF) && !isOrigin(origin)) {
                throw ChatException.invalid("'" + item.textValue() + "' is not an origin: use https://shop.example.com "
                        + "(scheme, host and port only) or \"self\"", Reason.INVALID, "allowedOrigins",
                        "value", Text.truncate(item.textValue(), 80));
            }
            out.add(origin);
        }
        return List.copyOf(out);
    }

    private static boolean isOrigin(String origin) {
        try {
            java.net.URI uri = new java.net.URI(origin);
            return (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && origin.equals(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String field(JsonNode body, String name, int max) {
        if (body == null || !body.isObject()) {
            throw ChatException.invalid("body must be a JSON object", Reason.INVALID, "body");
        }
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ChatException.invalid("'" + name + "' must be a string of at most " + max + " characters",
                    Reason.INVALID, name);
        }
        if (Text.chars(value.textValue()) > max) {
            throw ChatException.invalid("'" + name + "' must be a string of at most " + max + " characters",
                    Reason.TOO_LONG, name, "count", Text.chars(value.textValue()), "max", max);
        }
        return value.textValue();
    }

    /** 404 for a site that does not exist, or (never a hint that it does) one of another site's admin. */
    private static ChatException unknownSite(String siteId) {
        return ChatException.refused(ErrorCode.NOT_FOUND, "unknown site '" + siteId + "'", Reason.UNKNOWN, "site",
                "value", Text.truncate(siteId, 40));
    }

    // ------------------------------------------------------------------ a site's widget settings

    /** The site's settings over the defaults; {@code not_found} for an unknown site. Blocking. */
    public SiteSettings settings(String siteId) {
        return store.read(tx -> {
            if (tx.site(siteId).isEmpty()) {
                throw unknownSite(siteId);
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

    /** The settings as an admin reads them: a site's admin only their own site's (another is not_found). Blocking. */
    public SiteSettings settings(Agent admin, String siteId) {
        if (!admin.seesSite(siteId)) {
            throw unknownSite(siteId);
        }
        return settings(siteId);
    }

    /** Applies a change (only the given fields) and stores the result; answers the stored settings. */
    public CompletableFuture<SiteSettings> updateSettings(Agent admin, String siteId, JsonNode change) {
        return Replies.future(reply -> service.execute(tx -> {
            if (tx.site(siteId).isEmpty() || !admin.seesSite(siteId)) {
                throw unknownSite(siteId);
            }
            SiteSettings current = tx.siteSettings(siteId).map(SiteSettings::stored).orElseGet(SiteSettings::defaults);
            SiteSettings next = current.with(change);
            tx.putSiteSettings(siteId, next.toJson(), clock.instant(), admin.id());
            Audit.write(tx, clock.instant(), admin, siteId, "site.settings", "site", siteId, current.json(), next.json());
            return next;
        }, reply));
    }
}
