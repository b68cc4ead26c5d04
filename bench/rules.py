"""Decisions per second for every shipped ruleset: bare durable_rules, the project's path, the reference evaluator.

Run: .venv/bin/python bench/rules.py [--decisions N] [--json]
Every ruleset under rules/ (every regulation pack) is measured on its own, the three paths in the same run on
the same fact sets, interleaved, the best of two rounds kept. The fact sets are drawn from each ruleset's own
declarations: numbers around the thresholds its conditions compare them with, every enum value, both booleans,
lists of 0-3 items, and now and then a fact left out (the «no data» paths).

- bare durable_rules: durable's own Host with the same compiled rules and actions that only note the rule's
  name, fed facts already typed and shaped (only durable_rules' work is timed);
- project: ``RuleRegistry.decide`` — typing the facts, durable_rules deciding, the explained decision;
- reference: the plain-Python evaluator of the tests (tests/engine/rules/reference.py), for scale.

Where the project's time goes is printed per ruleset too: typing the facts, the durable_rules call (the fact
as JSON, asserted in the ruleset's kept session, the fired rules noted, the fact retracted) and building the
explanation (the rest).

Targets (issue 14): every ruleset ≥ 10,000 decisions/s through the project path, and the project path at most
1.5× the time of bare durable_rules; one PASS/FAIL line per ruleset and one for all.
"""
from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.rules import default_registry  # noqa: E402
from engine.rules.durable_backend import backend, bare_host_for_benchmark  # noqa: E402
from engine.rules.expressions import And, Compare, Expr, Not, Or  # noqa: E402
from engine.rules.facts import normalise  # noqa: E402
from engine.rules.model import Fact, Ruleset  # noqa: E402
from tests.engine.rules.reference import evaluate  # noqa: E402

MIN_DECISIONS_PER_SECOND = 10_000
MAX_PROJECT_OVER_BARE = 1.5
MISSING_SHARE = 0.05  # a fact left out now and then: the «no data» paths are decided too
LIST_ITEMS = ("математика", "физика", "управление")


def _compared(expr: Expr | None, found: dict[str, set[float]]) -> None:
    if isinstance(expr, Compare):
        value = expr.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            found.setdefault(expr.field, set()).add(value)
    elif isinstance(expr, Not):
        _compared(expr.operand, found)
    elif isinstance(expr, (And, Or)):
        for operand in expr.operands:
            _compared(operand, found)


def thresholds(ruleset: Ruleset) -> dict[str, list[float]]:
    """fact -> the numbers the ruleset's conditions compare it (or its count) with."""
    found: dict[str, set[float]] = {}
    for criterion in ruleset.criteria:
        _compared(criterion.condition, found)
    for output in ruleset.outputs:
        for case in output.cases:
            _compared(case.when, found)
    return {name: sorted(values) for name, values in found.items()}


def _value_maker(fact: Fact, compared: list[float]) -> Callable[[random.Random], object]:
    if fact.type == "number":
        near = sorted({t + d for t in compared or [0] for d in (-1, 0, 1)})
        low = fact.minimum if fact.minimum is not None else -1e9
        high = fact.maximum if fact.maximum is not None else 1e9
        choices = [int(v) if fact.integer else v for v in near if low <= v <= high] or [low]
        return lambda rng: rng.choice(choices)
    if fact.type == "bool":
        return lambda rng: rng.random() < 0.7
    if fact.type == "enum":
        values = sorted(fact.values)
        return lambda rng: rng.choice(values)
    return lambda rng: list(LIST_ITEMS[:rng.randint(0, 3)])


def fact_maker(ruleset: Ruleset) -> Callable[[random.Random], dict]:
    compared = thresholds(ruleset)
    makers = {name: _value_maker(fact, compared.get(name, [])) for name, fact in ruleset.facts.items()}

    def make(rng: random.Random) -> dict:
        return {name: maker(rng) for name, maker in makers.items() if rng.random() >= MISSING_SHARE}

    return make


def timed(run: Callable[[], None], count: int) -> float:
    """Decisions per second of one run."""
    gc.collect()
    start = time.perf_counter()
    run()
    return count / (time.perf_counter() - start)


def bare_paths(ruleset: Ruleset, work: list[dict]) -> dict[str, Callable[[], None]]:
    """bare durable_rules on facts already typed and shaped (only durable_rules' own work is timed), and the
    project's own durable_rules call on the same typed facts."""
    fired: list = []
    host, name = bare_host_for_benchmark(ruleset, fired)
    durable = backend()
    compiled = durable.compile(ruleset)
    typed = [normalise(ruleset, facts)[0] for facts in work]
    messages = [durable.message(compiled, facts) for facts in typed]

    def run_bare() -> None:
        for index, message in enumerate(messages):
            sid = str(index)
            host.assert_fact(name, {**message, "sid": sid})
            host.delete_state(name, sid)
            fired.clear()

    def run_durable_call() -> None:
        for facts in typed:
            durable.fire(compiled, facts)

    return {"bare": run_bare, "durable_call": run_durable_call}


