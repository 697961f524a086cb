-- StrikeBot schema, version 1.
--
-- Relational on purpose: a fact revision is a row, its lists are child rows ordered by
-- `position`, so history, revert and export are queries rather than JSON surgery.
-- Times are UTC ISO 8601 text (datetime.isoformat() of an aware UTC value), which sorts
-- in time order. Discord ids (snowflakes) fit SQLite's 64-bit INTEGER.

-- Moderators' changes to facts, append-only. Each row holds the full resulting state
-- of the fact, so the newest row of a fact is its effective state and any older row
-- can be restored verbatim. Action 'base' records the YAML state before the first
-- moderator change, so history and revert reach back to the committed text.
CREATE TABLE fact_revisions (
    id          INTEGER PRIMARY KEY,
    fact_id     TEXT    NOT NULL CHECK (length(fact_id) > 0),
    number      INTEGER NOT NULL CHECK (number >= 1),
    action      TEXT    NOT NULL
                CHECK (action IN ('base', 'add', 'edit', 'retire', 'restore', 'revert')),
    actor_id    INTEGER,                       -- NULL: not a Discord user (console, YAML)
    actor_name  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    reason      TEXT,                          -- the moderator's comment, if any
    reverted_to INTEGER CHECK (reverted_to IS NULL OR reverted_to >= 1),
    answer      TEXT    NOT NULL CHECK (length(answer) > 0),
    as_of       TEXT    NOT NULL,              -- ISO date
    retired     TEXT,                          -- retirement reason; NULL while active
    UNIQUE (fact_id, number),
    CHECK ((action = 'revert') = (reverted_to IS NOT NULL))
);
CREATE INDEX fact_revisions_created_at ON fact_revisions (created_at);

CREATE TABLE fact_revision_questions (
    revision_id INTEGER NOT NULL REFERENCES fact_revisions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    text        TEXT    NOT NULL CHECK (length(text) > 0),
    PRIMARY KEY (revision_id, position)
) WITHOUT ROWID;

CREATE TABLE fact_revision_citations (
    revision_id INTEGER NOT NULL REFERENCES fact_revisions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    source_id   TEXT    NOT NULL CHECK (length(source_id) > 0),
    quote       TEXT    NOT NULL CHECK (length(quote) > 0),
    PRIMARY KEY (revision_id, position)
) WITHOUT ROWID;

CREATE TABLE fact_revision_tags (
    revision_id INTEGER NOT NULL REFERENCES fact_revisions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    tag         TEXT    NOT NULL CHECK (length(tag) > 0),
    PRIMARY KEY (revision_id, position)
) WITHOUT ROWID;

CREATE TABLE fact_revision_supersedes (
    revision_id        INTEGER NOT NULL REFERENCES fact_revisions (id) ON DELETE CASCADE,
    position           INTEGER NOT NULL CHECK (position >= 0),
    superseded_fact_id TEXT    NOT NULL CHECK (length(superseded_fact_id) > 0),
    PRIMARY KEY (revision_id, position)
) WITHOUT ROWID;

CREATE TABLE fact_revision_strikes (
    revision_id INTEGER NOT NULL REFERENCES fact_revisions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    strike_id   TEXT    NOT NULL CHECK (length(strike_id) > 0),
    PRIMARY KEY (revision_id, position)
) WITHOUT ROWID;

-- Articles moderators added with /source add; every Source field has a column.
CREATE TABLE moderator_sources (
    id                 TEXT    PRIMARY KEY CHECK (length(id) > 0),
    text               TEXT    NOT NULL CHECK (length(text) > 0),
    outlet             TEXT,
    headline           TEXT,
    description        TEXT,
    published          TEXT,                   -- ISO date
    published_inferred INTEGER NOT NULL DEFAULT 0 CHECK (published_inferred IN (0, 1)),
    published_note     TEXT,
    url                TEXT,
    added_by_id        INTEGER,
    added_by_name      TEXT    NOT NULL,
    added_at           TEXT    NOT NULL
);

