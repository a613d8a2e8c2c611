-- Revenue by month (analytics) reads the plans sold, by when the purchase was made.
CREATE INDEX IF NOT EXISTS ix_payments_plan_sales ON payments (created_at_ms) WHERE status = 'succeeded' AND purpose IN ('plan_purchase', 'plan_renewal');
