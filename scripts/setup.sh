#!/usr/bin/env bash
# Sets up everything the project needs on a fresh machine: a virtualenv with the pinned packages.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=""
for candidate in python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 12) else 1)'; then
        PY="$candidate"; break
    fi
done
if [ -z "$PY" ]; then
    echo "setup: Python 3.11 or 3.12 is required (durable_rules 2.0.28 supports no other)" >&2
    exit 1
fi

if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
    .venv/bin/pip install --quiet --disable-pip-version-check --upgrade "pip==24.3.1"
    .venv/bin/pip install --quiet --disable-pip-version-check -e ".[dev]"
    rm -f .venv/.installed-*
    touch "$stamp"
fi
