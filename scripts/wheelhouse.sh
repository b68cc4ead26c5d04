#!/usr/bin/env bash
# A wheelhouse for machines without internet: «Наставник»'s wheel and a wheel of every dependency, at the versions
# this checkout's .venv runs (pyproject.toml pins the direct ones; `pip freeze` pins the rest as constraints).
# durable_rules is compiled here, so the target machine needs no C compiler. Run after `bash scripts/setup.sh`
# (the wheel carries the front-end bundles it builds; without them the build stops and says so).
#
#   bash scripts/wheelhouse.sh [OUT]     # default dist/wheelhouse; also OUT.tar.gz
#
# On the target (same CPU architecture and Python minor version as here — wheels of lxml, psycopg, … are binary):
#   python3.11 -m venv /opt/nastavnik
#   /opt/nastavnik/bin/pip install --no-index --find-links wheelhouse/ nastavnik
# docs/deploy.md walks through the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist/wheelhouse}
python=${PYTHON:-.venv/bin/python}
[ -x "$python" ] || { echo "wheelhouse: $python is missing: run bash scripts/setup.sh first" >&2; exit 1; }

rm -rf "$out" build  # build/: setuptools' in-tree build folder (files of an earlier build would be carried)
mkdir -p "$out"
"$python" -m pip freeze --exclude-editable --all | grep -v -E '^(pip|setuptools|wheel)==' > "$out/constraints.txt"
"$python" -m pip wheel --quiet --wheel-dir "$out" --constraint "$out/constraints.txt" .
# the build backend too: `pip install --no-index` of an sdist would need it (all here are wheels, but be safe)
"$python" -m pip download --quiet --only-binary=:all: --dest "$out" "setuptools==75.8.0" "pip==24.3.1"
rm -rf build
tar -czf "$out.tar.gz" -C "$(dirname "$out")" "$(basename "$out")"
echo "wheelhouse: $(find "$out" -name '*.whl' | wc -l) wheels in $out (and $out.tar.gz)"
