#!/usr/bin/env bash
# Restores a deploy/backup.sh dump into a new (or empty) database, for the silos to start on.
#
#   deploy/restore.sh [--force] FILE DATABASE
#
#   FILE       a dump written by deploy/backup.sh (pg_dump --format=custom)
#   DATABASE   the database to restore into: created when missing; an existing one must hold no
#              tables, unless --force, which drops and recreates the dump's objects in it
#              (pg_restore --clean --if-exists; anything else in it stays)
#
# The connection comes from libpq's environment: PGHOST, PGPORT, PGUSER, and the password in
# PGPASSWORD or ~/.pgpass. PGUSER owns what is restored (--no-owner), so the dump restores under
# another role than the one that wrote it; point the silos' connection string at DATABASE as that
# role. The restore is one transaction: on any error nothing of it stays. Stop the silos of
# DATABASE before --force: the restored Orleans membership rows are all marked Dead (below).
#
# Settings: BILLING_RESTORE_TIMEOUT_S [3600] how long each step may run before it is stopped;
# BILLING_RESTORE_MAINTENANCE_DB [postgres] the database connected to for creating DATABASE.
set -euo pipefail

usage() { echo "usage: $0 [--force] FILE DATABASE" >&2; exit 64; }
force=false
arguments=()
for argument in "$@"; do
    case "$argument" in
        --force) force=true ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        -*) usage ;;
        *) arguments+=("$argument") ;;
    esac
done
[[ ${#arguments[@]} -eq 2 ]] || usage
readonly dump="${arguments[0]}" database="${arguments[1]}"
readonly timeout_s="${BILLING_RESTORE_TIMEOUT_S:-3600}"
readonly maintenance="${BILLING_RESTORE_MAINTENANCE_DB:-postgres}"
for tool in pg_restore psql; do
    command -v "$tool" >/dev/null || { echo "restore: $tool is not installed (Debian: apt-get install postgresql-client)" >&2; exit 69; }
done
[[ -r "$dump" ]] || { echo "restore: cannot read $dump" >&2; exit 66; }

bounded() { timeout --kill-after=10 "$timeout_s" "$@"; }
query() { bounded psql --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 "$@"; }

bounded pg_restore --list "$dump" >/dev/null
exists="$(query --dbname="$maintenance" --set=name="$database" <<< "SELECT count(*) FROM pg_database WHERE datname = :'name'")"
clean=()
if [[ "$exists" == 0 ]]; then
    query --dbname="$maintenance" --set=name="$database" <<< 'CREATE DATABASE :"name"'
else
    tables="$(query --dbname="$database" <<< "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
    if [[ "$tables" != 0 ]]; then
        if [[ "$force" != true ]]; then
            echo "restore: database $database already holds $tables tables; restore into a new database, or pass --force to replace the dump's objects in it" >&2
            exit 65
        fi
        clean=(--clean --if-exists)
    fi
fi

bounded pg_restore --no-owner --exit-on-error --single-transaction "${clean[@]}" --dbname="$database" "$dump"
# No silo runs on the new database yet, but the dump's membership rows may still call the original's
# silos Active (a dump of a running cluster, or of one that crashed): every silo starting on it would
# first try to reach them, fail (a few seconds, logged as errors), join anyway and vote them dead.
# Marked Dead (Orleans' SiloStatus 6) here, they are history and the first silo starts at once.
if [[ "$(query --dbname="$database" <<< "SELECT to_regclass('orleansmembershiptable') IS NOT NULL")" == t ]]; then
    query --dbname="$database" <<< 'UPDATE orleansmembershiptable SET status = 6 WHERE status <> 6'
fi
# pg_dump carries no planner statistics: gather them before the silos' first queries.
query --dbname="$database" <<< 'ANALYZE'
echo "restore: $dump -> $database"
