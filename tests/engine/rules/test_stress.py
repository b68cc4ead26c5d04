"""No segfault and no leak: 250,000 decisions mixing all rulesets and unmatched facts, from 8 threads
and forked processes at once; memory stays flat (warm-up excluded).

Sized to keep the suite fast without losing the point: the memory bound scales with the count (4 MiB for
250,000 decisions, 16.8 bytes a decision, as 16 MiB was for the 1,000,000 this test used to make), so a leak
of a pointer or two per decision still fails it; a sound run grows by about 0.9 MiB whatever the count
(measured at 100,000, 250,000 and 1,000,000). ``bench/rules.py`` measures the throughput."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("stress_decisions.py")
TOTAL, PROCESSES, THREADS = 250_000, 2, 8
MAX_GROWTH_KIB = 4 * 1024


@pytest.mark.slow
def test_many_decisions_threads_and_forks():
    result = subprocess.run([sys.executable, str(SCRIPT), str(TOTAL), str(PROCESSES), str(THREADS)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"exit {result.returncode} (negative = killed by a signal)\n{result.stderr[-2000:]}"
    report = json.loads(result.stdout)
    decisions = report["parent_decisions"] + sum(child["decisions"] for child in report["children"])
    assert decisions >= TOTAL - 10
    assert all(child["status"] == 0 for child in report["children"]), report
    assert report["rss_end_kib"] - report["rss_start_kib"] < MAX_GROWTH_KIB, report
    assert all(child["rss_growth_kib"] < MAX_GROWTH_KIB for child in report["children"]), report
