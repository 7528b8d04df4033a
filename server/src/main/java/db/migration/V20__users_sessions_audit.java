package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Users and roles (issue 7): the {@code supervisor} role, disabled accounts, accounts scoped to a
 * site, one-time invite/reset tokens, session metadata, team versions and the audit log.
 *
 * <p>Why Java: V1 wrote {@code CHECK (role IN ('agent', 'admin'))} and SQLite cannot alter a CHECK.
 * Rebuilding {@code agents} would mean dropping a table five others reference, which SQLite refuses
 * with foreign keys on (and a migration runs inside a transaction, where they cannot be turned off).
 * SQLite documents the alternative for loosening a constraint without touching stored rows: rewrite the
 * table's SQL in {@code sqlite_schema} with {@code writable_schema} and bump {@code schema_version}
 * (https://sqlite.org/lang_altertable.html, "making other kinds of table schema changes"). Every stored
 * row satisfies the looser check, so nothing else changes.
 */
// The class name is Flyway's version and description, hence the underscores.
public class V20__users_sessions_audit extends BaseJavaMigration {
    private static final String OLD_CHECK = "CHECK (role IN ('agent', 'admin'))";
    private static final String NEW_CHECK = "CHECK (role IN ('agent', 'supervisor', 'admin'))";

    @Override
    public void migrate(Context context) throws SQLException {
        Connection db = context.getConnection();
        try (Statement sql = db.createStatement()) {
            String table;
            try (ResultSet rs = sql.executeQuery("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'agents'")) {
                rs.next();
                table = rs.getString(1);
            }
            if (!table.contains(OLD_CHECK)) {
                throw new SQLException("agents table has an unexpected role check: " + table);
            }
            long schemaVersion;
            try (ResultSet rs = sql.executeQuery("PRAGMA schema_version")) {
                rs.next();
                schemaVersion = rs.getLong(1);
            }
            sql.execute("PRAGMA writable_schema = ON");
            try (var update = db.prepareStatement(
                    "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'agents'")) {
                update.setString(1, table.replace(OLD_CHECK, NEW_CHECK));
                update.executeUpdate();
            }
            sql.execute("PRAGMA schema_version = " + (schemaVersion + 1));
            sql.execute("PRAGMA writable_schema = OFF");

            for (String statement : STATEMENTS) {
                sql.execute(statement);
            }
        }
    }

    private static final String[] STATEMENTS = {
        // A disabled account cannot log in; its tokens stop working at once.
        "ALTER TABLE agents ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))",
        // Optimistic version for admin edits (a stale edit gets 409).
        "ALTER TABLE agents ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        // NULL: the account serves the whole installation; otherwise only this site's data.
        "ALTER TABLE agents ADD COLUMN site_id TEXT REFERENCES sites(id)",
        "ALTER TABLE agents ADD COLUMN updated_at INTEGER",
        // Sessions: when and from where a token was issued, so a user can recognise and revoke it.
        "ALTER TABLE auth_tokens ADD COLUMN created_at INTEGER",
        "ALTER TABLE auth_tokens ADD COLUMN ip TEXT",
        "ALTER TABLE auth_tokens ADD COLUMN user_agent TEXT",
        "CREATE INDEX auth_tokens_agent ON auth_tokens(agent_id)",
        // Invite and password-reset links: only the SHA-256 of the token is kept; used once.
        "CREATE TABLE one_time_tokens ("
                + " token_hash TEXT PRIMARY KEY,"
                + " agent_id TEXT NOT NULL REFERENCES agents(id),"
                + " purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),"
                + " expires_at INTEGER NOT NULL,"
                + " created_at INTEGER NOT NULL)",
        "ALTER TABLE teams ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        // Every admin action: who, what, when, and the object before and after, as JSON.
        "CREATE TABLE audit_log ("
                + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " at INTEGER NOT NULL,"
                + " actor_id TEXT,"
                + " actor_name TEXT,"
                + " site_id TEXT,"
                + " action TEXT NOT NULL,"
                + " target_type TEXT NOT NULL,"
                + " target_id TEXT,"
                + " before_json TEXT,"
                + " after_json TEXT)",
        "CREATE INDEX audit_log_at ON audit_log(at)",
    };
}
