#!/usr/bin/env bash
# Backs up the Billing.Orleans database: one pg_dump file in PostgreSQL's custom format
# (compressed, restorable table by table with deploy/restore.sh or pg_restore).
#
#   deploy/backup.sh [-d DATABASE] [-o FILE]
#
#   -d DATABASE   the database to dump [$PGDATABASE, else billing]
#   -o FILE       where the dump goes [billing-<database>-<UTC time>.dump in the current folder];
#                 written beside it first and renamed when complete, so FILE is never half a dump
#
# The connection comes from libpq's environment: PGHOST, PGPORT, PGUSER, and the password in
# PGPASSWORD or ~/.pgpass (never on the command line, where `ps` shows it). One consistent
# snapshot: pg_dump reads in a single repeatable-read transaction, so the silos may keep running;
# stop them first for a dump that holds every acknowledged write up to a known moment.
#
# Settings: BILLING_BACKUP_TIMEOUT_S [3600] how long pg_dump may run before it is stopped.
set -euo pipefail

database="${PGDATABASE:-billing}"
output=""
while getopts "d:o:h" option; do
    case "$option" in
        d) database="$OPTARG" ;;
        o) output="$OPTARG" ;;
        h) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "usage: $0 [-d DATABASE] [-o FILE]" >&2; exit 64 ;;
    esac
done
shift $((OPTIND - 1))
if [[ $# -gt 0 ]]; then
    echo "usage: $0 [-d DATABASE] [-o FILE]" >&2
    exit 64
fi

readonly timeout_s="${BILLING_BACKUP_TIMEOUT_S:-3600}"
command -v pg_dump >/dev/null || { echo "backup: pg_dump is not installed (Debian: apt-get install postgresql-client)" >&2; exit 69; }
output="${output:-billing-$database-$(date -u +%Y%m%dT%H%M%SZ).dump}"
partial="$output.partial"
trap 'rm -f -- "$partial"' EXIT

timeout --kill-after=10 "$timeout_s" pg_dump --format=custom --dbname="$database" --file="$partial"
# A dump that its own reader cannot list is no backup.
timeout --kill-after=10 "$timeout_s" pg_restore --list "$partial" >/dev/null
mv -- "$partial" "$output"
echo "backup: $database -> $output ($(stat -c %s -- "$output") bytes)"
