#!/usr/bin/env bash
# Sets everything up and runs the main job on the embedded default (SQLite, demo data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/nastavnik rules check
