-- E-mails to send (seed 004), written in the same transaction as the fact they report, and sent
-- by the silos' EmailSender. dedupe_key names the fact (invoice_issued:{invoice id}), so one fact
-- never queues two mails, however often it is written. A row with invoice_id is an invoice's
-- mail: its subject, bodies and attachments are composed when sent, from the invoice as stored
-- (frozen when issued), so a month end does not store every invoice a second time. A sender
-- claims a row until claimed_until_ms; claim_token makes only the claimant's outcome count.
CREATE TABLE IF NOT EXISTS email_outbox (
    id                 TEXT    NOT NULL PRIMARY KEY,
    kind               TEXT    NOT NULL,
    dedupe_key         TEXT    NOT NULL,
    recipient          TEXT    NOT NULL,
    subject            TEXT    NULL,
    html_body          TEXT    NULL,
    text_body          TEXT    NULL,
    attachments_json   TEXT    NULL,
    invoice_id         TEXT    NULL,
    status             TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts           INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at_ms INTEGER NOT NULL,
    claim_token        TEXT    NULL,
    claimed_until_ms   INTEGER NULL,
    last_error         TEXT    NULL,
    created_at_ms      INTEGER NOT NULL,
    sent_at_ms         INTEGER NULL,
    CHECK (invoice_id IS NOT NULL OR (subject IS NOT NULL AND html_body IS NOT NULL AND text_body IS NOT NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_email_outbox_dedupe ON email_outbox (dedupe_key);
CREATE INDEX IF NOT EXISTS ix_email_outbox_due ON email_outbox (next_attempt_at_ms) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS ix_email_outbox_created ON email_outbox (created_at_ms DESC, id DESC);
-- The admin list by status (failed mails are few among many sent).
CREATE INDEX IF NOT EXISTS ix_email_outbox_status ON email_outbox (status, created_at_ms DESC, id DESC);
