-- PostgreSQL twin of db/migration/V6__priority.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- 1: the visitor sounded angry or distressed, or the bot failed them repeatedly; served first.
ALTER TABLE conversations ADD COLUMN priority BIGINT NOT NULL DEFAULT 0;
DROP INDEX conversations_queue;
CREATE INDEX conversations_queue ON conversations(priority DESC, waiting_since, id) WHERE state = 'QUEUED';
