-- PostgreSQL twin of db/migration/V18__attachments.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- Images sent in a conversation (png, jpeg, gif, webp; type found from the bytes, size capped by
-- the server). Served only to the conversation's visitor and the agents entitled to it.
CREATE TABLE attachments (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    message_id       TEXT NOT NULL REFERENCES messages(id),
    content_type     TEXT NOT NULL,
    size             BIGINT NOT NULL,
    data             BYTEA NOT NULL,
    created_at       BIGINT NOT NULL           -- epoch milliseconds (UTC)
);
CREATE INDEX attachments_conversation ON attachments(conversation_id);
