-- Test clocks (as in Stripe): a clock frozen at an instant, advanced by an operator; the customers
-- created on it live in its time. `frozen_at_ms` is the clock's now; while an advance runs,
-- `advancing_to_ms` is where it goes and `frozen_at_ms` the last event it reached.
CREATE TABLE IF NOT EXISTS test_clocks (
    id              TEXT    NOT NULL PRIMARY KEY,
    name            TEXT    NOT NULL,
    frozen_at_ms    INTEGER  NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('ready', 'advancing')),
    advancing_to_ms INTEGER  NULL,
    created_at_ms   INTEGER  NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_test_clocks_created ON test_clocks (created_at_ms, id);

-- The clock a customer lives on (null: real time). Runs and analytics leave such customers out.
ALTER TABLE customers ADD COLUMN test_clock_id TEXT NULL REFERENCES test_clocks (id);
CREATE INDEX IF NOT EXISTS ix_customers_test_clock ON customers (test_clock_id) WHERE test_clock_id IS NOT NULL;
