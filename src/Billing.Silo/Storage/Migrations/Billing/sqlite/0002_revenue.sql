-- Revenue attributed to the service (seed 002), billed by revenue-share plans. One row per shop and
-- order: a resend of an order is the same sale. seq orders the rows as they were recorded, so a
-- close can claim exactly the rows it priced. Flags only ever gain bits (a refund reported after
-- the sale), and only until an invoice has billed the row (billed_invoice_id).
CREATE TABLE IF NOT EXISTS revenue_events (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id           TEXT    NOT NULL,
    order_id          TEXT    NOT NULL,
    amount_minor      INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency          TEXT    NOT NULL,
    occurred_at_ms    INTEGER NOT NULL,
    fingerprint       TEXT    NULL,
    flags             INTEGER NOT NULL CHECK (flags >= 0),
    recorded_at_ms    INTEGER NOT NULL,
    billed_invoice_id TEXT    NULL,
    CONSTRAINT ux_revenue_events_order UNIQUE (shop_id, order_id)
);
CREATE INDEX IF NOT EXISTS ix_revenue_events_unbilled ON revenue_events (shop_id, occurred_at_ms) WHERE billed_invoice_id IS NULL;

-- Payment metadata of a paid period: the admin's reference (bank transfer id, receipt number).
ALTER TABLE billing_periods ADD COLUMN payment_reference TEXT NULL;
CREATE INDEX IF NOT EXISTS ix_billing_periods_invoice ON billing_periods (invoice_id) WHERE invoice_id IS NOT NULL;
