-- V56's index, keyed by the conversation alone. With last_seq in its key, every message in a
-- conversation with the bot moved the conversation's entry (a delete and an insert on a page of its
-- own in each commit): one more page per question and per answer in the WAL and at each checkpoint
-- (docs/benchmarks.md, scenario d). The start-up sweep reads last_seq from the row it finds.
DROP INDEX conversations_bot;
CREATE INDEX conversations_bot ON conversations(id) WHERE state = 'BOT';
