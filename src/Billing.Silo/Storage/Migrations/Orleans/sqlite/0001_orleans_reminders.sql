-- Orleans' reminder table (IReminderTable: SqliteReminderTable), one row per service, grain and
-- reminder name. service_id is ClusterOptions.ServiceId: services sharing one file never see each
-- other's reminders. Times are Unix milliseconds, UTC.
CREATE TABLE IF NOT EXISTS orleans_reminders (
    service_id    TEXT    NOT NULL,
    grain_id      TEXT    NOT NULL,  -- GrainId.ToString(), read back with GrainId.Parse
    reminder_name TEXT    NOT NULL,
    grain_hash    INTEGER NOT NULL CHECK (grain_hash BETWEEN 0 AND 4294967295), -- GrainId.GetUniformHashCode(), unsigned
    start_at_ms   INTEGER NOT NULL,  -- the first tick; later ticks are start_at_ms + k * period_ms
    period_ms     INTEGER NOT NULL CHECK (period_ms >= 0),
    version       INTEGER NOT NULL CHECK (version > 0), -- the ETag, drawn from orleans_reminder_versions
    PRIMARY KEY (service_id, grain_id, reminder_name)
) WITHOUT ROWID;

-- Each silo reads its share of the hash ring: (begin, end] ranges of grain_hash.
CREATE INDEX IF NOT EXISTS ix_orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);

-- The last ETag handed out per service. A per-row version would restart at 1 when a reminder is
-- removed and registered again, and a stale handle's RemoveRow would then delete the new reminder.
CREATE TABLE IF NOT EXISTS orleans_reminder_versions (
    service_id   TEXT    NOT NULL PRIMARY KEY,
    last_version INTEGER NOT NULL CHECK (last_version > 0)
) WITHOUT ROWID;
