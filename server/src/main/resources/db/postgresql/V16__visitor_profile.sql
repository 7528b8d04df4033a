-- PostgreSQL twin of db/migration/V16__visitor_profile.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- What a site tells about its visitor with Sodam.identify(): e-mail, the site's own user id and
-- free attributes (a JSON object of strings). The name goes to visitors.name. All visitor-controlled
-- plain text: shown as text only.
ALTER TABLE visitors ADD COLUMN email TEXT;
ALTER TABLE visitors ADD COLUMN external_id TEXT;
ALTER TABLE visitors ADD COLUMN attributes TEXT;
