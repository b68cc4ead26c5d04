#!/usr/bin/env bash
# The whole test suite, on SQLite and on the PostgreSQL server (127.0.0.1:5432, database test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Lint and types first: a finding fails the run before any test starts.
.venv/bin/ruff check --quiet .
.venv/bin/mypy
# One worker per CPU (NASTAVNIK_TEST_WORKERS=0 runs in this process); a test file stays on one worker, so
# module-scoped fixtures (the demo servers, the permission matrix world) are built once.
exec .venv/bin/python -m pytest -n "${NASTAVNIK_TEST_WORKERS:-auto}" --dist loadfile "$@"
