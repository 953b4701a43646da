#!/usr/bin/env bash
# Backs up Stocktake: the PostgreSQL database (pg_dump, custom format), the uploaded files
# (evidence and Board papers) and the report PDFs, into DIR (default ./backups), each named
# with the UTC time.
#
#   DATABASE_URL=postgres://user@host:5432/stocktake EVIDENCE_ROOT=/srv/stocktake/evidence \
#     REPORTS_ROOT=/srv/stocktake/reports scripts/backup.sh /srv/backups
#
# Restore with scripts/restore.sh. See docs/operations.md.
set -euo pipefail
# Backups hold password hashes, sessions, calendar-feed tokens and evidence: readable by the
# owner alone (files 0600, folders 0700), whatever the caller's umask.
umask 077

dir=${1:-backups}
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to back up.}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL must be a PostgreSQL URL (postgres://...)." >&2; exit 2 ;;
esac
var=$(cd "$(dirname "$0")/.." && pwd)/var
evidence=${EVIDENCE_ROOT:-$var/evidence}
reports=${REPORTS_ROOT:-$var/reports}

mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dump="$dir/stocktake-$stamp.dump"
# Written under a temporary name first, so a failed run never leaves a file that looks whole.
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dump.partial"
mv "$dump.partial" "$dump"
echo "Database: $dump"

archive() {  # archive NAME FOLDER LABEL
  if [ -d "$2" ]; then
    local file="$dir/$1-$stamp.tar.gz"
    tar -C "$2" -czf "$file.partial" .
    mv "$file.partial" "$file"
    echo "$3: $file"
  else
    echo "$3: none ($2 does not exist)"
  fi
}
archive evidence "$evidence" "Evidence"
archive reports "$reports" "Reports"
