-- Metering: usage events and grants are the source of truth. subscriptions holds balance snapshots
-- that the usage journal flushes about once a second; a grain loads its snapshot and replays the
-- events after the snapshot's seq.
CREATE TABLE IF NOT EXISTS usage_events (
    usage_id        UUID          NOT NULL,              -- version 7: time-ordered; unique by generation, not indexed
    customer_id     TEXT          NOT NULL,
    shop_id         TEXT          NOT NULL,
    key_id          TEXT          NOT NULL,
    seq             BIGINT        NOT NULL,              -- the customer's ledger sequence after this event
    tokens          BIGINT        NOT NULL,
    cost_nanos      BIGINT        NOT NULL,              -- value of the tokens at the plan's price, 1e-9 currency units
    currency        TEXT          NOT NULL,
    description     TEXT          NULL,
    endpoint        TEXT          NULL,
    method          TEXT          NULL,
    status_code     INTEGER       NULL,
    occurred_at_ms  BIGINT        NOT NULL,
    idempotency_key TEXT          NULL,
    request_hash    TEXT          NULL,                  -- SHA-256 of the request body, to tell a retry from a reuse
    remaining_after BIGINT        NOT NULL,              -- the answer a retry with the same key gets again
    -- One customer's events are numbered by its ledger: the natural key, and the index that
    -- replays a customer after its snapshot. Every index costs each event, so there are few.
    PRIMARY KEY (customer_id, seq)
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_usage_events_idempotency ON usage_events (shop_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- A shop grain aggregates its current period from here when it activates.
CREATE INDEX IF NOT EXISTS ix_usage_events_shop_time ON usage_events (shop_id, occurred_at_ms);

CREATE TABLE IF NOT EXISTS token_grants (
    grant_id      UUID   NOT NULL PRIMARY KEY,
    customer_id   TEXT   NOT NULL,
    plan_id       TEXT   NOT NULL,
    seq           BIGINT NOT NULL,
    tokens        BIGINT NOT NULL,
    granted_at_ms BIGINT NOT NULL,
    started_at_ms BIGINT NOT NULL,              -- the subscription after this grant: enough to rebuild it from events alone
    ends_at_ms    BIGINT NULL,
    price_per_token_nanos BIGINT NOT NULL,
    currency      TEXT   NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_token_grants_customer ON token_grants (customer_id, seq);

CREATE TABLE IF NOT EXISTS subscriptions (
    customer_id           TEXT    NOT NULL PRIMARY KEY,
    plan_id               TEXT    NULL,
    seq                   BIGINT  NOT NULL,
    tokens_granted        BIGINT  NOT NULL,
    tokens_remaining      BIGINT  NOT NULL,
    tokens_consumed       BIGINT  NOT NULL,
    started_at_ms         BIGINT  NULL,
    ends_at_ms            BIGINT  NULL,
    is_active             BOOLEAN NOT NULL,
    price_per_token_nanos BIGINT  NULL,
    currency              TEXT    NULL,
    updated_at_ms         BIGINT  NOT NULL,
    CONSTRAINT ck_subscriptions_conservation CHECK (tokens_granted = tokens_remaining + tokens_consumed AND tokens_remaining >= 0)
);
