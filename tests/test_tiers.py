"""Every collected test has exactly one tier (tests/tiers.py), and the rule puts tests where it says."""
from __future__ import annotations

import subprocess
from pathlib import PurePosixPath

import pytest

from tests.tiers import TIERS, starts_processes, tier_of


def tiers_of(item) -> list[str]:
    return [mark.name for mark in item.iter_markers() if mark.name in TIERS]


def test_every_collected_test_has_exactly_one_tier(request):
    items = request.session.items
    assert request.node in items
    wrong = {item.nodeid: tiers_of(item) for item in items if len(tiers_of(item)) != 1}
    assert wrong == {}
    assert tiers_of(request.node) == ["pure"]


def _runs_a_script():
    subprocess.run(["true"], check=True)


def _calls_nothing():
    return "subprocess"  # a string is not a call


@pytest.mark.parametrize(("path", "fixtures", "function", "tier"), [
    ("engine/rules/test_x.py", ["registry", "tmp_path"], _calls_nothing, "pure"),
    ("workflows/test_x.py", [], None, "pure"),
    ("engine/services/test_x.py", ["db_backend", "db_url", "db_session"], None, "database"),
    ("engine/db/test_x.py", ["tmp_path"], None, "database"),  # builds its own SQLite file
    ("web/test_x.py", ["client", "app", "db_engine", "seed"], None, "database"),
    ("web/test_x.py", ["curator_client", "world", "demo_worlds", "db_url"], None, "scenario"),
    ("web/test_x.py", ["matrix_template", "demo_database", "tmp_path_factory"], None, "scenario"),
    ("engine/demo/test_x.py", ["db_session"], None, "scenario"),
    ("engine/rules/test_x.py", ["tmp_path"], _runs_a_script, "scenario"),
    ("web/test_x.py", ["demo_page", "browser", "demo_server", "demo_database", "demo_worlds"], None, "browser"),
    ("web/test_x.py", ["web_page", "browser", "live_server"], _runs_a_script, "browser"),
])
def test_the_rule(path, fixtures, function, tier):
    assert tier_of(PurePosixPath(path), fixtures, function) == tier


def test_a_body_starting_processes_is_seen():
    assert starts_processes(_runs_a_script) and not starts_processes(_calls_nothing)
    assert not starts_processes(None)
