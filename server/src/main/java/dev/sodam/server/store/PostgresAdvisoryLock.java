package dev.sodam.server.store;

import dev.sodam.server.config.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClusterLock} as a PostgreSQL session-level advisory lock ({@code pg_try_advisory_lock}) on a
 * connection of its own, outside the pool (a pool would recycle the connection and with it the lock).
 * The lock lives exactly as long as that session: when the holder's process dies or its connection
 * breaks, PostgreSQL releases it and the next node to ask takes it. A holder checks its connection
 * each time it is asked, so a node whose session was lost stops considering itself the holder.
 */
final class PostgresAdvisoryLock implements ClusterLock {
    private static final Logger log = LoggerFactory.getLogger(PostgresAdvisoryLock.class);
    /** The first key of Sodam's advisory locks (the second is the lock's name), apart from other applications'. */
    static final int NAMESPACE = 0x50DA;
    private static final int VALID_SECONDS = 5;

    private final StoreSettings settings;
    private final String name;
    private Connection connection;
    private boolean held;

    PostgresAdvisoryLock(StoreSettings settings, String name) {
        this.settings = settings;
        this.name = name;
    }

    @Override
    public synchronized boolean tryHold() {
        try {
            if (connection != null && !connection.isValid(VALID_SECONDS)) {
                if (held) {
                    log.warn("cluster lock '{}': the session holding it is gone; another node may take it now", name);
                }
                drop();
            }
            if (connection == null) {
                connection = connect();
            }
            if (!held) {
                held = take();
                if (held) {
                    log.info("cluster lock '{}': this node holds it now", name);
                }
            }
            return held;
        } catch (SQLException e) {
            log.warn("cluster lock '{}': {}", name, e.getMessage());
            drop();
            return false;
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (!settings.user().isEmpty()) {
            properties.setProperty("user", settings.user());
        }
        if (!settings.password().isEmpty()) {
            properties.setProperty("password", settings.password());
        }
        properties.setProperty("ApplicationName", "sodam-lock-" + name);
        return DriverManager.getConnection(settings.url(), properties);
    }

    private boolean take() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            statement.setInt(1, NAMESPACE);
            statement.setInt(2, name.hashCode());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Closing the session releases the lock (PostgreSQL does so when the backend exits, a moment later). */
    private void drop() {
        held = false;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the connection of cluster lock '{}'", name, e);
            }
            connection = null;
        }
    }

    /**
     * Unlocks before closing: the backend of a closed connection exits, and lets go of its locks, only
     * after the client has moved on, so a node that asked right after this close was refused.
     */
    @Override
    public synchronized void close() {
        if (held) {
            release();
        }
        drop();
    }

    private void release() {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            statement.setInt(1, NAMESPACE);
            statement.setInt(2, name.hashCode());
            statement.execute();
        } catch (SQLException e) {
            // the session is ending anyway, and with it the lock
            log.debug("unlocking cluster lock '{}'", name, e);
        }
    }
}
