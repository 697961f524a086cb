-- The daily announcement ledger: exactly one post per guild, strike and local date.
--
-- A row is written (status 'claimed') before the message is sent and completed with the
-- message id after ('posted'). A send that failed for good is 'failed' with the reason:
-- kept for the record, but no longer holding the day, so a later attempt can post.
-- Moderators' forced re-posts are rows with forced = 1, outside the once-a-day rule.
-- A claim left 'claimed' by a crash keeps holding its day: a missed post can be made
-- with /announce now force, a duplicate cannot be unposted.
-- Times are UTC ISO 8601 text; local_date is the ISO date in the guild's time zone.
CREATE TABLE announcement_ledger (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    strike_id   TEXT    NOT NULL CHECK (length(strike_id) > 0),
    local_date  TEXT    NOT NULL CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    kind        TEXT    NOT NULL DEFAULT 'daily' CHECK (kind IN ('daily', 'final')),
    status      TEXT    NOT NULL DEFAULT 'claimed'
                CHECK (status IN ('claimed', 'posted', 'failed')),
    channel_id  INTEGER NOT NULL,
    claimed_at  TEXT    NOT NULL,
    posted_at   TEXT,
    released_at TEXT,
    message_id  INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    failure     TEXT,                          -- last send error, or the release reason
    forced      INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1)),
    forced_by   INTEGER,                       -- Discord user id of the moderator
    CHECK ((status = 'posted') = (message_id IS NOT NULL AND posted_at IS NOT NULL)),
    CHECK ((status = 'failed') = (released_at IS NOT NULL)),
    CHECK (forced = 1 OR forced_by IS NULL)
);

-- The once-a-day rule: at most one live (claimed or posted) non-forced row per key.
CREATE UNIQUE INDEX announcement_ledger_once
    ON announcement_ledger (guild_id, strike_id, local_date)
    WHERE forced = 0 AND status IN ('claimed', 'posted');

CREATE INDEX announcement_ledger_by_date ON announcement_ledger (local_date);
CREATE INDEX announcement_ledger_by_guild
    ON announcement_ledger (guild_id, strike_id, status, local_date);
