#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh: REPLACES everything in the database named by
# DATABASE_URL with the dump, in one transaction (nothing changes if it fails), and, when an
# evidence archive is given, unpacks it into EVIDENCE_ROOT.
#
#   DATABASE_URL=postgres://user@host:5432/stocktake EVIDENCE_ROOT=/srv/stocktake/evidence \
#     scripts/restore.sh [--yes] backups/stocktake-20260101T020000Z.dump \
#                                backups/evidence-20260101T020000Z.tar.gz
#
# Stop the application (and the task worker) first; run `manage.py migrate` after restoring
# a backup made by an older version. See docs/operations.md.
set -euo pipefail

yes=false
if [ "${1:-}" = "--yes" ]; then yes=true; shift; fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "Usage: scripts/restore.sh [--yes] DUMP [EVIDENCE_ARCHIVE]" >&2
  exit 2
fi
dump=$1
archive=${2:-}
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to restore into.}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "restore.sh: DATABASE_URL must be a PostgreSQL URL (postgres://...)." >&2; exit 2 ;;
esac
evidence=${EVIDENCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/evidence}
[ -f "$dump" ] || { echo "restore.sh: no such file: $dump" >&2; exit 2; }
[ -z "$archive" ] || [ -f "$archive" ] || { echo "restore.sh: no such file: $archive" >&2; exit 2; }

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
