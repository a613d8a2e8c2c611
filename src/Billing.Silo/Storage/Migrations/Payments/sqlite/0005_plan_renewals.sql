-- A recurring plan's renewal: one row per customer, for the period its subscription runs now.
-- Written when a recurring plan is granted for a payment (a purchase, or a renewal before it);
-- the customer's renewal grain's reminder charges the default saved method at period_end_ms,
-- and retries a failed charge on the dunning days. A renewal that succeeds moves the row to the
-- next period; one that fails on every retry lapses; the customer can turn renewal off.
CREATE TABLE IF NOT EXISTS plan_renewals (
    customer_id        TEXT    NOT NULL PRIMARY KEY,
    plan_id            TEXT    NOT NULL,
    period_end_ms      INTEGER NOT NULL,          -- the end of the period the next renewal continues
    status             TEXT    NOT NULL CHECK (status IN ('scheduled', 'lapsed', 'cancelled')),
    attempts           INTEGER NOT NULL CHECK (attempts >= 0),
    ended_reason       TEXT    NULL,              -- lapsed or cancelled: why (retries_exhausted, customer, plan_changed, plan_not_recurring)
    first_failed_at_ms INTEGER NULL,
    next_attempt_at_ms INTEGER NOT NULL,
    updated_at_ms      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_plan_renewals_due ON plan_renewals (next_attempt_at_ms) WHERE status = 'scheduled';
