-- Stripe webhook events already applied: Stripe delivers an event at least once, and retries it
-- until it is acknowledged, so each event id is applied once and then only acknowledged.
CREATE TABLE IF NOT EXISTS stripe_events (
    event_id       TEXT   NOT NULL PRIMARY KEY,
    event_type     TEXT   NOT NULL,
    received_at_ms INTEGER NOT NULL
);
-- A PaymentIntent's events find their payment by its reference when the metadata does not name it.
CREATE INDEX IF NOT EXISTS ix_payments_provider_ref ON payments (provider_ref) WHERE provider_ref IS NOT NULL;
