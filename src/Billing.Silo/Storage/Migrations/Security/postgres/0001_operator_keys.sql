-- Operators' keys for the admin API, each with a role: 'admin' (everything) or 'viewer' (reads
-- only). Like api_keys: the prefix is public and finds the row, only the SHA-256 of the key is
-- stored, and a revoked key keeps its row (revoked_at_ms) so the audit log's actor ids stay resolvable.
CREATE TABLE IF NOT EXISTS operator_keys (
    id            TEXT   NOT NULL PRIMARY KEY,
    name          TEXT   NOT NULL,
    role          TEXT   NOT NULL CHECK (role IN ('admin', 'viewer')),
    prefix        TEXT   NOT NULL UNIQUE,
    key_hash      BYTEA  NOT NULL,
    created_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT NULL
);

CREATE INDEX IF NOT EXISTS ix_operator_keys_created ON operator_keys (created_at_ms, id);
