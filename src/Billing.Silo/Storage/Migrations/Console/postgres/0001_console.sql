-- The console's overview sums what is overdue: unpaid invoiced periods by due date, without
-- reading the paid and waived ones (most of them, on a database that has billed for years).
CREATE INDEX IF NOT EXISTS ix_billing_periods_unpaid_due ON billing_periods (due_date) WHERE status IN ('pending', 'overdue') AND invoice_id IS NOT NULL;
