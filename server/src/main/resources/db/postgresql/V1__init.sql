-- PostgreSQL twin of db/migration/V1__init.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- Sodam schema v1. Times are epoch milliseconds (UTC).
CREATE TABLE sites (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    allowed_origins TEXT NOT NULL              -- JSON array of origins; "self" = the server's own origin
);

CREATE TABLE visitors (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL REFERENCES sites(id),
    token_hash  TEXT NOT NULL UNIQUE,          -- SHA-256 of the visitor token; the token itself is never stored
    name        TEXT NOT NULL,
    locale      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE agents (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
    password_hash  TEXT NOT NULL,              -- argon2id encoded hash
    created_at     BIGINT NOT NULL
);

CREATE TABLE auth_tokens (
    token_hash  TEXT PRIMARY KEY,              -- SHA-256 of the bearer token
    agent_id    TEXT NOT NULL REFERENCES agents(id),
    expires_at  BIGINT NOT NULL
);

CREATE TABLE conversations (
    id             TEXT PRIMARY KEY,
    site_id        TEXT NOT NULL REFERENCES sites(id),
    visitor_id     TEXT NOT NULL REFERENCES visitors(id),
    locale         TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('BOT', 'QUEUED', 'ASSIGNED', 'RESOLVED')),
    agent_id       TEXT REFERENCES agents(id),
    last_seq       BIGINT NOT NULL DEFAULT 0,
    preview        TEXT NOT NULL DEFAULT '',
    waiting_since  BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX conversations_visitor_open ON conversations(visitor_id) WHERE state <> 'RESOLVED';
CREATE INDEX conversations_queue ON conversations(waiting_since, id) WHERE state = 'QUEUED';
CREATE INDEX conversations_agent ON conversations(agent_id) WHERE state = 'ASSIGNED';

CREATE TABLE messages (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    seq              BIGINT NOT NULL,
    client_msg_id    TEXT,
    from_kind        TEXT NOT NULL,
    from_id          TEXT NOT NULL,
    from_name        TEXT NOT NULL,
    body             TEXT NOT NULL,
    extras           TEXT,                     -- JSON {"suggestions":[…],"actions":[…]} or NULL
    created_at       BIGINT NOT NULL,
    UNIQUE (conversation_id, seq),
    UNIQUE (conversation_id, client_msg_id)
);

CREATE TABLE faq_entries (
    id           TEXT PRIMARY KEY,
    locale       TEXT NOT NULL,
    question     TEXT NOT NULL,
    paraphrases  TEXT NOT NULL,                -- JSON array
    answer       TEXT NOT NULL,
    tags         TEXT NOT NULL,                -- JSON array
    updated_at   BIGINT NOT NULL
);
