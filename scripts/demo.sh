#!/usr/bin/env bash
# Runs Stocktake with the Tower Hamlets data on SQLite at http://127.0.0.1:8000 (development).
#   scripts/demo.sh [--port N]      (or PORT=N scripts/demo.sh; --port wins)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: scripts/demo.sh [--port N]"
  echo "Serves the demo at http://127.0.0.1:N (default 8000, or the PORT environment variable)."
}

port="${PORT:-8000}"
while [ $# -gt 0 ]; do
  case "$1" in
    --port)
      if [ $# -lt 2 ]; then echo "scripts/demo.sh: --port needs a number" >&2; exit 2; fi
      port="$2"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "scripts/demo.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$port" in
  ''|*[!0-9]*) echo "scripts/demo.sh: the port must be a number from 1 to 65535, not '$port'" >&2; exit 2 ;;
esac
if [ "${#port}" -gt 5 ] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  echo "scripts/demo.sh: the port must be a number from 1 to 65535, not '$port'" >&2
  exit 2
fi
if [ "${DEMO_CHECK_ONLY:-}" = "1" ]; then
  # For the tests: say which address would be served, and stop.
  echo "http://127.0.0.1:$port"
  exit 0
fi

. scripts/lib.sh
ensure_venv
export DEBUG=true
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py import_intervention --skip-existing data/tower-hamlets-2025.yaml
.venv/bin/python manage.py import_intervention --skip-existing data/tower-hamlets-2014.yaml
.venv/bin/python manage.py create_demo_users tower-hamlets-2025
echo "Serving on http://127.0.0.1:$port — sign in with one of the users above. Ctrl-C stops."
exec .venv/bin/python manage.py runserver "127.0.0.1:$port"
