#!/usr/bin/env bash
# Restores a scripts/backup.sh archive into a NEW database and checks it (docs/operations.md).
#
# usage: scripts/restore.sh DUMP_FILE TARGET_DATABASE_URL
#   TARGET_DATABASE_URL: postgres://user[:password]@host:port/new_database — the database must not
#   exist; it is created (through the server's `postgres` database, or RESTORE_MAINTENANCE_DB) by
#   a role allowed to create databases and roles (the owner or a superuser). Roles the archive
#   names (table owners, the API's muckwatch_app) are created NOLOGIN when the server lacks them:
#   give muckwatch_app its login afterwards (the API does so at boot from DATABASE_OWNER_URL).
#   RESTORE_JOBS=n restores with n parallel jobs (default 1: one transaction, all or nothing).
# exit codes: 0 restored and checked · 2 usage · 3 the target database exists ·
#             4 the archive is unreadable or its .sha256 does not match · 5 pg_restore failed
#             (the half-made database is dropped) · 6 the restored database fails its checks
set -euo pipefail

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && usage
[[ $# -ne 2 ]] && usage
dump="$1"
url="$2"
[[ -f "$dump" ]] || { echo "restore: no file $dump" >&2; exit 2; }
[[ "$url" =~ ^postgres(ql)?:// ]] || { echo "restore: the target must be a postgres:// URL" >&2; exit 2; }
jobs="${RESTORE_JOBS:-1}"
[[ "$jobs" =~ ^[1-9][0-9]?$ ]] || { echo "restore: RESTORE_JOBS must be 1–99" >&2; exit 2; }
for tool in pg_restore psql; do
  command -v "$tool" >/dev/null || { echo "restore: $tool not found (apt-get install postgresql-client)" >&2; exit 2; }
done

# URL pieces: scheme://authority/database?query
scheme="${url%%://*}"; rest="${url#*://}"
authority="${rest%%/*}"; path="${rest#*/}"
[[ "$rest" == */* ]] || { echo "restore: no database name in the target URL" >&2; exit 2; }
database="${path%%\?*}"; query=""; [[ "$path" == *\?* ]] && query="?${path#*\?}"
[[ "$database" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { echo "restore: the new database's name must be a plain lower-case identifier; got \"$database\"" >&2; exit 2; }
maintenance="$scheme://$authority/${RESTORE_MAINTENANCE_DB:-postgres}$query"
sql() { psql --no-psqlrc --quiet --no-password -v ON_ERROR_STOP=1 --tuples-only --no-align "$@"; }

if [[ -f "$dump.sha256" ]]; then
  ( cd "$(dirname "$dump")" && sha256sum --check --status "$(basename "$dump").sha256" ) \
    || { echo "restore: $dump does not match its .sha256" >&2; exit 4; }
fi
schema="$(pg_restore --schema-only --file=- "$dump")" || { echo "restore: $dump is not a readable pg_dump archive" >&2; exit 4; }

exists="$(sql --dbname="$maintenance" -c "SELECT 1 FROM pg_database WHERE datname = '$database'")"
[[ -z "$exists" ]] || { echo "restore: database $database exists: restore into a new one" >&2; exit 3; }

# Roles are the server's, not the database's: the archive names them but does not create them.
roles="$( { grep -oE 'OWNER TO [a-z_][a-z0-9_]*;' <<<"$schema" | sed -E 's/OWNER TO ([a-z0-9_]+);/\1/';
            grep -E '^(GRANT|REVOKE|ALTER DEFAULT PRIVILEGES)' <<<"$schema" | grep -oE '(TO|FROM|FOR ROLE) [a-z_][a-z0-9_]*' | awk '{print $NF}';
            echo muckwatch_app; } | grep -vx 'public' | sort -u)"
for role in $roles; do
  sql --dbname="$maintenance" -c "DO \$\$ BEGIN CREATE ROLE $role NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$"
done

sql --dbname="$maintenance" -c "CREATE DATABASE $database"
args=(--dbname="$url" --no-password --exit-on-error)
if [[ "$jobs" == 1 ]]; then args+=(--single-transaction); else args+=(--jobs="$jobs"); fi
if ! pg_restore "${args[@]}" "$dump"; then
  echo "restore: pg_restore failed; dropping the half-made database $database" >&2
  sql --dbname="$maintenance" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true
  exit 5
fi
# pg_restore does not carry the planner's statistics.
sql --dbname="$url" -c "ANALYZE"

# Checks: the migrations are all there, the append-only triggers are in place and enabled.
triggers="$(sql --dbname="$url" -c "SELECT count(*) FROM pg_trigger WHERE tgenabled = 'O' AND tgname IN
  ('audit_log_append_only', 'audit_log_no_truncate', 'ranking_snapshots_append_only', 'ranking_snapshots_no_truncate')")"
if [[ "$triggers" != 4 ]]; then
  echo "restore: the append-only triggers are not all enabled in $database ($triggers of 4)" >&2
  exit 6
fi
summary="$(sql --dbname="$url" -F ' ' -c "SELECT (SELECT count(*) FROM migrations), (SELECT count(*) FROM positions),
  (SELECT count(*) FROM violations), (SELECT count(*) FROM audit_log)")"
read -r migrations positions violations audit <<<"$summary"
echo "restore: $database restored: $migrations migrations, $positions fixes, $violations violations, $audit audit rows" >&2
