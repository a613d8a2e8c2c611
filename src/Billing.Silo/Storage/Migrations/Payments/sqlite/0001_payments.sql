-- A payment: money asked of a customer for one purpose (today: buying a plan). The provider moves
-- the money; this row is what we know of it. A purchase's grant is written by the customer's
-- subscription grain with grant_id = payment_id, so token_grants' primary key lets a payment grant
-- its tokens once, and that row is the durable fact that it did. granted_at_ms is bookkeeping for
-- the sweeper that grants what a crash left succeeded but ungranted.
CREATE TABLE IF NOT EXISTS payments (
    payment_id      TEXT    NOT NULL PRIMARY KEY,
    customer_id     TEXT   NOT NULL,
    purpose         TEXT   NOT NULL CHECK (purpose IN ('plan_purchase')),
    plan_id         TEXT   NULL,
    amount_minor    INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency        TEXT   NOT NULL,
    status          TEXT   NOT NULL CHECK (status IN ('pending', 'requires_action', 'succeeded', 'failed')),
    provider        TEXT   NOT NULL,
    provider_ref    TEXT   NULL,
    failure_code    TEXT   NULL,
    decline_code    TEXT   NULL,
    card_brand      TEXT   NULL,
    card_last4      TEXT   NULL,
    idempotency_key TEXT   NULL,
    request_hash    TEXT   NULL,
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    granted_at_ms   INTEGER NULL
);
-- One payment per customer and Idempotency-Key: a retried purchase finds the payment it started.
CREATE UNIQUE INDEX IF NOT EXISTS ux_payments_idempotency ON payments (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_payments_customer ON payments (customer_id, created_at_ms DESC, payment_id DESC);
CREATE INDEX IF NOT EXISTS ix_payments_ungranted ON payments (updated_at_ms) WHERE status = 'succeeded' AND granted_at_ms IS NULL;
