-- The terms each shop has been on, for analytics (MRR and its movements at each month's end):
-- shop_billing keeps only the latest terms, and a period row only those it opened with, so a
-- mid-period upgrade left no trace of when it took effect. One row per change, a snapshot of
-- shop_billing's effective plan, seats and cycle, written in the transaction that makes the change:
-- an upgrade (effective at once) by the terms change, a scheduled downgrade by the close that
-- applies it (effective at the next period's start). Two changes in one millisecond: the last wins.
CREATE TABLE IF NOT EXISTS shop_terms_history (
    shop_id         TEXT    NOT NULL,
    effective_at_ms BIGINT  NOT NULL,
    price_plan_id   TEXT    NULL,             -- null: the default per-request plan, no fixed charge
    seats           INTEGER NOT NULL,
    cycle           TEXT    NOT NULL,
    recorded_at_ms  BIGINT  NOT NULL,
    PRIMARY KEY (shop_id, effective_at_ms)
);
-- (The MRR report reads it joined to shops, customer by customer: the primary key keeps each shop's
-- changes in order. No customer column: shops belong to the catalog, which migrates after billing.)

-- Revenue by month reads invoices and credit notes by when they were issued.
CREATE INDEX IF NOT EXISTS ix_invoices_issued ON invoices (issued_at_ms);
CREATE INDEX IF NOT EXISTS ix_credit_notes_issued ON credit_notes (issued_at_ms);

-- Shops that had terms before the history existed start it with their terms as last written.
INSERT INTO shop_terms_history (shop_id, effective_at_ms, price_plan_id, seats, cycle, recorded_at_ms)
SELECT shop_id, updated_at_ms, price_plan_id, seats, cycle, updated_at_ms FROM shop_billing;
