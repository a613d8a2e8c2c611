-- Credit notes: money given back on a paid invoice (a refund, whole or part), numbered from their
-- own gapless counter per issuer and year, moved inside the transaction that writes the note, so a
-- rolled-back refund leaves no gap. The notes of one invoice never credit more than its total (the
-- issuing transaction locks the invoice's row and checks). Money in minor units beside its currency.
CREATE TABLE IF NOT EXISTS credit_note_counters (
    issuer      TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (issuer, year)
);

CREATE TABLE IF NOT EXISTS credit_notes (
    id              TEXT    NOT NULL PRIMARY KEY,
    invoice_id      TEXT    NOT NULL REFERENCES invoices (id),
    shop_id         TEXT    NOT NULL,
    customer_id     TEXT    NOT NULL,
    issuer          TEXT    NOT NULL,
    year            INTEGER NOT NULL,
    seq_number      INTEGER NOT NULL,
    number          TEXT    NOT NULL,
    currency        TEXT    NOT NULL,
    subtotal_minor  INTEGER NOT NULL CHECK (subtotal_minor >= 0),
    vat_minor       INTEGER NOT NULL CHECK (vat_minor >= 0),
    total_minor     INTEGER NOT NULL CHECK (total_minor > 0),
    idempotency_key TEXT    NULL,           -- the admin's Idempotency-Key: a retry finds the note it issued
    request_hash    TEXT    NULL,
    issued_at_ms    INTEGER NOT NULL,
    document_json   TEXT    NOT NULL,       -- everything the renderings need, frozen at issue
    CONSTRAINT ux_credit_notes_number UNIQUE (issuer, year, seq_number)
);
CREATE INDEX IF NOT EXISTS ix_credit_notes_invoice ON credit_notes (invoice_id, issued_at_ms);
CREATE UNIQUE INDEX IF NOT EXISTS ux_credit_notes_idempotency ON credit_notes (invoice_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- The money a credit note gives back: through the provider that took the invoice's payment (written
-- pending before the provider is asked, under a key derived from the note, so a retry never refunds
-- twice), or by hand when the invoice was paid by transfer (manual: nothing to ask).
CREATE TABLE IF NOT EXISTS refunds (
    credit_note_id TEXT   NOT NULL PRIMARY KEY REFERENCES credit_notes (id),
    invoice_id     TEXT   NOT NULL,
    method         TEXT   NOT NULL CHECK (method IN ('provider', 'manual')),
    provider       TEXT   NULL,
    payment_ref    TEXT   NULL,             -- the provider's payment (PaymentIntent) refunded
    refund_ref     TEXT   NULL,             -- the provider's refund (re_…)
    amount_minor   INTEGERNOT NULL CHECK (amount_minor > 0),
    currency       TEXT   NOT NULL,
    status         TEXT   NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'manual')),
    failure_code   TEXT   NULL,
    created_at_ms  INTEGERNOT NULL,
    updated_at_ms  INTEGERNOT NULL
);
CREATE INDEX IF NOT EXISTS ix_refunds_pending ON refunds (updated_at_ms) WHERE status = 'pending';
