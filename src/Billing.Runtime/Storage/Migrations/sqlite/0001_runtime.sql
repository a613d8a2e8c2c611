-- The grain runtime's tables: versioned grain state and durable reminders.
CREATE TABLE IF NOT EXISTS grain_state (
    grain_type    TEXT    NOT NULL,
    grain_key     TEXT    NOT NULL,
    state_name    TEXT    NOT NULL,
    payload       TEXT    NULL,       -- JSON; NULL is the tombstone a clear leaves
    version       INTEGER NOT NULL,   -- only grows: the ETag of optimistic concurrency
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (grain_type, grain_key, state_name)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS reminders (
    grain_type       TEXT    NOT NULL,
    grain_key        TEXT    NOT NULL,
    reminder_name    TEXT    NOT NULL,
    period_ms        INTEGER NOT NULL, -- 0 for calendar schedules
    calendar         TEXT    NULL,     -- canonical CalendarSchedule text
    first_tick_ms    INTEGER NOT NULL,
    tick_due_ms      INTEGER NOT NULL, -- the due time of the pending tick, reported to the grain
    next_due_ms      INTEGER NOT NULL, -- when to deliver: the tick's due time, or a retry time after a failure
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    claimed_until_ms INTEGER NOT NULL DEFAULT 0,
    version          INTEGER NOT NULL,
    PRIMARY KEY (grain_type, grain_key, reminder_name)
);

-- The reminder service reads only the due head of this index: reminders that are not due cost nothing.
CREATE INDEX IF NOT EXISTS ix_reminders_next_due ON reminders (next_due_ms);
