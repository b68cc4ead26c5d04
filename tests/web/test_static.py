"""Our stylesheet and the pinned bpmn-js (copied by scripts/setup.sh from npm) are served from /static."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "web" / "static" / "vendor" / "bpmn-js"


@pytest.mark.parametrize("db_backend", ["sqlite"])
@pytest.mark.parametrize(("path", "content_type"), [
    ("app.css", "text/css"),
    ("favicon.svg", "image/svg+xml"),
    ("vendor/bpmn-js/bpmn-viewer.production.min.js", "text/javascript"),
    ("vendor/bpmn-js/bpmn-navigated-viewer.production.min.js", "text/javascript"),
    ("vendor/bpmn-js/bpmn-modeler.production.min.js", "text/javascript"),
    ("vendor/bpmn-js/assets/diagram-js.css", "text/css"),
    ("vendor/bpmn-js/assets/bpmn-js.css", "text/css"),
    ("vendor/bpmn-js/assets/bpmn-font/css/bpmn.css", "text/css"),
    ("vendor/bpmn-js/assets/bpmn-font/font/bpmn.woff2", "font/woff2"),
    ("vendor/chart.js/chart.umd.min.js", "text/javascript"),
])
def test_static_files_are_served(client, path, content_type):
    if path.startswith("vendor/") and not VENDOR.is_dir():
        pytest.fail("web/static/vendor/bpmn-js is missing: run `bash scripts/setup.sh` (npm ci + copy)",
                    pytrace=False)
    response = client.get(f"/static/{path}")
    assert response.status_code == 200
    assert response.content_type.startswith(content_type)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("package", ["bpmn-js", "chart.js"])
def test_front_end_versions_are_pinned(package):
    wanted = json.loads((ROOT / "package.json").read_text())["dependencies"][package]
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert wanted[0].isdigit(), "pin an exact version, not a range"
    assert lock["packages"][f"node_modules/{package}"]["version"] == wanted



def test_the_built_front_end_is_a_folder_of_this_checkout_and_not_in_git():
    """web/static/vendor is built by scripts/vendor.sh from the pinned npm packages: a real folder here (a
    worktree's link to another checkout's, once committed, replaced the bundles by a link to itself) and never
    tracked by git."""
    import subprocess

    vendor = ROOT / "web" / "static" / "vendor"
    assert vendor.is_dir() and not vendor.is_symlink(), "run bash scripts/vendor.sh"
    tracked = subprocess.run(["git", "ls-files", "web/static/vendor", "node_modules"], cwd=ROOT, capture_output=True,
                             text=True, check=False).stdout
    assert tracked == ""
