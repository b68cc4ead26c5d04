#!/usr/bin/env bash
# The front-end packages of the web UI, pinned in package.json/package-lock.json, fetched from npm and copied or
# bundled into web/static/vendor/ (not in git). Run by scripts/setup.sh, and by deploy/Dockerfile's build stage
# before the wheel is built (the wheel carries web/static/vendor). Needs Node.js and npm (installed with apt-get
# when missing and run as root). Idempotent: nothing is done while the lock file and the bundles' sources are
# unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- bpmn-js and Chart.js for the web UI: pinned in package.json/package-lock.json, copied to web/static/vendor/ ---
npm_hash=$(sha256sum package-lock.json | cut -c1-16)
lock_hash=$(cat package-lock.json web/static/src/modeler/* web/static/src/forms/* | sha256sum | cut -c1-16)  # the bundles' sources too
vendor=web/static/vendor
if [ ! -f "$vendor/.installed-$lock_hash" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
        else
            echo "setup: npm is required to fetch bpmn-js and Chart.js (install Node.js and npm)" >&2
            exit 1
        fi
    fi
    if [ ! -f "node_modules/.installed-$npm_hash" ]; then
        npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
        touch "node_modules/.installed-$npm_hash"
    fi
    rm -rf "$vendor"
    mkdir -p "$vendor/bpmn-js"
    for bundle in bpmn-viewer bpmn-navigated-viewer bpmn-modeler; do
        cp node_modules/bpmn-js/dist/$bundle.production.min.js "$vendor/bpmn-js/"
    done
    cp -R node_modules/bpmn-js/dist/assets "$vendor/bpmn-js/assets"
    cp node_modules/bpmn-js/LICENSE "$vendor/bpmn-js/LICENSE"
    mkdir -p "$vendor/chart.js"  # the dashboard's charts (one UMD bundle: no inline script, no injected style)
    cp node_modules/chart.js/dist/chart.umd.min.js "$vendor/chart.js/"
    cp node_modules/chart.js/LICENSE.md "$vendor/chart.js/LICENSE.md"
    # the methodologist's modeler: bpmn-js + bpmn-js-properties-panel + bpmn-auto-layout + the project's
    # properties (web/static/src/modeler/), bundled by esbuild (pinned) into one script the CSP allows
    mkdir -p "$vendor/modeler"
    node web/static/src/modeler/build.mjs "$vendor/modeler/modeler.bundle.js"
    cp node_modules/@bpmn-io/properties-panel/dist/assets/properties-panel.css "$vendor/modeler/"
    # the form designer: the form-js editor (pinned) + the page script (web/static/src/forms/), its CSS as files
    mkdir -p "$vendor/forms"
    node web/static/src/forms/build.mjs "$vendor/forms/forms.bundle.js"
    cp node_modules/@bpmn-io/form-js-viewer/dist/assets/form-js.css node_modules/@bpmn-io/form-js-editor/dist/assets/form-js-editor.css \
       node_modules/@bpmn-io/form-js-editor/dist/assets/properties-panel.css "$vendor/forms/"
    cp node_modules/@bpmn-io/form-js-editor/LICENSE "$vendor/forms/LICENSE"
    touch "$vendor/.installed-$lock_hash"
fi
