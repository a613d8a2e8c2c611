-- Bank transfers received for invoices (seed 004), recorded by an operator or matched from an
-- uploaded statement. The bank's reference of the transfer (a statement line's id) is the key, so
-- the same transfer recorded twice is one row. Amounts are positive minor units in the invoice's
-- currency; value_date is the ISO date the bank credited the money.
CREATE TABLE IF NOT EXISTS bank_transfers (
    bank_reference TEXT   NOT NULL PRIMARY KEY,
    invoice_id     TEXT   NOT NULL,
    amount_minor   BIGINT NOT NULL CHECK (amount_minor > 0),
    currency       TEXT   NOT NULL,
    value_date     TEXT   NOT NULL,
    payer_name     TEXT   NULL,
    payer_iban     TEXT   NULL,
    source         TEXT   NOT NULL CHECK (source IN ('manual', 'statement')),
    recorded_at_ms BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_bank_transfers_invoice ON bank_transfers (invoice_id);

-- What an invoice has received so far: the sum of its transfers, moved in the transaction that
-- inserts one, by a conditional upsert that refuses to pass the invoice's total. The row is the
-- lock two concurrent transfers to one invoice queue on, in both dialects.
CREATE TABLE IF NOT EXISTS bank_transfer_totals (
    invoice_id     TEXT   NOT NULL PRIMARY KEY,
    received_minor BIGINT NOT NULL CHECK (received_minor > 0)
);

-- An RF reference names an invoice by its number's letters and digits (ISO 11649 allows nothing
-- else, see CreditorReference.FromInvoiceNumber); number formats may only add '-', '_', '/' and '.'
-- (InvoiceNumberFormat), so this expression is the reference's base and finds the invoice.
CREATE INDEX IF NOT EXISTS ix_invoices_reference_base
    ON invoices (UPPER(REPLACE(REPLACE(REPLACE(REPLACE(number, '-', ''), '_', ''), '/', ''), '.', '')));
