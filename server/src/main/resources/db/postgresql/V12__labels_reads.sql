-- PostgreSQL twin of db/migration/V12__labels_reads.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- Labels agents put on a conversation (JSON array of strings, at most 10), shown in the chat lists.
ALTER TABLE conversations ADD COLUMN labels TEXT NOT NULL DEFAULT '[]';
-- The highest seq the visitor has read (their widget's `read` frames), so an agent's console shows
-- read receipts also after a reload.
ALTER TABLE conversations ADD COLUMN visitor_read_seq BIGINT NOT NULL DEFAULT 0;
