-- Integrations (docs/integrations.md): API keys, outbound webhooks with a durable outbox, channel threads.

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,             -- ak_…, the public part of the key (sodam_<id>_<secret>)
    site_id       TEXT NOT NULL REFERENCES sites(id),
    name          TEXT NOT NULL,
    scopes        TEXT NOT NULL,                -- JSON array: "read", "write"
    channel       TEXT,                         -- set for a channel adapter's key: it may only post to that channel
    secret_hash   TEXT NOT NULL,                -- SHA-256 of the whole key; the key is shown once, never stored
    created_at    INTEGER NOT NULL,
    created_by    TEXT REFERENCES agents(id),
    revoked_at    INTEGER
);
CREATE INDEX api_keys_site ON api_keys(site_id);

CREATE TABLE webhooks (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL REFERENCES sites(id),
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,                  -- HMAC-SHA256 signing secret (needed in clear to sign)
    events      TEXT NOT NULL,                  -- JSON array of event types
    channel     TEXT,                           -- set when this webhook carries a channel's replies
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL
);
CREATE INDEX webhooks_site ON webhooks(site_id);

-- Written in the same transaction as the change it reports, so an event is never lost or invented.
CREATE TABLE webhook_outbox (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,   -- commit order; deliveries per conversation follow it
    event_id         TEXT NOT NULL,
    webhook_id       TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_type       TEXT NOT NULL,
    conversation_id  TEXT,
    payload          TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    delivered_at     INTEGER,
    last_status      INTEGER,
    last_error       TEXT,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(status, next_attempt_at);
CREATE INDEX webhook_outbox_conversation ON webhook_outbox(webhook_id, conversation_id, status);

CREATE TABLE webhook_attempts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_seq    INTEGER NOT NULL REFERENCES webhook_outbox(seq) ON DELETE CASCADE,
    attempted_at  INTEGER NOT NULL,
    status_code   INTEGER,
    error         TEXT,
    duration_ms   INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_outbox ON webhook_attempts(outbox_seq);

-- A conversation of an external messenger: the channel's own id for the chat, and the visitor standing for it.
CREATE TABLE channel_threads (
    site_id      TEXT NOT NULL REFERENCES sites(id),
    channel      TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    visitor_id   TEXT NOT NULL UNIQUE REFERENCES visitors(id),
    PRIMARY KEY (site_id, channel, external_id)
);
