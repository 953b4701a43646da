#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh: REPLACES everything in the database named by
# DATABASE_URL with the dump, in one transaction (nothing changes if it fails), and, when the
# archives are given, unpacks the evidence into EVIDENCE_ROOT and the reports into REPORTS_ROOT.
#
#   DATABASE_URL=postgres://user@host:5432/stocktake EVIDENCE_ROOT=/srv/stocktake/evidence \
#   REPORTS_ROOT=/srv/stocktake/reports \
#     scripts/restore.sh [--yes] backups/stocktake-20260101T020000Z.dump \
#                                backups/evidence-20260101T020000Z.tar.gz \
#                                backups/reports-20260101T020000Z.tar.gz
#
# Stop the application (and the task worker) first; run `manage.py migrate` after restoring
# a backup made by an older version. See docs/operations.md.
set -euo pipefail

yes=false
if [ "${1:-}" = "--yes" ]; then yes=true; shift; fi
if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  echo "Usage: scripts/restore.sh [--yes] DUMP [EVIDENCE_ARCHIVE [REPORTS_ARCHIVE]]" >&2
  exit 2
fi
dump=$1
archive=${2:-}
reports_archive=${3:-}
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to restore into.}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "restore.sh: DATABASE_URL must be a PostgreSQL URL (postgres://...)." >&2; exit 2 ;;
esac
var=$(cd "$(dirname "$0")/.." && pwd)/var
evidence=${EVIDENCE_ROOT:-$var/evidence}
reports=${REPORTS_ROOT:-$var/reports}
[ -f "$dump" ] || { echo "restore.sh: no such file: $dump" >&2; exit 2; }
for file in "$archive" "$reports_archive"; do
  [ -z "$file" ] || [ -f "$file" ] || { echo "restore.sh: no such file: $file" >&2; exit 2; }
done

if ! $yes; then
  if [ ! -t 0 ]; then
    echo "restore.sh: this replaces the whole database; pass --yes to confirm." >&2
    exit 2
  fi
  read -r -p "Replace everything in the database with $dump? Type yes: " answer
  [ "$answer" = "yes" ] || { echo "Nothing restored."; exit 1; }
fi

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
  --exit-on-error --dbname="$DATABASE_URL" "$dump"
echo "Database restored from $dump"

if [ -n "$archive" ]; then
  mkdir -p "$evidence"
  tar -C "$evidence" -xzf "$archive"
  echo "Evidence restored into $evidence"
fi

if [ -n "$reports_archive" ]; then
  mkdir -p "$reports"
  tar -C "$reports" -xzf "$reports_archive"
  echo "Reports restored into $reports"
fi
