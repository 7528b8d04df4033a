-- 1: the visitor sounded angry or distressed, or the bot failed them repeatedly; served first.
ALTER TABLE conversations ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
DROP INDEX conversations_queue;
CREATE INDEX conversations_queue ON conversations(priority DESC, waiting_since, id) WHERE state = 'QUEUED';
