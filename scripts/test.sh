#!/usr/bin/env bash
# The whole test suite, on SQLite and on the PostgreSQL server (127.0.0.1:5432, database test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
