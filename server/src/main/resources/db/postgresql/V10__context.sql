-- PostgreSQL twin of db/migration/V10__context.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- The agent's context packet (issue 5): what the bot decided for each visitor message it read,
-- and the pages the visitor's widget reported, so the packet can be rebuilt after a restart.
CREATE TABLE bot_turns (
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    seq              BIGINT NOT NULL,          -- the visitor message the bot read
    question         TEXT NOT NULL,             -- that message's text
    decision         TEXT NOT NULL CHECK (decision IN ('answer', 'clarify', 'handoff')),
    intent           TEXT,
    confidence       DOUBLE PRECISION NOT NULL,
    reason           TEXT CHECK (reason IS NULL OR reason IN ('requested', 'unsure')),  -- a handoff's
    faq_id           TEXT,                      -- the entry answered with, if any
    candidates       TEXT NOT NULL,             -- JSON [{"faqId","question","score"}], best first
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

CREATE TABLE visitor_pages (
    visitor_id  TEXT NOT NULL REFERENCES visitors(id),
    url         TEXT NOT NULL,                  -- origin and path only: no query, no fragment
    title       TEXT NOT NULL,
    seen_at     BIGINT NOT NULL
);
CREATE INDEX visitor_pages_recent ON visitor_pages(visitor_id, seen_at);
CREATE INDEX conversations_visitor ON conversations(visitor_id, created_at);
