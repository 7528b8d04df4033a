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
    score            INTEGER NOT NULL,
    comment          TEXT,
    created_at       INTEGER NOT NULL              -- epoch milliseconds (UTC)
);
CREATE INDEX feedback_conversation ON feedback(conversation_id, created_at);
CREATE INDEX feedback_site_time ON feedback(site_id, created_at);
