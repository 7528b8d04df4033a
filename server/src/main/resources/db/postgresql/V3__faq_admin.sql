-- PostgreSQL twin of db/migration/V3__faq_admin.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- FAQ administration (issue 7): optimistic versions, enable/disable, and a history of every change.
ALTER TABLE faq_entries ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE faq_entries ADD COLUMN enabled BIGINT NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1));
ALTER TABLE faq_entries ADD COLUMN updated_by TEXT;         -- agent id of the last editor; NULL for the seed

-- One row per version an entry has had, written in the same transaction as the change.
-- Rows outlive the entry (a deleted entry can be restored from its history).
CREATE TABLE faq_history (
    entry_id    TEXT NOT NULL,
    version     BIGINT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('seed', 'create', 'update', 'enable', 'disable', 'delete', 'restore')),
    snapshot    TEXT NOT NULL,                 -- JSON of the entry as it was at this version
    changed_by  TEXT,                          -- agent id; NULL for the seed
    changed_at  BIGINT NOT NULL,
    PRIMARY KEY (entry_id, version)
);
