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

# --- PDF documents (engine/documents/pdf.py): WeasyPrint lays out with Pango; the DejaVu fonts are embedded ---
if ! ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing Pango and the DejaVu fonts for the PDF documents"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
    else
        echo "setup: PDF documents need Pango and the DejaVu fonts: install libpango-1.0-0, libpangoft2-1.0-0" \
             "and fonts-dejavu-core" >&2
    fi
fi

# --- browser for the web UI's tests: Debian's chromium (never a browser download of Playwright's) ---
# Opt out with NASTAVNIK_SKIP_BROWSER=1 (the browser tests then skip instead of failing).
if [ ! -x /usr/bin/chromium ] && [ "${NASTAVNIK_SKIP_BROWSER:-}" != 1 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing Debian's chromium for the browser tests"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "setup: /usr/bin/chromium is missing and this is not root: install the 'chromium' package," \
             "or set NASTAVNIK_SKIP_BROWSER=1 to skip the browser tests" >&2
    fi
fi

# --- nginx, only for the deployment files' test (nginx -t on deploy/nginx/nastavnik.conf); never started here ---
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing nginx-light for the deployment files' test"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
        systemctl disable --now nginx >/dev/null 2>&1 || service nginx stop >/dev/null 2>&1 || true
    else
        echo "setup: nginx is missing and this is not root: the nginx site's test will skip" >&2
    fi
fi

# --- the front-end packages (bpmn-js, Chart.js, the modeler's and the form designer's bundles): scripts/vendor.sh ---
bash scripts/vendor.sh
