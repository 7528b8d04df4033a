-- PostgreSQL twin of db/migration/V5__notes.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- Private notes: agents only, never in the visitor's message stream, so they take no seq.
CREATE TABLE notes (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    author_id        TEXT NOT NULL REFERENCES agents(id),
    author_name      TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX notes_conversation ON notes(conversation_id, created_at);
