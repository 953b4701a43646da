#!/usr/bin/env bash
# Runs Stocktake with the Tower Hamlets data on SQLite at http://127.0.0.1:8000 (development).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_venv
export DEBUG=true
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py import_intervention --skip-existing data/tower-hamlets-2025.yaml
.venv/bin/python manage.py import_intervention --skip-existing data/tower-hamlets-2014.yaml
.venv/bin/python manage.py create_demo_users tower-hamlets-2025
echo "Serving on http://127.0.0.1:8000 — sign in with one of the users above. Ctrl-C stops."
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
