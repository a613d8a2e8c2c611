-- Fencing: for a moment during a membership change a customer's grain can be active on two silos,
-- each deciding against its own copy of the balance. The journal's writes are fenced per customer
-- so that only one of them can commit on top of a given ledger state; the other's batch fails and
-- its activation reloads.
--
-- usage_events' primary key already makes two usage events with one seq collide, but a grant
-- (token_grants) and a usage event share the customer's one sequence in two tables, so one table's
-- key cannot see the other. ledger_heads is the one row per customer that every batch moves, in
-- the batch's own transaction: the head is where the customer's ledger stands, prior_seq where the
-- batch's writer believed it stood (the seq before its first event). A batch whose writer had
-- loaded an older state than the head (head > prior_seq) makes the upsert leave seq at prior_seq,
-- which the check refuses, failing the whole transaction. Two writers of one customer serialise on
-- the row lock, so the second sees the first's committed head. Cost: one narrow row per customer
-- per batch (why not less: see JournalBatches.LedgerHeadFence).
CREATE TABLE IF NOT EXISTS ledger_heads (
    customer_id TEXT   NOT NULL PRIMARY KEY,
    seq         BIGINT NOT NULL,              -- the customer's last committed event (usage or grant)
    prior_seq   BIGINT NOT NULL,              -- the seq the last batch's writer had loaded
    CONSTRAINT ck_ledger_heads_fence CHECK (seq > prior_seq)
);

INSERT INTO ledger_heads (customer_id, seq, prior_seq)
SELECT customer_id, MAX(seq), 0 FROM (
    SELECT customer_id, seq FROM usage_events
    UNION ALL
    SELECT customer_id, seq FROM token_grants) AS events
GROUP BY customer_id;

-- Two grants at one seq (two activations granting at once) are refused by the table itself too,
-- for writers that do not go through the journal. Grants are rare: the unique index costs nothing
-- the old non-unique one did not.
DROP INDEX IF EXISTS ix_token_grants_customer;
CREATE UNIQUE INDEX IF NOT EXISTS ux_token_grants_customer_seq ON token_grants (customer_id, seq);
