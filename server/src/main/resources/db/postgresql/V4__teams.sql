-- PostgreSQL twin of db/migration/V4__teams.sql (kept in step by MigrationParityTest): BIGINT for INTEGER,
-- DOUBLE PRECISION for REAL, BYTEA for BLOB, identity columns for AUTOINCREMENT; flags stay 0/1 integers.
-- Teams: who serves which topics, and when.
CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name_ko     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    all_agents  BIGINT NOT NULL DEFAULT 0,   -- 1: every agent is a member, including future ones
    hours       TEXT                          -- business hours as JSON (see BusinessHours), NULL = always open
);

CREATE TABLE team_members (
    team_id   TEXT NOT NULL REFERENCES teams(id),
    agent_id  TEXT NOT NULL REFERENCES agents(id),
    PRIMARY KEY (team_id, agent_id)
);

-- FAQ tags (topics) that a team serves: a handoff about a topic goes to its team.
CREATE TABLE team_tags (
    tag      TEXT PRIMARY KEY,
    team_id  TEXT NOT NULL REFERENCES teams(id)
);

ALTER TABLE conversations ADD COLUMN team_id TEXT REFERENCES teams(id);
-- The topic (FAQ tag) of the bot's last answer, so a handoff from the button knows its team.
ALTER TABLE conversations ADD COLUMN topic TEXT;
