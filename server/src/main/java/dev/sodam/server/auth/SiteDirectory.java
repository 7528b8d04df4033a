package dev.sodam.server.auth;

import dev.sodam.server.model.Site;
import dev.sodam.server.store.Store;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sites and their allowed origins, as an in-memory snapshot: the upgrade's origin check runs on
 * an event loop and must never wait for the database, so a lookup only reads the snapshot, and
 * {@link #refresh()} (start-up, a timer, any change) rebuilds it off the loop.
 */
public final class SiteDirectory implements Function<String, Optional<Site>> {
    private final Store store;
    private volatile Map<String, Site> sites = Map.of();

    public SiteDirectory(Store store) {
        this.store = store;
    }

    /** Reloads every site from the store. Blocking: call it from start-up or a background thread. */
    public void refresh() {
        sites = store.read(tx -> tx.sites()).stream().collect(Collectors.toUnmodifiableMap(Site::id, s -> s));
    }

    @Override
    public Optional<Site> apply(String siteId) {
        return Optional.ofNullable(sites.get(siteId));
    }
}
