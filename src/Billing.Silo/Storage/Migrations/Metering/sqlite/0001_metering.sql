-- Metering: usage events and grants are the source of truth. subscriptions holds balance snapshots
-- that the usage journal flushes about once a second; a grain loads its snapshot and replays the
-- events after the snapshot's seq.
CREATE TABLE IF NOT EXISTS usage_events (
    usage_id        TEXT          NOT NULL,              -- UUID version 7: time-ordered; unique by generation, not indexed
    customer_id     TEXT          NOT NULL,
    shop_id         TEXT          NOT NULL,
    key_id          TEXT          NOT NULL,
    seq             INTEGER       NOT NULL,              -- the customer's ledger sequence after this event
    tokens          INTEGER       NOT NULL,
    cost_nanos      INTEGER       NOT NULL,              -- value of the tokens at the plan's price, 1e-9 currency units
    currency        TEXT          NOT NULL,
    description     TEXT          NULL,
    endpoint        TEXT          NULL,
    method          TEXT          NULL,
    status_code     INTEGER       NULL,
    occurred_at_ms  INTEGER       NOT NULL,
    idempotency_key TEXT          NULL,
    request_hash    TEXT          NULL,                  -- SHA-256 of the request body, to tell a retry from a reuse
    remaining_after INTEGER       NOT NULL,              -- the answer a retry with the same key gets again
    -- One customer's events are numbered by its ledger: the natural key, and the index that
    -- replays a customer after its snapshot. Every index costs each event, so there are few.
    PRIMARY KEY (customer_id, seq)
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_usage_events_idempotency ON usage_events (shop_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- A shop grain aggregates its current period from here when it activates.
CREATE INDEX IF NOT EXISTS ix_usage_events_shop_time ON usage_events (shop_id, occurred_at_ms);

CREATE TABLE IF NOT EXISTS token_grants (
    grant_id      TEXT   NOT NULL PRIMARY KEY,
    customer_id   TEXT   NOT NULL,
    plan_id       TEXT   NOT NULL,
    seq           INTEGER NOT NULL,
    tokens        INTEGER NOT NULL,
    granted_at_ms INTEGER NOT NULL,
    started_at_ms INTEGER NOT NULL,              -- the subscription after this grant: enough to rebuild it from events alone
    ends_at_ms    INTEGER NULL,
    price_per_token_nanos INTEGER NOT NULL,
    currency      TEXT   NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_token_grants_customer ON token_grants (customer_id, seq);

CREATE TABLE IF NOT EXISTS subscriptions (
    customer_id           TEXT    NOT NULL PRIMARY KEY,
    plan_id               TEXT    NULL,
    seq                   INTEGER  NOT NULL,
    tokens_granted        INTEGER  NOT NULL,
    tokens_remaining      INTEGER  NOT NULL,
    tokens_consumed       INTEGER  NOT NULL,
    started_at_ms         INTEGER  NULL,
    ends_at_ms            INTEGER  NULL,
    is_active             INTEGER NOT NULL,
    price_per_token_nanos INTEGER  NULL,
    currency              TEXT    NULL,
    updated_at_ms         INTEGER  NOT NULL,
    CONSTRAINT ck_subscriptions_conservation CHECK (tokens_granted = tokens_remaining + tokens_consumed AND tokens_remaining >= 0)
);
