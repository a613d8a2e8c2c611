#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (SQLite and PostgreSQL), simulation and browser tests.
# On a fresh Debian machine it installs and starts PostgreSQL first, and installs Debian's chromium
# for the browser tests (as root, or through sudo). Point BILLING_TEST_POSTGRES at another server,
# or BILLING_CHROMIUM at another chromium, to skip those steps.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_local_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "test.sh: installing PostgreSQL" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
    as_root pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
    as_root pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
  # The tests log in over TCP with a password; setting it again is harmless.
  as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
}

# Playwright drives this browser through the driver inside its NuGet package; it never downloads one.
ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    echo "test.sh: installing chromium" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

if [ -z "${BILLING_CHROMIUM:-}" ]; then
  ensure_chromium
fi

if [ -z "${BILLING_TEST_POSTGRES:-}" ]; then
  ensure_local_postgres
  export BILLING_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;SSL Mode=Disable"
fi

log=$(mktemp)
status=0
# A hung test fails the run after 5 minutes, and the log names it, rather than eating CI's time.
dotnet test Billing.Orleans.sln --blame-hang-timeout 5m --blame-hang-dump-type none "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line for any reader of the log: totals over every test project.
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:")  { gsub(",", "", $(i+1)); failed  += $(i+1) }
         if ($i == "Passed:")  { gsub(",", "", $(i+1)); passed  += $(i+1) }
         if ($i == "Skipped:") { gsub(",", "", $(i+1)); skipped += $(i+1) }
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
rm -f "$log"
exit "$status"
