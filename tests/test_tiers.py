"""Every collected test has exactly one tier (tests/tiers.py), and the rule puts tests where it says."""
from __future__ import annotations

import subprocess
from pathlib import PurePosixPath

import pytest

from tests.tiers import TIERS, heaviest_files_first, starts_processes, tier_of


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


class _Item:
    def __init__(self, path: str, tier: str, slow: bool = False):
        self.path, self.tier, self.slow = path, tier, slow


def test_heaviest_files_first_keeps_each_files_order():
    items = [_Item("a.py", "pure"), _Item("a.py", "pure"), _Item("b.py", "database"), _Item("c.py", "pure", slow=True),
             _Item("d.py", "browser"), _Item("b.py", "database")]
    ordered = heaviest_files_first(items, lambda item: item.tier, lambda item: item.slow)
    assert [item.path for item in ordered] == ["c.py", "d.py", "b.py", "b.py", "a.py", "a.py"]
    assert [items.index(item) for item in ordered if item.path == "b.py"] == [2, 5]
