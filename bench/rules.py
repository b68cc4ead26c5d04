"""Decisions per second: bare durable_rules, the project's durable_rules path, the reference evaluator.

Run: .venv/bin/python bench/rules.py [--decisions N]
The three are measured in the same run on the same fact sets (all four shipped rulesets, mixed).
Targets (issue 2): project path within 1.5x of bare durable_rules; at least 10,000 decisions/s.
"""
from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.rules import default_registry  # noqa: E402
from engine.rules.durable_backend import backend, bare_host_for_benchmark  # noqa: E402
from engine.rules.facts import normalise  # noqa: E402
from tests.engine.rules.reference import evaluate  # noqa: E402

SAMPLES = {
    "mentor_eligibility_tomsk": lambda r: {
        "years_as_head": r.choice([3, 5, 8, 12]), "contest_level": r.choice(["municipal", "regional", "federal"]),
        "contest_result": r.choice(["winner", "laureate", "participant"]), "efficiency_percent": r.choice([50, 80, 81, 95]),
        "has_mentorship_certificate": r.random() < 0.8},
    "network_mentor_yakutsk": lambda r: {
        "experience_years": r.choice([1, 3, 10]), "high_result_directions": r.choice([[], ["математика"], ["a", "b"]]),
        "communication_skills": r.random() < 0.9, "ready_to_share": r.random() < 0.9},
    "mentee_category_tomsk": lambda r: {
        "in_management_reserve": r.random() < 0.3, "is_head": r.random() < 0.7, "months_as_head": r.choice([2, 12, 40]),
        "school_low_results": r.random() < 0.2, "efficiency_percent": r.choice([30, 50, 51, 90])},
    "mentor_bonus_tomsk": lambda r: {
        "mentee_count": r.choice([0, 1, 2, 3, 7]), "roadmap_fulfilled": r.random() < 0.9,
        "reports_submitted": r.random() < 0.9, "attended_mentor_events": r.random() < 0.8,
        "analytical_materials": r.random() < 0.8},
}


def workload(count: int) -> list[tuple[str, dict]]:
    rng = random.Random(20261121)
    ids = sorted(SAMPLES)
    return [(ids[i % len(ids)], SAMPLES[ids[i % len(ids)]](rng)) for i in range(count)]


def timed(label: str, run, count: int) -> dict:
    gc.collect()
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    return {"path": label, "decisions": count, "seconds": round(seconds, 4),
            "decisions_per_second": round(count / seconds), "microseconds_per_decision": round(seconds / count * 1e6, 2)}


def main() -> None:  # noqa: C901 - the benchmark's options and phases, read top to bottom
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=40_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    registry = default_registry()
    work = workload(args.decisions)
    rulesets = {rid: registry.get(rid) for rid in SAMPLES}

    fired: list = []
    bare = {rid: bare_host_for_benchmark(ruleset, fired) for rid, ruleset in rulesets.items()}
    durable = backend()
    compiled = {rid: durable.compile(ruleset) for rid, ruleset in rulesets.items()}
    # The bare path gets the facts already typed and shaped: only durable_rules' own work is timed.
    messages = [(rid, durable.message(compiled[rid], normalise(rulesets[rid], facts)[0])) for rid, facts in work]

    def run_bare() -> None:
        for index, (rid, message) in enumerate(messages):
            host, name = bare[rid]
            sid = str(index)
            host.assert_fact(name, {**message, "sid": sid})
            host.delete_state(name, sid)
            fired.clear()

    def run_project() -> None:
        for rid, facts in work:
            registry.decide(rid, facts)

    def run_reference() -> None:
        for rid, facts in work:
            evaluate(rulesets[rid], facts)

    warm = min(2000, len(work))
    for rid, facts in work[:warm]:
        registry.decide(rid, facts)
    results = []
    for _ in range(2):  # interleaved twice; the better of each is kept
        results.append([timed("bare durable_rules", run_bare, len(work)),
                        timed("project (durable_rules path)", run_project, len(work)),
                        timed("reference evaluator (plain Python)", run_reference, len(work))])
    best = [min((run[i] for run in results), key=lambda r: r["seconds"]) for i in range(3)]
    ratio = best[1]["seconds"] / best[0]["seconds"]
    summary = {"results": best, "project_over_bare": round(ratio, 3),
               "target_ratio_max": 1.5, "target_decisions_per_second_min": 10_000,
               "meets_targets": ratio <= 1.5 and best[1]["decisions_per_second"] >= 10_000}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    for row in best:
        print(f"{row['path']:<38} {row['decisions_per_second']:>9,} decisions/s  {row['microseconds_per_decision']:>8.2f} µs/decision")
    print(f"project / bare durable_rules: {ratio:.2f}x (target ≤ 1.5x); "
          f"project: {best[1]['decisions_per_second']:,}/s (target ≥ 10,000/s) -> "
          f"{'OK' if summary['meets_targets'] else 'MISSED'}")


if __name__ == "__main__":
    main()
