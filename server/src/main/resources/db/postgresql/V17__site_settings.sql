-- PostgreSQL twin of db/migration/V17__site_settings.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- What a site's widget looks like and asks (docs/admin.md, "Site settings"): one JSON document per
-- site, validated by SiteSettings before it is stored; a site without a row uses the defaults.
CREATE TABLE site_settings (
    site_id     TEXT PRIMARY KEY REFERENCES sites(id),
    settings    TEXT NOT NULL,                 -- JSON object
    updated_at  BIGINT NOT NULL,              -- epoch milliseconds (UTC)
    updated_by  TEXT REFERENCES agents(id)
);
