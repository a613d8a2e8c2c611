-- The operator's invoice list pages in issue order, all invoices or one customer's; one shop's
-- invoices are found by ux_invoices_shop_period, a period's standing by ix_billing_periods_invoice.
CREATE INDEX IF NOT EXISTS ix_invoices_issued ON invoices (issued_at_ms, id);
CREATE INDEX IF NOT EXISTS ix_invoices_customer_issued ON invoices (customer_id, issued_at_ms, id);
