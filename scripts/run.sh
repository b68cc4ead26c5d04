#!/usr/bin/env bash
# Sets everything up and runs the main job on the embedded default: a fresh SQLite database with the
# demo (the Tomsk department, its people and four programs run through the workflows), then the web
# application on http://127.0.0.1:5000 (the demo logins are printed before it starts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
unset DATABASE_URL  # the embedded default: instance/nastavnik.sqlite3
.venv/bin/nastavnik rules check
.venv/bin/nastavnik demo --reset
echo
echo "Веб-интерфейс: http://127.0.0.1:5000 (Ctrl+C — остановить)"
exec .venv/bin/nastavnik serve --host 127.0.0.1 --port 5000
