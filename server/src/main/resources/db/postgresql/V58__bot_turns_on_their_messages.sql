-- PostgreSQL twin of db/migration/V58 (kept in step by MigrationParityTest).
-- A bot turn (what the bot decided about one visitor message) moves onto that message's row. In its
-- own table each answered question wrote three more b-trees in its commit (the table, its
-- (conversation, seq) key and bot_turns_at): about two of every eleven pages a question and its
-- answer put in the WAL and later in the checkpoint (docs/benchmarks.md, scenario d), and the
-- question's text was stored twice. On the message the turn is one UPDATE of a row the same commit
-- has just written, and its text is the message's body. A partial index keeps the turns of a time
-- range (analytics, the gap report, threshold tuning) a range scan.
ALTER TABLE messages ADD COLUMN bot_decision TEXT CHECK (bot_decision IS NULL OR bot_decision IN ('answer', 'clarify', 'handoff'));
ALTER TABLE messages ADD COLUMN bot_reason TEXT CHECK (bot_reason IS NULL OR bot_reason IN ('requested', 'unsure'));
ALTER TABLE messages ADD COLUMN bot_intent TEXT;
ALTER TABLE messages ADD COLUMN bot_confidence DOUBLE PRECISION;
ALTER TABLE messages ADD COLUMN bot_faq_id TEXT;
ALTER TABLE messages ADD COLUMN bot_candidates TEXT;  -- JSON [{"faqId","question","score"}], best first

UPDATE messages SET bot_decision = t.decision, bot_reason = t.reason, bot_intent = t.intent,
       bot_confidence = t.confidence, bot_faq_id = t.faq_id, bot_candidates = t.candidates
  FROM bot_turns t
 WHERE t.conversation_id = messages.conversation_id AND t.seq = messages.seq;

DROP TABLE bot_turns;
CREATE INDEX messages_bot_turns ON messages(created_at) WHERE bot_decision IS NOT NULL;
