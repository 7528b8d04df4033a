-- PostgreSQL twin of db/migration/V21__settings.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- Installation settings an admin edits at run time (issue 7: privacy — retention and masking
-- patterns), one JSON document per key, with an optimistic version (a stale edit gets 409).
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,              -- JSON
    version     BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT                        -- agent id
);
-- Retention deletes resolved conversations by their last activity.
CREATE INDEX conversations_resolved ON conversations(updated_at) WHERE state = 'RESOLVED';
CREATE INDEX conversations_by_visitor ON conversations(visitor_id);
