#!/usr/bin/env bash
# PostgreSQL's own CPU per stored usage event, the database alone: pgbench inserts batches of rows
# into usage_events as the product's migration creates it (same columns, same indexes), from 4
# clients, one transaction per batch, and the CPU time of every postgres process is read from
# /proc before and after. Nothing of the silo runs, so this is a floor for what storing one event
# costs these cores, whatever the code in front of the database does.
#
#   tests/bench/pg-row-cost.sh [seconds=8]
#
# Needs pgbench and PostgreSQL on 127.0.0.1:5432 (user/password postgres, or set PGUSER/PGPASSWORD).
set -euo pipefail
seconds=${1:-8}
root=$(cd "$(dirname "$0")/../.." && pwd)
export PGUSER=${PGUSER:-postgres} PGPASSWORD=${PGPASSWORD:-postgres} PGHOST=127.0.0.1
db=billing_row_cost
script=$(mktemp)
trap 'rm -f "$script"' EXIT

psql -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
psql -d $db -q -f "$root/src/Billing.Silo/Storage/Migrations/Metering/postgres/0001_metering.sql" >/dev/null
psql -d $db -qc "CREATE SEQUENCE bench_seq CACHE 100" >/dev/null

postgres_ticks() { # user + system clock ticks of all postgres processes (a process may end while read)
  for comm in /proc/[0-9]*/comm; do
    if [ "$(cat "$comm" 2>/dev/null)" = postgres ]; then cat "${comm%comm}stat" 2>/dev/null || true; fi
  done | awk '{ sub(/^[^)]*\) /, ""); t += $12 + $13 } END { print t + 0 }'
}

rows_stored() { psql -d $db -Atc "SELECT last_value FROM bench_seq"; }

measure() { # label rows
  psql -d $db -qc "TRUNCATE usage_events" >/dev/null
  # Ids as long as the product's (kind, '_', 20 characters), 1,000 customers with a shop each.
  cat >"$script" <<SQL
\set r random(1, 1000000000)
INSERT INTO usage_events (usage_id, customer_id, shop_id, key_id, seq, tokens, cost_nanos, currency, description, endpoint, method, status_code, occurred_at_ms, idempotency_key, request_hash, remaining_after)
SELECT gen_random_uuid(), 'cus_' || lpad(((:r + g) % 1000)::text, 20, '0'), 'shop_' || lpad(((:r + g) % 1000)::text, 20, '0'), 'key_bench', nextval('bench_seq'), 1, 10000000, 'EUR', NULL, NULL, NULL, NULL, 1763700000000 + :r, NULL, NULL, 999
FROM generate_series(1, $2) g;
SQL
  # The window starts once pgbench's connections are up and ends before they close, so every
  # backend's CPU is counted from start to end.
  pgbench -n -M prepared -c 4 -j 1 -T $((seconds + 2)) -f "$script" $db >/dev/null 2>&1 &
  local bench=$! before after first last
  sleep 1
  before=$(postgres_ticks); first=$(rows_stored)
  sleep "$seconds"
  after=$(postgres_ticks); last=$(rows_stored)
  wait $bench
  awk -v label="$1" -v rows="$2" -v stored=$((last - first)) -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" -v s="$seconds" 'BEGIN {
    us = ticks / hz * 1e6 / stored
    printf "%-34s %4d rows/transaction  %9.0f rows/s  PostgreSQL CPU %5.1f us/row (%.2f cores)\n", label, rows, stored / s, us, ticks / hz / s }'
}

for rows in 32 64; do measure "product indexes (3)" "$rows"; done
psql -d $db -qc "DROP INDEX ux_usage_events_idempotency; DROP INDEX ix_usage_events_shop_time" >/dev/null
for rows in 32 64; do measure "primary key only" "$rows"; done
psql -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
