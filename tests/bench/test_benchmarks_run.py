"""The benchmarks in ``bench/`` keep running as the product changes: each runs a few rounds on the real
diagrams and rules and prints its JSON line (its figures are measured by running it, not here)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _figures(*arguments: str) -> dict:
    done = subprocess.run([sys.executable, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    output = done.stdout.strip()
    figures = json.loads(output[output.rindex("\n{") + 1:] if "\n{" in output else output)
    assert any(isinstance(value, float) and value > 0 for value in figures.values()), figures
    return figures


def test_the_engine_benchmark_measures_the_users_steps_on_each_database(db_url, db_backend):
    """Programs grown through the services to 4 and 9 completed tasks: the head signs the extension order two
    tasks before, the mentor marks an event one before, the curator approves at the size; each step beside the
    bare SpiffWorkflow cycle on the same state, with its statements and stored bytes; the profile on SQLite."""
    on = ["--no-pg", "--profile", "--profile-size", "9"] if db_backend == "sqlite" else ["--no-sqlite", "--pg-url", db_url]
    figures = _figures("bench/engine.py", "--sizes", "4,9", "--samples", "1", *on)
    for size in (4, 9):
        for kind, before in (("approve", 0), ("sign", 2), ("mark", 1)):
            step = f"cold_{db_backend}_{kind}@{size}"
            assert figures[f"{step}_done"] == size - before, (step, figures)
            assert figures[f"{step}_real_p50_ms"] > 0 and figures[f"{step}_bare_p50_ms"] > 0, step
            assert figures[f"{step}_statements"] > 0 and figures[f"{step}_stored_bytes"] > 0, step
        assert figures[f"cold_{db_backend}_approve@{size}_stored_bytes"] > figures[f"cold_{db_backend}_sign@{size}_stored_bytes"]
    if db_backend == "sqlite":
        assert 0 < figures["cold_sqlite_profile_beyond_bare"] < 1


@pytest.mark.parametrize("arguments", [["bench/rules.py", "--decisions", "200", "--json"],
                                       ["bench/scripts.py", "--steps", "6"]], ids=["rules", "scripts"])
def test_a_benchmark_runs_to_its_figures(arguments):
    _figures(*arguments)


def test_the_staff_import_benchmark_runs_on_each_database(db_url, db_backend):
    on = ["--no-pg"] if db_backend == "sqlite" else ["--pg-url", db_url]
    figures = _figures("bench/staff_import.py", "--rows", "200", *on)
    assert figures["sqlite_csv_rows_per_s"] > 0 and figures["sqlite_xlsx_rows_per_s"] > 0


@pytest.mark.parametrize("db_backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_timer_benchmark_runs_with_real_workers(db_url):
    figures = _figures("bench/timers.py", "--timers", "60", "--workers", "1,2", "--pg-url", db_url,
                       "--broker", "redis://127.0.0.1:6379/6")
    assert figures["w1_per_s"] > 0 and figures["w2_per_s"] > 0 and figures["w2_p95_s"] >= figures["w2_p50_s"]


@pytest.mark.parametrize("db_backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_http_benchmark_runs_a_tiny_department_with_one_and_two_worker_processes(db_url):
    figures = _figures("bench/http_load.py", "--programs", "4", "--inbox-seconds", "1", "--clients", "2",
                       "--workers", "1,2", "--pg-url", db_url, "--json")
    assert figures["w1_approvals_requests"] == figures["w2_approvals_requests"] == 4.0
    assert figures["w1_inbox_per_s"] > 0 and figures["w2_inbox_per_s"] > 0
    assert figures["w1_approvals_errors"] == figures["w2_approvals_errors"] == 0.0
    assert figures["w2_inbox_p99_ms"] >= figures["w2_inbox_p50_ms"] > 0


def test_no_benchmark_module_shadows_the_standard_library():
    """A bench runs as ``python bench/x.py``: its folder comes first on the path, so a ``bench/http.py`` would be what
    every ``import http`` (urllib3, aiohttp, …) gets in every other bench."""
    import sys
    from pathlib import Path

    names = {path.stem for path in (Path(__file__).resolve().parents[2] / "bench").glob("*.py")}
    assert names & set(sys.stdlib_module_names) == set()
