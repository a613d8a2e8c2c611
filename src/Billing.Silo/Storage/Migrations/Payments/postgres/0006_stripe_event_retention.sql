-- Applied Stripe event ids are forgotten after Billing:Payments:Stripe:EventRetentionDays, oldest first.
CREATE INDEX IF NOT EXISTS ix_stripe_events_received ON stripe_events (received_at_ms);
