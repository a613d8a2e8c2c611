#!/usr/bin/env bash
# Batch ingest over HTTP: a Release silo on a fresh PostgreSQL database, N customers (one shop
# and key each), then wrk posting 1,000-event batches to POST /api/v1/usage/batch: a 10 s
# warm-up, a measured run, and a count of the durable events read back from the database.
#
#   tests/bench/batch-ingest.sh [connections=32] [customers=32] [seconds=10]
#
# Needs wrk (apt-get install -y wrk) and PostgreSQL on 127.0.0.1:5432 (user/password postgres,
# or set PGUSER/PGPASSWORD). Binds the silo to 127.0.0.1:5081.
set -euo pipefail
connections=${1:-32}; customers=${2:-32}; seconds=${3:-10}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
export PGUSER=${PGUSER:-postgres} PGPASSWORD=${PGPASSWORD:-postgres}
url=http://127.0.0.1:5081
admin=bench-admin-key-0123456789-abcdefghijklmnopqrstuv

psql -h 127.0.0.1 -qc "DROP DATABASE IF EXISTS billing_batch_bench" -c "CREATE DATABASE billing_batch_bench" >/dev/null
dotnet build -c Release "$root/src/Billing.Silo" >/dev/null
Billing__Storage=postgres Billing__AdminKey=$admin \
ConnectionStrings__Billing="Host=127.0.0.1;Database=billing_batch_bench;Username=$PGUSER;Password=$PGPASSWORD;SSL Mode=Disable" \
  dotnet "$root/src/Billing.Silo/bin/Release/net10.0/Billing.Silo.dll" --urls $url >"$work/silo.log" 2>&1 &
silo=$!
trap 'kill $silo 2>/dev/null; wait $silo 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -sf $url/health >/dev/null && break; sleep 0.5; done

post() { curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "$url$1" -d "$2"; }
field() { grep -oE "\"$1\":\"[^\"]+\"" | head -1 | cut -d'"' -f4; }
plan=$(post /api/v1/admin/plans '{"name":"bulk","price":10,"currency":"EUR","tokens_included":1000000000000,"duration_days":365}' | field id)
for i in $(seq 1 "$customers"); do
  customer=$(post /api/v1/admin/customers "{\"name\":\"bulk $i\",\"email\":\"bulk$i@example.com\"}" | field id)
  shop=$(post "/api/v1/admin/customers/$customer/shops" '{"name":"bulk"}' | field id)
  post "/api/v1/admin/customers/$customer/subscription" "{\"plan_id\":\"$plan\"}" >/dev/null
  post "/api/v1/admin/shops/$shop/api-keys" '{"name":"bulk"}' | field key >>"$work/keys.txt"
done
{ printf '{"events":['; for i in $(seq 1 1000); do [ "$i" -gt 1 ] && printf ','; printf '{"tokens":1,"endpoint":"/v1/chat","method":"POST","status_code":200}'; done; printf ']}'; } >"$work/batch.json"

# One batch by hand first: a refused key or body stops here, not as a run of errors.
curl -sf -o /dev/null -H "X-API-Key: $(head -1 "$work/keys.txt")" -H 'Content-Type: application/json' \
  --data-binary @"$work/batch.json" $url/api/v1/usage/batch || { echo "a usage batch was refused:" >&2; curl -s -H "X-API-Key: $(head -1 "$work/keys.txt")" -H 'Content-Type: application/json' --data-binary @"$work/batch.json" $url/api/v1/usage/batch | head -c 600 >&2; exit 1; }
export BATCH_KEYS_FILE=$work/keys.txt BATCH_BODY_FILE=$work/batch.json
wrk -t2 -c"$connections" -d10s -s "$root/tests/bench/batch.lua" $url >/dev/null                 # warm-up
before=$(psql -h 127.0.0.1 -d billing_batch_bench -Atc "SELECT COUNT(*) FROM usage_events")
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$root/tests/bench/batch.lua" $url | tee "$work/wrk.txt"
after=$(psql -h 127.0.0.1 -d billing_batch_bench -Atc "SELECT COUNT(*) FROM usage_events")
rate=$(grep Requests/sec "$work/wrk.txt" | awk '{print $2}')
echo "durable events written in the measured run: $((after - before)); events/s: $(awk "BEGIN {printf \"%.0f\", $rate * 1000}")"
