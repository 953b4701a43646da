#!/usr/bin/env bash
# Runs the test suite. SQLite by default; set DATABASE_URL to use PostgreSQL, e.g.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/stocktake scripts/test.sh
# Extra arguments go to pytest (e.g. scripts/test.sh -k import).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_venv
export DEBUG=true
exec .venv/bin/pytest --create-db "$@"
