-- The audit log (seed 004): admin writes and money movements, appended and never changed (the
-- silo has no UPDATE or DELETE of it). seq orders rows and pages them. actor_type is 'operator'
-- (actor_id an operator key id, or 'admin_key' for the configured key), 'customer' (an API key
-- id) or 'system'. before_json and after_json hold JSON with secrets removed, or NULL.
CREATE TABLE IF NOT EXISTS audit_log (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms         INTEGER NOT NULL,
    actor_type    TEXT   NOT NULL CHECK (actor_type IN ('operator', 'customer', 'system')),
    actor_id      TEXT   NOT NULL,
    actor_name    TEXT   NULL,
    action        TEXT   NOT NULL,
    resource_type TEXT   NOT NULL,
    resource_id   TEXT   NULL,
    before_json   TEXT   NULL,
    after_json    TEXT   NULL
);

CREATE INDEX IF NOT EXISTS ix_audit_log_resource ON audit_log (resource_id, seq);
CREATE INDEX IF NOT EXISTS ix_audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX IF NOT EXISTS ix_audit_log_at ON audit_log (at_ms, seq);
