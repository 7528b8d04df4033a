package dev.sodam.server.config;

/**
 * Where Sodam keeps its data ({@code store.*} in {@code sodam.yaml}).
 *
 * @param type     {@link Type#SQLITE} (the default: one file in {@code data.dir}, nothing else to run) or
 *                 {@link Type#POSTGRESQL} (a PostgreSQL database several nodes can share)
 * @param url      the PostgreSQL JDBC URL ({@code jdbc:postgresql://host:5432/sodam}); "" for SQLite
 * @param user     the PostgreSQL user; "" to take it from the URL or the driver's defaults
 * @param password the PostgreSQL password; "" for none (trust or peer authentication, or in the URL)
 * @param poolSize the most connections this node opens to PostgreSQL
 */
public record StoreSettings(Type type, String url, String user, String password, int poolSize) {

    /** The kinds of store. */
    public enum Type {
        SQLITE, POSTGRESQL
    }

    /** The default: embedded SQLite. */
    public static StoreSettings sqlite() {
        return new StoreSettings(Type.SQLITE, "", "", "", 10);
    }

    /** A PostgreSQL store at {@code url}. */
    public static StoreSettings postgresql(String url, String user, String password, int poolSize) {
        return new StoreSettings(Type.POSTGRESQL, url, user, password, poolSize);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "StoreSettings[type=" + type + ", url=" + url + ", user=" + user + ", password="
                + (password.isEmpty() ? "" : "***") + ", poolSize=" + poolSize + "]";
    }
}
