-- FAQ entries of a team, and an entry's translation (issue 7): the same answer in the other
-- language. Both entries of a pair name each other; FaqService keeps the pair in step (a link
-- made or broken is a new version of both). No foreign keys: an entry's history outlives it.
ALTER TABLE faq_entries ADD COLUMN team_id TEXT;
ALTER TABLE faq_entries ADD COLUMN translation_id TEXT;
CREATE INDEX faq_entries_by_team ON faq_entries(team_id);