def project_paths(registry, ruleset: Ruleset, work: list[dict]) -> dict[str, Callable[[], None]]:  # noqa: ANN001
    def run_project() -> None:
        for facts in work:
            registry.decide(ruleset.id, facts)

    def run_reference() -> None:
        for facts in work:
            evaluate(ruleset, facts)

    def run_typing() -> None:
        for facts in work:
            normalise(ruleset, facts)

    return {"project": run_project, "reference": run_reference, "typing": run_typing}


def measure(registry, ruleset_id: str, count: int) -> dict:  # noqa: ANN001 - RuleRegistry
    ruleset = registry.get(ruleset_id)
    make = fact_maker(ruleset)
    rng = random.Random(f"20261121-{ruleset_id}")
    work = [make(rng) for _ in range(count)]
    paths = {**bare_paths(ruleset, work), **project_paths(registry, ruleset, work)}
    for facts in work[:1000]:  # warm: the registry's and the engine's first calls
        registry.decide(ruleset_id, facts)
    best = {label: 0.0 for label in paths}
    for _ in range(2):  # interleaved: each path once per round, the better round kept
        for label, run in paths.items():
            best[label] = max(best[label], timed(run, count))
    project_us = 1e6 / best["project"]
    typing_us, durable_us = 1e6 / best["typing"], 1e6 / best["durable_call"]
    return {
        "bare_decisions_per_second": round(best["bare"]),
        "project_decisions_per_second": round(best["project"]),
        "reference_decisions_per_second": round(best["reference"]),
        "project_over_bare": round(best["bare"] / best["project"], 3),
        "project_microseconds": round(project_us, 2),
        "typing_microseconds": round(typing_us, 2),
        "durable_call_microseconds": round(durable_us, 2),
        "explanation_microseconds": round(max(project_us - typing_us - durable_us, 0.0), 2),
    }


def verdict(row: dict) -> bool:
    return (row["project_decisions_per_second"] >= MIN_DECISIONS_PER_SECOND
            and row["project_over_bare"] <= MAX_PROJECT_OVER_BARE)


def machine() -> dict:
    """Where and when the figures were taken: they are only comparable within one run."""
    return {"date": datetime.datetime.now().astimezone().isoformat(timespec="minutes"),
            "cpus": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2),
            "python": platform.python_version(), "processor": platform.machine()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=10_000, help="fact sets per ruleset")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    registry = default_registry()
    before = machine()
    rows = {ruleset_id: measure(registry, ruleset_id, args.decisions) for ruleset_id in registry.ids()}
    summary = {
        "machine": {**before, "load_average_1m_after": round(os.getloadavg()[0], 2)},
        "decisions_per_ruleset": args.decisions,
        "rulesets": rows,
        "min_project_decisions_per_second": float(min(r["project_decisions_per_second"] for r in rows.values())),
        "max_project_over_bare": float(max(r["project_over_bare"] for r in rows.values())),
        "target_decisions_per_second_min": MIN_DECISIONS_PER_SECOND,
        "target_ratio_max": MAX_PROJECT_OVER_BARE,
        "meets_targets": all(verdict(row) for row in rows.values()),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    where = summary["machine"]
    print(f"{where['date']}, {where['cpus']} CPUs ({where['processor']}), load {where['load_average_1m']} → "
          f"{where['load_average_1m_after']}, Python {where['python']}")
    print(f"{args.decisions:,} decisions per ruleset, best of 2 rounds; decisions/s, and the project's µs per decision")
    print(f"{'ruleset':<28}{'bare dr':>10}{'project':>10}{'reference':>11}{'proj/bare':>11}"
          f"{'typing':>9}{'durable':>9}{'explain':>9}")
    for ruleset_id, row in rows.items():
        print(f"{ruleset_id:<28}{row['bare_decisions_per_second']:>10,}{row['project_decisions_per_second']:>10,}"
              f"{row['reference_decisions_per_second']:>11,}{row['project_over_bare']:>10.2f}x"
              f"{row['typing_microseconds']:>9.1f}{row['durable_call_microseconds']:>9.1f}"
              f"{row['explanation_microseconds']:>9.1f}")
    for ruleset_id, row in rows.items():
        print(f"{'PASS' if verdict(row) else 'FAIL'} {ruleset_id}: project {row['project_decisions_per_second']:,}/s "
              f"(target ≥ {MIN_DECISIONS_PER_SECOND:,}/s), {row['project_over_bare']:.2f}× bare durable_rules "
              f"(target ≤ {MAX_PROJECT_OVER_BARE}×)")
    failed = [ruleset_id for ruleset_id, row in rows.items() if not verdict(row)]
    print(f"{'FAIL' if failed else 'PASS'} all {len(rows)} rulesets"
          + (f": {len(failed)} miss a target ({', '.join(failed)})" if failed else ""))


if __name__ == "__main__":
    main()
