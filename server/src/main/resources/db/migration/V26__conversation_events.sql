-- What happened to each conversation and when (issue 7: analytics and the gap report), beside
-- the bot's own decisions in bot_turns (V10). A row is written in the same transaction as the
-- change it records. No foreign keys and no texts: the figures outlive transcripts that
-- retention deletes.
CREATE TABLE conversation_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id  TEXT NOT NULL,
    site_id          TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('started', 'handoff', 'assigned', 'requeued', 'transferred',
                                                   'resolved')),
    at               INTEGER NOT NULL,
    agent_id         TEXT,      -- assigned/transferred: the agent now serving; requeued: the one who left; resolved: who closed it
    team_id          TEXT,      -- the conversation's team at that moment
    reason           TEXT       -- handoff: visitor_asked | bot_detected_request | bot_unsure; resolved: agent | admin | idle
);
CREATE INDEX conversation_events_at ON conversation_events(at);
CREATE INDEX conversation_events_conversation ON conversation_events(conversation_id, id);
CREATE INDEX bot_turns_at ON bot_turns(created_at);

-- Conversations from before this table get their start, so counts over old ranges are right.
INSERT INTO conversation_events(conversation_id, site_id, kind, at)
    SELECT id, site_id, 'started', created_at FROM conversations;
