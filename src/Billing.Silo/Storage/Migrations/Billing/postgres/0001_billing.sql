-- Billing: price plans, each shop's billing terms, its periods, the invoices issued for them, the
-- gapless number counters, billing runs and their dead letters, and alerts. Money is an integer
-- count of minor units beside its currency; local dates are ISO text (yyyy-MM-dd) in the
-- customer's zone, with the instants they resolve to in Unix milliseconds.

CREATE TABLE IF NOT EXISTS price_plans (
    id            TEXT   NOT NULL PRIMARY KEY,
    name          TEXT   NOT NULL,
    currency      TEXT   NOT NULL,
    charges_json  TEXT   NOT NULL,           -- the plan's charges as the admin API takes them
    created_at_ms BIGINT NOT NULL
);

-- A shop's terms. No row: the default price plan, a monthly cycle and one seat.
CREATE TABLE IF NOT EXISTS shop_billing (
    shop_id               TEXT    NOT NULL PRIMARY KEY,
    price_plan_id         TEXT    NULL REFERENCES price_plans (id),
    cycle                 TEXT    NOT NULL,
    seats                 INTEGER NOT NULL CHECK (seats >= 0),
    next_price_plan_id    TEXT    NULL REFERENCES price_plans (id),  -- a downgrade, effective at the period end
    next_seats            INTEGER NULL,
    updated_at_ms         BIGINT  NOT NULL
);

CREATE TABLE IF NOT EXISTS billing_periods (
    shop_id             TEXT    NOT NULL,
    period_start        TEXT    NOT NULL,
    period_end          TEXT    NOT NULL,    -- exclusive
    cycle               TEXT    NOT NULL,
    zone                TEXT    NOT NULL,
    start_ms            BIGINT  NOT NULL,
    end_ms              BIGINT  NOT NULL,
    is_current          BOOLEAN NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('pending', 'paid', 'overdue', 'waived')),
    price_plan_id       TEXT    NULL,        -- the plan and seats the period started with: its fixed charges
    seats               INTEGER NOT NULL,
    closed_at_ms        BIGINT  NULL,
    usage_watermark_seq BIGINT  NULL,        -- the customer's last usage seq this period's invoice saw
    requests            BIGINT  NULL,        -- totals frozen at close
    tokens              BIGINT  NULL,
    errors              BIGINT  NULL,
    invoice_id          TEXT    NULL,
    due_date            TEXT    NULL,
    paid_at_ms          BIGINT  NULL,
    waived_reason       TEXT    NULL,
    PRIMARY KEY (shop_id, period_start)
);
-- A shop has exactly one open period.
CREATE UNIQUE INDEX IF NOT EXISTS ux_billing_periods_current ON billing_periods (shop_id) WHERE is_current = TRUE;
CREATE INDEX IF NOT EXISTS ix_billing_periods_open_end ON billing_periods (end_ms) WHERE is_current = TRUE;

-- Credits and charges decided between invoices (proration of a mid-period upgrade), billed on the
-- shop's next invoice.
CREATE TABLE IF NOT EXISTS pending_invoice_lines (
    id                TEXT   NOT NULL PRIMARY KEY,
    shop_id           TEXT   NOT NULL,
    service           TEXT   NOT NULL,
    quantity          TEXT   NOT NULL,      -- decimal text, exact
    unit_price        TEXT   NOT NULL,
    amount_minor      BIGINT NOT NULL,
    currency          TEXT   NOT NULL,
    created_at_ms     BIGINT NOT NULL,
    billed_invoice_id TEXT   NULL
);
CREATE INDEX IF NOT EXISTS ix_pending_invoice_lines_shop ON pending_invoice_lines (shop_id) WHERE billed_invoice_id IS NULL;

CREATE TABLE IF NOT EXISTS invoice_counters (
    issuer      TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    last_number BIGINT  NOT NULL,
    PRIMARY KEY (issuer, year)
);

CREATE TABLE IF NOT EXISTS invoices (
    id             TEXT    NOT NULL PRIMARY KEY,
    shop_id        TEXT    NOT NULL,
    customer_id    TEXT    NOT NULL,
    period_start   TEXT    NOT NULL,
    issuer         TEXT    NOT NULL,
    year           INTEGER NOT NULL,
    seq_number     BIGINT  NOT NULL,
    number         TEXT    NOT NULL,
    currency       TEXT    NOT NULL,
    subtotal_minor BIGINT  NOT NULL,
    vat_minor      BIGINT  NOT NULL,
    total_minor    BIGINT  NOT NULL,
    issued_at_ms   BIGINT  NOT NULL,
    document_json  TEXT    NOT NULL,       -- everything the renderings need, frozen at issue
    -- Exactly one invoice per shop and period, whatever retries, reruns and crashes happen.
    CONSTRAINT ux_invoices_shop_period UNIQUE (shop_id, period_start),
    CONSTRAINT ux_invoices_number UNIQUE (issuer, year, seq_number)
);

CREATE TABLE IF NOT EXISTS billing_runs (
    id             TEXT    NOT NULL PRIMARY KEY,
    trigger_kind   TEXT    NOT NULL,
    period         TEXT    NOT NULL,
    dry_run        BOOLEAN NOT NULL,
    status         TEXT    NOT NULL,
    started_at_ms  BIGINT  NOT NULL,
    finished_at_ms BIGINT  NULL,
    summary_json   TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_billing_runs_started ON billing_runs (started_at_ms);

CREATE TABLE IF NOT EXISTS billing_dead_letters (
    run_id       TEXT    NOT NULL,
    shop_id      TEXT    NOT NULL,
    period       TEXT    NOT NULL,
    error        TEXT    NOT NULL,
    attempts     INTEGER NOT NULL,
    failed_at_ms BIGINT  NOT NULL,
    PRIMARY KEY (run_id, shop_id)
);
CREATE INDEX IF NOT EXISTS ix_billing_dead_letters_failed ON billing_dead_letters (failed_at_ms);

-- One alert per threshold, subject and period, raised once whatever restarts happen.
CREATE TABLE IF NOT EXISTS alerts (
    id           TEXT   NOT NULL PRIMARY KEY,
    kind         TEXT   NOT NULL,
    subject      TEXT   NOT NULL,
    period_key   TEXT   NOT NULL,
    threshold    TEXT   NOT NULL,
    observed     TEXT   NOT NULL,
    message      TEXT   NOT NULL,
    raised_at_ms BIGINT NOT NULL,
    CONSTRAINT ux_alerts_once UNIQUE (kind, subject, period_key)
);
CREATE INDEX IF NOT EXISTS ix_alerts_raised ON alerts (raised_at_ms);