CREATE TABLE moderator_source_authors (
    source_id TEXT    NOT NULL REFERENCES moderator_sources (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL CHECK (position >= 0),
    name      TEXT    NOT NULL CHECK (length(name) > 0),
    PRIMARY KEY (source_id, position)
) WITHOUT ROWID;

-- End dates set with /strike end; the latest one per strike (the audit log keeps the rest).
CREATE TABLE strike_overrides (
    strike_id   TEXT    PRIMARY KEY CHECK (length(strike_id) > 0),
    end_date    TEXT    NOT NULL,              -- ISO date
    set_by_id   INTEGER,
    set_by_name TEXT    NOT NULL,
    set_at      TEXT    NOT NULL
);

-- Who did what, when: every moderator change and forced announcement.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT    NOT NULL,
    guild_id   INTEGER,                        -- NULL: not guild-specific (console, fact base)
    actor_id   INTEGER,
    actor_name TEXT    NOT NULL,
    action     TEXT    NOT NULL CHECK (length(action) > 0),
    target     TEXT    NOT NULL DEFAULT '',
    details    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_target ON audit_log (target, at);
CREATE INDEX audit_log_guild ON audit_log (guild_id, at);

-- Per-guild settings; a guild without a row uses the defaults in guild_settings.py.
CREATE TABLE guild_settings (
    guild_id              INTEGER PRIMARY KEY,
    announce_channel_id   INTEGER,
    post_time             TEXT    NOT NULL DEFAULT '09:00'
                          CHECK (post_time GLOB '[0-2][0-9]:[0-5][0-9]' AND post_time < '24:00'),
    timezone              TEXT    NOT NULL DEFAULT 'America/Los_Angeles'
                          CHECK (length(timezone) > 0),
    moderator_role_id     INTEGER,
    announcements_enabled INTEGER NOT NULL DEFAULT 1 CHECK (announcements_enabled IN (0, 1)),
    updated_at            TEXT    NOT NULL
);

-- Channels where the bot answers questions; none configured means every channel.
CREATE TABLE ask_channels (
    guild_id   INTEGER NOT NULL REFERENCES guild_settings (guild_id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
) WITHOUT ROWID;

-- Strikes a guild follows; none configured means every strike in the fact base.
CREATE TABLE guild_strikes (
    guild_id  INTEGER NOT NULL REFERENCES guild_settings (guild_id) ON DELETE CASCADE,
    position  INTEGER NOT NULL CHECK (position >= 0),
    strike_id TEXT    NOT NULL CHECK (length(strike_id) > 0),
    PRIMARY KEY (guild_id, strike_id)
) WITHOUT ROWID;

-- Helpful / not helpful votes on an answer message. One vote per voter per answer;
-- voting again replaces the vote. `voter_key` is sha256("<message_id>:<user_id>"), not
-- the user id: enough to keep one vote each, without a column that lists a member's
-- votes across answers.
CREATE TABLE answer_votes (
    message_id INTEGER NOT NULL,
    voter_key  TEXT    NOT NULL CHECK (length(voter_key) = 64),
    fact_id    TEXT,                           -- the fact answered with; NULL if none
    guild_id   INTEGER,
    helpful    INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    voted_at   TEXT    NOT NULL,
    PRIMARY KEY (message_id, voter_key)
) WITHOUT ROWID;
CREATE INDEX answer_votes_fact ON answer_votes (fact_id);

-- Questions the bot could not answer, for /facts gaps. Deliberately no user id.
CREATE TABLE unanswered_questions (
    id         INTEGER PRIMARY KEY,
    text       TEXT    NOT NULL CHECK (length(text) > 0),
    guild_id   INTEGER,
    channel_id INTEGER,
    asked_at   TEXT    NOT NULL
);
CREATE INDEX unanswered_questions_asked_at ON unanswered_questions (asked_at);
CREATE INDEX unanswered_questions_guild ON unanswered_questions (guild_id, asked_at);
