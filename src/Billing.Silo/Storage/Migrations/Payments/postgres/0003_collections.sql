-- Saved payment methods, invoice collection and dunning.
--
-- A payment now also pays an invoice (one row per collection attempt, keyed
-- billing:invoice:{invoice}:attempt:{n}) or renews a plan.
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_purpose_check;
ALTER TABLE payments ADD CONSTRAINT ck_payments_purpose CHECK (purpose IN ('plan_purchase', 'plan_renewal', 'invoice_collection'));
ALTER TABLE payments ADD COLUMN invoice_id TEXT NULL;
ALTER TABLE payments ADD COLUMN method_id UUID NULL;
-- Only purchases grant tokens: collections leave the sweep's index.
DROP INDEX IF EXISTS ix_payments_ungranted;
CREATE INDEX IF NOT EXISTS ix_payments_ungranted ON payments (updated_at_ms) WHERE status = 'succeeded' AND granted_at_ms IS NULL AND purpose = 'plan_purchase';
CREATE INDEX IF NOT EXISTS ix_payments_invoice ON payments (invoice_id) WHERE invoice_id IS NOT NULL;

-- The customer at the provider (Stripe: cus_…), created once and reused for every saved method.
CREATE TABLE IF NOT EXISTS payment_customers (
    customer_id   TEXT   NOT NULL,
    provider      TEXT   NOT NULL,
    provider_ref  TEXT   NOT NULL,
    created_at_ms BIGINT NOT NULL,
    PRIMARY KEY (customer_id, provider)
);

-- A method the provider keeps for the customer, charged off-session for invoices and renewals.
-- Card data is the brand, last 4 and expiry; a SEPA mandate is the IBAN's last 4 and the mandate's reference.
CREATE TABLE IF NOT EXISTS payment_methods (
    method_id     UUID    NOT NULL PRIMARY KEY,
    customer_id   TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('card', 'sepa_debit')),
    provider      TEXT    NOT NULL,
    provider_ref  TEXT    NOT NULL,           -- pm_…
    mandate_ref   TEXT    NULL,
    brand         TEXT    NULL,
    last4         TEXT    NOT NULL,
    exp_month     INTEGER NULL,
    exp_year      INTEGER NULL,
    is_default    BOOLEAN NOT NULL,
    created_at_ms BIGINT  NOT NULL,
    removed_at_ms BIGINT  NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_payment_methods_default ON payment_methods (customer_id) WHERE is_default AND removed_at_ms IS NULL;
CREATE INDEX IF NOT EXISTS ix_payment_methods_customer ON payment_methods (customer_id, created_at_ms);

-- An invoice charged to the customer's default method. Written in the transaction that issues
-- the invoice (when the customer has a default method), so a crash cannot lose it; the collection
-- grain's reminders then drive its attempts, and the sweep restarts any that is past due.
CREATE TABLE IF NOT EXISTS invoice_collections (
    invoice_id         TEXT    NOT NULL PRIMARY KEY,
    customer_id        TEXT    NOT NULL,
    shop_id            TEXT    NOT NULL,
    amount_minor       BIGINT  NOT NULL CHECK (amount_minor >= 0),
    currency           TEXT    NOT NULL,
    method_id          UUID    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('collecting', 'paid', 'suspended', 'settled')),
    attempts           INTEGER NOT NULL CHECK (attempts >= 0),
    first_failed_at_ms BIGINT  NULL,
    next_attempt_at_ms BIGINT  NULL,          -- while collecting: when the next attempt is due
    created_at_ms      BIGINT  NOT NULL,
    updated_at_ms      BIGINT  NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_invoice_collections_due ON invoice_collections (next_attempt_at_ms) WHERE status = 'collecting';
CREATE INDEX IF NOT EXISTS ix_invoice_collections_customer ON invoice_collections (customer_id);
