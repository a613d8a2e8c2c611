-- The terms each shop has been on, for analytics (MRR and its movements at each month's end):
-- shop_billing keeps only the latest terms, and a period row only those it opened with, so a
-- mid-period upgrade left no trace of when it took effect. One row per change, a snapshot of
-- shop_billing's effective plan, seats and cycle, written in the transaction that makes the change:
-- an upgrade (effective at once) by the terms change, a scheduled downgrade by the close that
-- applies it (effective at the next period's start). Two changes in one millisecond: the last wins.
CREATE TABLE IF NOT EXISTS shop_terms_history (
    customer_id     TEXT    NOT NULL,
    shop_id         TEXT    NOT NULL,
    effective_at_ms INTEGER NOT NULL,
    price_plan_id   TEXT    NULL,             -- null: the default per-request plan, no fixed charge
    seats           INTEGER NOT NULL,
    cycle           TEXT    NOT NULL,
    recorded_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (shop_id, effective_at_ms)
);
-- The MRR report reads the history customer by customer, each shop's changes in order.
CREATE INDEX IF NOT EXISTS ix_shop_terms_history_customer ON shop_terms_history (customer_id, shop_id, effective_at_ms);

-- Shops that had terms before the history existed start it with their terms as last written.
INSERT INTO shop_terms_history (customer_id, shop_id, effective_at_ms, price_plan_id, seats, cycle, recorded_at_ms)
SELECT s.customer_id, b.shop_id, b.updated_at_ms, b.price_plan_id, b.seats, b.cycle, b.updated_at_ms
FROM shop_billing b JOIN shops s ON s.id = b.shop_id;
