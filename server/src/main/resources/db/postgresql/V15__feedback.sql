-- PostgreSQL twin of db/migration/V15__feedback.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- Visitor feedback: 👍/👎 on a bot answer (kind 'thumbs', score 1 = helpful, 0 = not helpful,
-- message_id = the answer), satisfaction at resolution (kind 'csat', score 1..5) and the optional
-- per-site NPS question (kind 'nps', score 0..10). A visitor who rates the same thing again
-- replaces the row (one row per conversation, kind and message). Analytics read this table.
CREATE TABLE feedback (
    id               TEXT PRIMARY KEY,
    site_id          TEXT NOT NULL REFERENCES sites(id),
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    message_id       TEXT REFERENCES messages(id),   -- only for 'thumbs'
    kind             TEXT NOT NULL CHECK (kind IN ('thumbs', 'csat', 'nps')),
    score            BIGINT NOT NULL,
    comment          TEXT,
    created_at       BIGINT NOT NULL              -- epoch milliseconds (UTC)
);
CREATE INDEX feedback_conversation ON feedback(conversation_id, created_at);
CREATE INDEX feedback_site_time ON feedback(site_id, created_at);
