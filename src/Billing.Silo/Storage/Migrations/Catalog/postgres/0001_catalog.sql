-- The catalog: plans for sale, customers, their shops, the shops' API keys, and silo-wide settings.
-- Money is an integer count of the currency's minor units beside its ISO 4217 code (exact in both
-- dialects); VAT rates are integer basis points of one (0.21 = 2100); times are Unix milliseconds.

CREATE TABLE IF NOT EXISTS plans (
    id                TEXT     NOT NULL PRIMARY KEY,
    name              TEXT     NOT NULL,
    price_minor_units BIGINT   NOT NULL CHECK (price_minor_units >= 0),
    currency          TEXT     NOT NULL,
    tokens_included   BIGINT   NOT NULL CHECK (tokens_included > 0),
    duration_days     INTEGER  NULL CHECK (duration_days BETWEEN 1 AND 3650),
    is_recurring      BOOLEAN  NOT NULL,
    description       TEXT     NULL,
    created_at_ms     BIGINT   NOT NULL
);

-- Listing pages through plans in creation order.
CREATE INDEX IF NOT EXISTS ix_plans_created ON plans (created_at_ms, id);

CREATE TABLE IF NOT EXISTS customers (
    id            TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    currency      TEXT    NOT NULL,
    time_zone     TEXT    NOT NULL,
    vat_rate_bp   INTEGER NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
    created_at_ms BIGINT  NOT NULL
);

CREATE TABLE IF NOT EXISTS shops (
    id            TEXT   NOT NULL PRIMARY KEY,
    customer_id   TEXT   NOT NULL REFERENCES customers (id),
    name          TEXT   NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_shops_customer ON shops (customer_id);

CREATE TABLE IF NOT EXISTS api_keys (
    id            TEXT   NOT NULL PRIMARY KEY,
    shop_id       TEXT   NOT NULL REFERENCES shops (id),
    name          TEXT   NOT NULL,
    prefix        TEXT   NOT NULL UNIQUE,  -- the lookup on every authentication
    key_hash      BYTEA  NOT NULL,         -- SHA-256 of the key; the key itself is never stored
    created_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT NULL
);

CREATE INDEX IF NOT EXISTS ix_api_keys_shop ON api_keys (shop_id);

CREATE TABLE IF NOT EXISTS silo_settings (
    name          TEXT   NOT NULL PRIMARY KEY,
    value         TEXT   NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
