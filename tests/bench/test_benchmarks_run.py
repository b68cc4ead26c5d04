"""The benchmarks in ``bench/`` keep running as the product changes: each runs a few rounds on the real
diagrams and rules and prints its JSON line (its figures are measured by running it, not here)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

RUNS = [
    pytest.param(["bench/engine.py", "--steps", "6"], id="engine"),
    pytest.param(["bench/rules.py", "--decisions", "200", "--json"], id="rules"),
]


@pytest.mark.parametrize("arguments", RUNS)
def test_a_benchmark_runs_to_its_figures(arguments, db_url, db_backend):
    command = [sys.executable, *arguments]
    if arguments[0] == "bench/engine.py":
        command += ["--no-pg"] if db_backend == "sqlite" else ["--pg-url", db_url]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    output = done.stdout.strip()
    figures = json.loads(output[output.rindex("\n{") + 1:] if "\n{" in output else output)
    assert any(isinstance(value, float) and value > 0 for value in figures.values()), figures
