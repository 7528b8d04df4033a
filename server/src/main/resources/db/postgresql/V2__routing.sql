-- PostgreSQL twin of db/migration/V2__routing.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- Per-agent chat limit; NULL means the configured default (routing.maxChatsPerAgent).
ALTER TABLE agents ADD COLUMN max_chats BIGINT CHECK (max_chats IS NULL OR max_chats > 0);
