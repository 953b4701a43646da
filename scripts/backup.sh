#!/usr/bin/env bash
# Backs up Stocktake: the PostgreSQL database (pg_dump, custom format) and the uploaded
# evidence files, into DIR (default ./backups), each named with the UTC time.
#
#   DATABASE_URL=postgres://user@host:5432/stocktake EVIDENCE_ROOT=/srv/stocktake/evidence \
#     scripts/backup.sh /srv/backups
#
# Restore with scripts/restore.sh. See docs/operations.md.
set -euo pipefail

dir=${1:-backups}
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to back up.}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL must be a PostgreSQL URL (postgres://...)." >&2; exit 2 ;;
esac
evidence=${EVIDENCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/evidence}

mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dump="$dir/stocktake-$stamp.dump"
# Written under a temporary name first, so a failed run never leaves a file that looks whole.
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dump.partial"
mv "$dump.partial" "$dump"
echo "Database: $dump"

if [ -d "$evidence" ]; then
  archive="$dir/evidence-$stamp.tar.gz"
  tar -C "$evidence" -czf "$archive.partial" .
  mv "$archive.partial" "$archive"
  echo "Evidence: $archive"
else
  echo "Evidence: none ($evidence does not exist)"
fi
