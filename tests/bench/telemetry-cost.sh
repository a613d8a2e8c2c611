#!/usr/bin/env bash
# What OpenTelemetry costs: the load test against this checkout's Release silo with
# Billing:Telemetry:Enabled false and true (no exporter: spans and metrics are made and collected,
# not sent), alternating, each on a fresh PostgreSQL database, then `billing loadtest` at 64 connections. Prints one line per
# run: build, consumes/s, consume p99 ms, bare requests/s, consume/bare, conservation, and the CPU
# microseconds per consume of the silo, the load generator and PostgreSQL over 8 s of the measured phase.
#
#   tests/bench/telemetry-cost.sh [rounds=3] [warmup-seconds=15] [duration-seconds=10]
#
# Needs PostgreSQL on 127.0.0.1:5432 (user/password postgres, or PGUSER/PGPASSWORD). The silo
# binds 127.0.0.1:5085 (silo port 11185); every wait is bounded.
set -euo pipefail
rounds=${1:-3}; warmup=${2:-15}; duration=${3:-10}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
export PGUSER=${PGUSER:-postgres} PGPASSWORD=${PGPASSWORD:-postgres}
url=http://127.0.0.1:5085
admin=bench-admin-key-0123456789-abcdefghijklmnopqrstuv
silo=
# Each run's silo log and load-test report are kept (an outlier is only explained by its log).
out=${BILLING_BENCH_OUT:-$(mktemp -d /tmp/telemetry-cost.XXXXXX)}
cleanup() { [ -n "$silo" ] && kill "$silo" 2>/dev/null && wait "$silo" 2>/dev/null; rm -rf "$work"; echo "logs and reports: $out" >&2; }
trap cleanup EXIT

dotnet build -c Release "$root/src/Billing.Silo" >/dev/null
dotnet build -c Release "$root/src/Billing.Cli" >/dev/null
# The compiler and MSBuild servers stay resident after a build; they must not share the cores with the runs.
dotnet build-server shutdown >/dev/null 2>&1 || true

. "$root/tests/bench/loadtest-run.sh"

for round in $(seq 1 "$rounds"); do
  run off "$root" Billing__Telemetry__Enabled=false
  run on "$root" Billing__Telemetry__Enabled=true
done
