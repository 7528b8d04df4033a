-- Images sent in a conversation (png, jpeg, gif, webp; type found from the bytes, size capped by
-- the server). Served only to the conversation's visitor and the agents entitled to it.
CREATE TABLE attachments (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    message_id       TEXT NOT NULL REFERENCES messages(id),
    content_type     TEXT NOT NULL,
    size             INTEGER NOT NULL,
    data             BLOB NOT NULL,
    created_at       INTEGER NOT NULL           -- epoch milliseconds (UTC)
);
CREATE INDEX attachments_conversation ON attachments(conversation_id);
