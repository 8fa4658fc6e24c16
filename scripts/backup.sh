#!/usr/bin/env bash
# Backs up the muckwatch database with pg_dump's custom format (one consistent snapshot, taken
# while ingest continues: pg_dump reads everything inside one REPEATABLE READ transaction).
# The procedure (how often, where to keep it, how to restore and verify) is docs/operations.md.
#
# usage: scripts/backup.sh [OUT_DIR]
#   connects to BACKUP_DATABASE_URL, else DATABASE_OWNER_URL, else DATABASE_URL
#   (postgres://user[:password]@host:port/database, as the API reads them: README "Configuration");
#   writes OUT_DIR/muckwatch-<database>-<Asia/Shanghai time>.dump (OUT_DIR default ./backups),
#   its .sha256 beside it, and prints the dump's path on stdout (last line).
# exit codes: 0 written and verified · 2 usage or configuration · 3 pg_dump failed ·
#             4 the written archive does not read back
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && usage
[[ $# -gt 1 ]] && usage

url="${BACKUP_DATABASE_URL:-${DATABASE_OWNER_URL:-${DATABASE_URL:-}}}"
if [[ -z "$url" ]]; then
  echo "backup: set BACKUP_DATABASE_URL, DATABASE_OWNER_URL or DATABASE_URL (the embedded PGlite has no pg_dump: see docs/operations.md)" >&2
  exit 2
fi
if [[ ! "$url" =~ ^postgres(ql)?:// ]]; then
  echo "backup: the database URL must start with postgres:// or postgresql://" >&2
  exit 2
fi
for tool in pg_dump pg_restore sha256sum; do
  command -v "$tool" >/dev/null || { echo "backup: $tool not found (apt-get install postgresql-client)" >&2; exit 2; }
done

out_dir="${1:-./backups}"
mkdir -p "$out_dir"
# The database name: the URL's path without its query string.
database="${url#*://}"; database="${database#*/}"; database="${database%%\?*}"
[[ "$database" =~ ^[A-Za-z0-9_.-]{1,63}$ ]] || { echo "backup: no database name in the URL" >&2; exit 2; }
stamp="$(TZ=Asia/Shanghai date +%Y%m%dT%H%M%S%z)"
file="$out_dir/muckwatch-$database-$stamp.dump"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

# --serializable-deferrable is not used: it waits for a moment with no read-write transaction
# in flight, which under steady ingest may be long; REPEATABLE READ (pg_dump's default) is one
# consistent snapshot of every table.
if ! pg_dump --dbname="$url" --format=custom --compress=6 --no-password \
     --lock-wait-timeout=60s --file="$partial"; then
  echo "backup: pg_dump failed" >&2
  exit 3
fi
if ! pg_restore --list "$partial" >/dev/null; then
  echo "backup: the archive does not read back" >&2
  exit 4
fi
mv "$partial" "$file"
trap - EXIT
( cd "$(dirname "$file")" && sha256sum "$(basename "$file")" > "$(basename "$file").sha256" )
echo "backup: $(du -h "$file" | cut -f1) written" >&2
echo "$file"
