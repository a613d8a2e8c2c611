-- The operator's lists and searches. `?q=` matches a prefix of a lower-cased name or e-mail held
-- in a *_key column beside it (lower-cased by the silo, so both dialects agree on non-ASCII
-- letters; rows from before this migration were lower-cased here, ASCII only). Text compares
-- byte-wise, so a prefix is an index range. Lists page in creation order: with 100,000 shops a
-- page is an index range either way.
ALTER TABLE customers ADD COLUMN name_key TEXT NULL;
ALTER TABLE customers ADD COLUMN email_key TEXT NULL;
UPDATE customers SET name_key = lower(name), email_key = lower(email) WHERE name_key IS NULL;
ALTER TABLE shops ADD COLUMN name_key TEXT NULL;
UPDATE shops SET name_key = lower(name) WHERE name_key IS NULL;

CREATE INDEX IF NOT EXISTS ix_customers_created ON customers (created_at_ms, id);
CREATE INDEX IF NOT EXISTS ix_customers_name_key ON customers (name_key);
CREATE INDEX IF NOT EXISTS ix_customers_email_key ON customers (email_key);
CREATE INDEX IF NOT EXISTS ix_shops_created ON shops (created_at_ms, id);
CREATE INDEX IF NOT EXISTS ix_shops_name_key ON shops (name_key);
CREATE INDEX IF NOT EXISTS ix_api_keys_created ON api_keys (created_at_ms, id);

-- A closed shop: its keys are revoked, its last period ends the day it closed and no other opens.
ALTER TABLE shops ADD COLUMN closed_at_ms BIGINT NULL;
