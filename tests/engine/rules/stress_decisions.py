"""Run as a script by test_stress.py: many decisions across all rulesets, unmatched and junk facts,
8 threads and forked processes at once; prints a JSON report. A segfault shows as a signal exit."""
from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from engine.rules import default_registry  # noqa: E402

FACT_SETS = [
    ("mentor_eligibility_tomsk", {"years_as_head": 6, "contest_level": "regional", "contest_result": "winner",
                                  "efficiency_percent": 90, "has_mentorship_certificate": True}),
    ("mentor_eligibility_tomsk", {}),  # matches no criterion rule: only the catch-all
    ("mentor_eligibility_tomsk", {"years_as_head": "10", "efficiency_percent": 1e-7, "x": [1]}),
    ("network_mentor_yakutsk", {"experience_years": 2, "high_result_directions": ["a"] * 50}),
    ("mentee_category_tomsk", {"is_head": True, "months_as_head": 3, "school_low_results": True,
                               "efficiency_percent": 50, "in_management_reserve": False}),
    ("mentee_category_tomsk", {"is_head": None}),
    ("mentor_bonus_tomsk", {"mentee_count": 3, "roadmap_fulfilled": False, "reports_submitted": True,
                            "attended_mentor_events": True, "analytical_materials": True}),
    ("mentor_bonus_tomsk", {"mentee_count": float("nan")}),
]


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def decide_many(registry, count: int, offset: int) -> None:
    for i in range(count):
        ruleset_id, facts = FACT_SETS[(i + offset) % len(FACT_SETS)]
        registry.decide(ruleset_id, facts)


def main() -> None:
    total, processes, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    registry = default_registry()
    decide_many(registry, 20_000, 0)  # warm up: caches, allocator pools
    rss_start = rss_kib()
    per_process = total // (processes + 1)
    per_thread = per_process // threads

    workers = [threading.Thread(target=decide_many, args=(registry, per_thread, n)) for n in range(threads)]
    for worker in workers:
        worker.start()
    children = []
    for n in range(processes):  # forked while the threads are deciding
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            child_start = rss_kib()
            decide_many(registry, per_process, n)
            report = json.dumps({"decisions": per_process, "rss_growth_kib": rss_kib() - child_start})
            os.write(write_end, report.encode())
            os._exit(0)
        os.close(write_end)
        children.append((pid, read_end))
    for worker in workers:
        worker.join()
    child_reports = []
    for pid, read_end in children:
        data = b""
        while chunk := os.read(read_end, 4096):
            data += chunk
        _, status = os.waitpid(pid, 0)
        child_reports.append({"status": status, **(json.loads(data) if data else {})})
    print(json.dumps({
        "parent_decisions": per_thread * threads,
        "children": child_reports,
        "rss_start_kib": rss_start,
        "rss_end_kib": rss_kib(),
    }))


if __name__ == "__main__":
    main()
