-- Saved payment methods, invoice collection and dunning.
--
-- A payment now also pays an invoice (one row per collection attempt, keyed
-- billing:invoice:{invoice}:attempt:{n}) or renews a plan. SQLite cannot change a CHECK in place,
-- so the table is rebuilt with its rows.
CREATE TABLE payments_next (
    payment_id      TEXT    NOT NULL PRIMARY KEY,
    customer_id     TEXT    NOT NULL,
    purpose         TEXT    NOT NULL CHECK (purpose IN ('plan_purchase', 'plan_renewal', 'invoice_collection')),
    plan_id         TEXT    NULL,
    amount_minor    INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency        TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'requires_action', 'succeeded', 'failed')),
    provider        TEXT    NOT NULL,
    provider_ref    TEXT    NULL,
    failure_code    TEXT    NULL,
    decline_code    TEXT    NULL,
    card_brand      TEXT    NULL,
    card_last4      TEXT    NULL,
    idempotency_key TEXT    NULL,
    request_hash    TEXT    NULL,
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    granted_at_ms   INTEGER NULL,
    invoice_id      TEXT    NULL,
    method_id       TEXT    NULL
);
INSERT INTO payments_next (payment_id, customer_id, purpose, plan_id, amount_minor, currency, status, provider, provider_ref, failure_code, decline_code,
                           card_brand, card_last4, idempotency_key, request_hash, created_at_ms, updated_at_ms, granted_at_ms)
SELECT payment_id, customer_id, purpose, plan_id, amount_minor, currency, status, provider, provider_ref, failure_code, decline_code,
       card_brand, card_last4, idempotency_key, request_hash, created_at_ms, updated_at_ms, granted_at_ms
FROM payments;
DROP TABLE payments;
ALTER TABLE payments_next RENAME TO payments;
CREATE UNIQUE INDEX IF NOT EXISTS ux_payments_idempotency ON payments (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_payments_customer ON payments (customer_id, created_at_ms DESC, payment_id DESC);
CREATE INDEX IF NOT EXISTS ix_payments_ungranted ON payments (updated_at_ms) WHERE status = 'succeeded' AND granted_at_ms IS NULL AND purpose = 'plan_purchase';
CREATE INDEX IF NOT EXISTS ix_payments_provider_ref ON payments (provider_ref) WHERE provider_ref IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_payments_invoice ON payments (invoice_id) WHERE invoice_id IS NOT NULL;

-- The customer at the provider (Stripe: cus_…), created once and reused for every saved method.
CREATE TABLE IF NOT EXISTS payment_customers (
    customer_id   TEXT   NOT NULL,
    provider      TEXT   NOT NULL,
    provider_ref  TEXT   NOT NULL,
    created_at_ms INTEGER NOT NULL,
    PRIMARY KEY (customer_id, provider)
);

-- A method the provider keeps for the customer, charged off-session for invoices and renewals.
-- Card data is the brand, last 4 and expiry; a SEPA mandate is the IBAN's last 4 and the mandate's reference.
CREATE TABLE IF NOT EXISTS payment_methods (
    method_id     TEXT    NOT NULL PRIMARY KEY,
    customer_id   TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('card', 'sepa_debit')),
    provider      TEXT    NOT NULL,
    provider_ref  TEXT    NOT NULL,           -- pm_…
    mandate_ref   TEXT    NULL,
    brand         TEXT    NULL,
    last4         TEXT    NOT NULL,
    exp_month     INTEGER NULL,
    exp_year      INTEGER NULL,
    is_default    INTEGER NOT NULL,
    created_at_ms INTEGER  NOT NULL,
    removed_at_ms INTEGER  NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_payment_methods_default ON payment_methods (customer_id) WHERE is_default = 1 AND removed_at_ms IS NULL;
CREATE INDEX IF NOT EXISTS ix_payment_methods_customer ON payment_methods (customer_id, created_at_ms);

-- An invoice charged to the customer's default method. Written in the transaction that issues
-- the invoice (when the customer has a default method), so a crash cannot lose it; the collection
-- grain's reminders then drive its attempts, and the sweep restarts any that is past due.
CREATE TABLE IF NOT EXISTS invoice_collections (
    invoice_id         TEXT    NOT NULL PRIMARY KEY,
    customer_id        TEXT    NOT NULL,
    shop_id            TEXT    NOT NULL,
    amount_minor       INTEGER  NOT NULL CHECK (amount_minor >= 0),
    currency           TEXT    NOT NULL,
    method_id          TEXT    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('collecting', 'paid', 'suspended', 'settled')),
    attempts           INTEGER NOT NULL CHECK (attempts >= 0),
    first_failed_at_ms INTEGER  NULL,
    next_attempt_at_ms INTEGER  NULL,          -- while collecting: when the next attempt is due
    created_at_ms      INTEGER  NOT NULL,
    updated_at_ms      INTEGER  NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_invoice_collections_due ON invoice_collections (next_attempt_at_ms) WHERE status = 'collecting';
CREATE INDEX IF NOT EXISTS ix_invoice_collections_customer ON invoice_collections (customer_id);
