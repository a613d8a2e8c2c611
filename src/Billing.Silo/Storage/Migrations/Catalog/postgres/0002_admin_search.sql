-- The operator's lists and searches. `?q=` matches a prefix of a lower-cased name or e-mail held
-- in a *_key column beside it (lower-cased by the silo, so both dialects agree on non-ASCII
-- letters; rows from before this migration were lower-cased here). The keys compare byte-wise
-- (COLLATE "C"), so a prefix is an index range in PostgreSQL as in SQLite. Lists page in creation
-- order: with 100,000 shops a page is an index range either way.
ALTER TABLE customers ADD COLUMN IF NOT EXISTS name_key TEXT COLLATE "C" NULL;
ALTER TABLE customers ADD COLUMN IF NOT EXISTS email_key TEXT COLLATE "C" NULL;
UPDATE customers SET name_key = lower(name), email_key = lower(email) WHERE name_key IS NULL;
ALTER TABLE shops ADD COLUMN IF NOT EXISTS name_key TEXT COLLATE "C" NULL;
UPDATE shops SET name_key = lower(name) WHERE name_key IS NULL;

CREATE INDEX IF NOT EXISTS ix_customers_created ON customers (created_at_ms, id);
CREATE INDEX IF NOT EXISTS ix_customers_name_key ON customers (name_key);
CREATE INDEX IF NOT EXISTS ix_customers_email_key ON customers (email_key);
CREATE INDEX IF NOT EXISTS ix_shops_created ON shops (created_at_ms, id);
CREATE INDEX IF NOT EXISTS ix_shops_name_key ON shops (name_key);
CREATE INDEX IF NOT EXISTS ix_api_keys_created ON api_keys (created_at_ms, id);

-- A closed shop: its keys are revoked, its last period ends the day it closed and no other opens.
ALTER TABLE shops ADD COLUMN closed_at_ms BIGINT NULL;
