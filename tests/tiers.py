"""The suite's four tiers, given to every test by ``tests/conftest.py`` at collection (no test file names
its tier; a new test is tiered by the same rule). ``pytest -m pure`` (or ``database``, ``scenario``,
``browser``) runs one tier; ``scripts/test.sh`` runs them all.

The first rule that holds gives the tier:

1. ``browser``  — the test drives Debian's chromium through Playwright: the ``browser`` fixture is among its
   fixtures (``web_page``, ``phone_page``, ``demo_page`` and every page fixture build on it);
2. ``scenario`` — the test starts from the demo's story or runs whole processes: it uses what the demo
   built (``demo_database``, the whole story; or a fixture on ``demo_worlds``: the services' ``demo``,
   ``api_world``, the curator's ``world``, …), or it lives in ``tests/engine/demo/`` (the demo's own run),
   or its body starts another process (calls ``subprocess``);
3. ``database`` — the test uses a database fixture (a fixture named ``db_…``: ``db_url``, ``db_engine``,
   ``db_session``, …) or lives in ``tests/engine/db/``;
4. ``pure``     — anything else: Python objects, files and parsers only; needs no server.

A test may name its tier itself (``@pytest.mark.database``); then the rule leaves it alone.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath

TIERS = ("pure", "database", "scenario", "browser")
BROWSER_FIXTURE = "browser"
DEMO_FIXTURES = ("demo_worlds", "demo_database")
SCENARIO_FOLDERS = ("engine/demo",)
DATABASE_FOLDERS = ("engine/db",)
DATABASE_FIXTURE_PREFIX = "db_"
# Roughly what one test of a tier costs (seconds), and a test marked ``slow``: to start the long files first.
COST = {"pure": 0.02, "database": 0.4, "scenario": 1.5, "browser": 5.0}
SLOW_COST = 40.0


def _under(path: PurePosixPath, folders: Iterable[str]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)


def starts_processes(function: Callable | None) -> bool:
    """Whether the test's own body names ``subprocess`` (runs a script, the installed command, alembic…)."""
    code = getattr(function, "__code__", None)
    return code is not None and "subprocess" in code.co_names


def tier_of(path: PurePosixPath, fixtures: Iterable[str], function: Callable | None = None) -> str:
    """The tier of a test at ``path`` (relative to ``tests/``) using ``fixtures`` (the whole closure)."""
    fixtures = set(fixtures)
    if BROWSER_FIXTURE in fixtures:
        return "browser"
    if fixtures.intersection(DEMO_FIXTURES) or _under(path, SCENARIO_FOLDERS) or starts_processes(function):
        return "scenario"
    if any(name.startswith(DATABASE_FIXTURE_PREFIX) for name in fixtures) or _under(path, DATABASE_FOLDERS):
        return "database"
    return "pure"


def heaviest_files_first(items: Sequence, tier: Callable, slow: Callable) -> list:
    """``items`` with whole files in descending estimated cost (a file's tests keep their order).
    pytest-xdist hands out files in this order (``--dist loadfile``), so the long files start early and the
    workers finish together instead of one waiting for the other's last long file."""
    cost: dict = defaultdict(float)
    first: dict = {}
    for index, item in enumerate(items):
        cost[item.path] += SLOW_COST if slow(item) else COST[tier(item)]
        first.setdefault(item.path, index)
    return sorted(items, key=lambda item: (-cost[item.path], first[item.path]))
