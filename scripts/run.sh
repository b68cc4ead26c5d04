#!/usr/bin/env bash
# Sets everything up and runs the main job on the embedded default (SQLite, demo data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/nastavnik rules check
echo '{"years_as_head": 6, "contest_level": "regional", "contest_result": "laureate", "efficiency_percent": 85, "has_mentorship_certificate": true}' |
    .venv/bin/nastavnik rules eval mentor_eligibility_tomsk --facts -
