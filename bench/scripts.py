"""What bounding scripts costs: a workflow step whose scripts and expressions run in a pooled child
(``engine.workflow.bounded``, today) vs the same step running them in the server process (before issue 11).

Run: .venv/bin/python bench/scripts.py [--steps N]
Diagram: workflows/program_lifecycle.bpmn, stage work ⇄ review (report returned), the bare in-memory cycle
(deserialize → complete_user_task → serialize) as in bench/engine.py; also one script's round trip alone.
Prints the ratio per step (the two interleaved step by step) and per script call, and how many calls a step makes.
Measured 2026-12-06 on the shared 2-CPU machine (load ~5): step 18.3 → 18.7 ms (1.02x), 0.5 calls per step;
one script 34–79 µs in process → 190–310 µs in a warm child.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.rules import known_ruleset_ids  # noqa: E402
from engine.services.process import instance_steps  # noqa: E402
from engine.workflow import bounded, load_process, sandbox  # noqa: E402
from engine.workflow.clock import clock_functions  # noqa: E402
from engine.workflow.spiff import specs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DIAGRAM = ROOT / "workflows" / "program_lifecycle.bpmn"
STAGES = [{"id": "diagnosis", "name": "Организационный", "planned_months": 1, "due_at": "2026-10-01"},
          {"id": "consultation", "name": "Консультационный", "planned_months": 4, "due_at": "2027-01-01"},
          {"id": "activity", "name": "Деятельностный", "planned_months": 9, "due_at": "2027-10-01"},
          {"id": "reflection", "name": "Рефлексивный", "planned_months": 1, "due_at": "2027-11-01"}]
DATA = {"regulation": "tomsk", "stages": STAGES, "reminder_days_before": 7, "mentor_id": "m1",
        "mentee_ids": ["e1"], "roadmap": 1}
FORMS = {"Task_stage_work": {"events_done": ["diagnosis.1"], "report": "Информационная справка: диагностика"},
         "Task_review_stage_report": {"approved": False, "comment": "Дополните справку"}}
BOUNDED_RUN = specs._SandboxEnvironment._run
CALLS = [0]


def in_process(self, mode: str, source: str, data: dict, names: dict | None):
    """The environment as it was: the sandbox in the server process, no time or memory bound."""
    functions = {**clock_functions(self.clock), **self.functions, **(names or {})}
    if mode == "eval":
        return sandbox.safe_eval(source, data, functions)
    changed = dict(data)
    sandbox.safe_exec(source, changed, functions)
    return changed


def counted(run):
    def wrapper(self, *args):
        CALLS[0] += 1
        return run(self, *args)
    return wrapper


def cycle_ms(steps: int) -> tuple[float, float, float]:
    """Median ms per step of the bare cycle with scripts in the server process and in a bounded child,
    interleaved step by step (the same load on the machine for both), and script/expression calls per step."""
    spec = load_process(DIAGRAM.read_bytes(), DIAGRAM.name, known_rulesets=known_ruleset_ids())
    runtime = instance_steps.make_runtime()
    ways = {"inline": counted(in_process), "bounded": counted(BOUNDED_RUN)}
    states, times = {}, {name: [] for name in ways}
    for name, run in ways.items():
        specs._SandboxEnvironment._run = run  # type: ignore[method-assign]
        states[name] = runtime.serialize(runtime.start(spec, DATA))
    CALLS[0] = 0
    for _ in range(steps):
        for name, run in ways.items():
            specs._SandboxEnvironment._run = run  # type: ignore[method-assign]
            started = time.perf_counter()
            workflow = runtime.deserialize(states[name])
            task = runtime.ready_user_tasks(workflow)[0]
            runtime.complete_user_task(workflow, task.task_id, FORMS[task.element_id])
            states[name] = runtime.serialize(workflow)
            times[name].append(time.perf_counter() - started)
    specs._SandboxEnvironment._run = BOUNDED_RUN  # type: ignore[method-assign]
    return (statistics.median(times["inline"]) * 1000, statistics.median(times["bounded"]) * 1000,
            CALLS[0] / steps / 2)


def call_us(run, repeats: int) -> float:
    data = {**DATA, "x": 1}
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run(data)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()
    bounded.pool().run("exec", "y = 1", {}, now="2026-01-01T00:00:00+00:00")  # the children warm
    before, after, calls = cycle_ms(args.steps)
    script = "y = x + 1\nlabels = [s['name'] for s in stages]"
    now = "2026-01-01T00:00:00+00:00"
    inline = call_us(lambda d: sandbox.safe_exec(script, dict(d), clock_functions(bounded.FixedClock(now))), 500)
    pooled = call_us(lambda d: bounded.pool().run("exec", script, d, now=now), 500)
    print(f"diagram: {DIAGRAM.relative_to(ROOT)}; {args.steps} steps; {calls:.1f} script/expression calls per step")
    print(f"step, scripts in the server process   {before:7.2f} ms  1.00x")
    print(f"step, scripts in a bounded child      {after:7.2f} ms  {after / before:.2f}x")
    print(f"one script in the server process      {inline:7.1f} µs")
    print(f"one script in a bounded child         {pooled:7.1f} µs  {pooled / inline:.1f}x")
    print(json.dumps({"step_ms_in_process": round(before, 3), "step_ms_bounded": round(after, 3),
                      "script_us_in_process": round(inline, 1), "script_us_bounded": round(pooled, 1),
                      "calls_per_step": round(calls, 2)}))
    bounded.pool().close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
