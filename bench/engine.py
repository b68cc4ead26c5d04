"""One workflow step: the bare in-memory SpiffWorkflow cycle vs the project's persisted step.

Run: .venv/bin/python bench/engine.py [--steps N] [--pg-url URL] [--no-pg]
Diagram: workflows/program_lifecycle.bpmn (the real lifecycle), stage work ⇄ review (report
returned), so every step completes one user task and the instance never ends.

bare       runtime.deserialize(text) → complete_user_task (engine steps) → runtime.serialize
persisted  services.instances.complete_task in a new session + commit: load the row (and its open
           tasks/timers), restore on a spec lent by the process's pool (instance_state), the bare cycle,
           save without the spec, rebuild OpenTask and
           WorkflowTimer rows, audit entry, UPDATE with the optimistic lock, COMMIT (the hooks the
           diagram names do nothing here: the engine's cost, not the programs' and orders' records)
Target (issue): persisted step within 2x of the bare cycle. Also prints stored bytes per instance.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from engine.bootstrap import bootstrap  # noqa: E402
from engine.db import Base, make_engine  # noqa: E402
from engine.db.models import Organization, Person, RoleAssignment  # noqa: E402
from engine.domain_time import scheduled_stages  # noqa: E402
from engine.rules import known_ruleset_ids  # noqa: E402
from engine.services.people.actor import SYSTEM, load_actor  # noqa: E402
from engine.services.process import (
    definitions,  # noqa: E402
    instances,  # noqa: E402
)
from engine.services.process.domain import Domain  # noqa: E402
from engine.services.process.hooks import HookTable  # noqa: E402
from engine.workflow import load_process  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DIAGRAM = ROOT / "workflows" / "program_lifecycle.bpmn"
STAGES = [
    {"id": "diagnosis", "name": "Организационный", "planned_months": 1},
    {"id": "consultation", "name": "Консультационный", "planned_months": 4},
    {"id": "activity", "name": "Деятельностный", "planned_months": 9},
    {"id": "reflection", "name": "Рефлексивный", "planned_months": 1},
]
STARTED_ON = date.today().isoformat()  # no stage due yet: no reminder step
DATA = {"regulation": "tomsk", "stages": scheduled_stages(STARTED_ON, STAGES), "program_started_on": STARTED_ON, "reminder_days_before": 7, "mentor_id": "m1",
        "mentee_ids": ["e1"], "roadmap": 1}
FORMS = {
    "Task_stage_work": {"events_done": ["diagnosis.1"], "report": "Информационная справка: диагностика"},
    "Task_review_stage_report": {"approved": False, "comment": "Дополните справку"},
}
DEFAULT_PG = os.environ.get("NASTAVNIK_TEST_PG_URL") or "postgresql+psycopg://root@127.0.0.1:5432/test"


def engine_only() -> Domain:
    """The domain's rules and clock, and a hook table whose hooks do nothing."""
    domain, table = bootstrap(), HookTable()
    for name in domain.hooks.names():
        table.on_task(name, lambda step: None)
    return Domain(table, domain.rules, domain.clock)


def per_step(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


class Bare:
    """The bare in-memory cycle on a state string, as a service step would do without a database."""

    def __init__(self) -> None:
        spec = load_process(DIAGRAM.read_bytes(), DIAGRAM.name, known_rulesets=known_ruleset_ids())
        self.runtime = instances.make_runtime()
        self.state = self.runtime.serialize(self.runtime.start(spec, DATA))
        self.times: list[float] = []
        self.phases: dict[str, list[float]] = {"deserialize": [], "complete": [], "serialize": []}

    def step(self) -> None:
        runtime = self.runtime
        t0 = time.perf_counter()
        workflow = runtime.deserialize(self.state)
        t1 = time.perf_counter()
        task = runtime.ready_user_tasks(workflow)[0]
        runtime.complete_user_task(workflow, task.task_id, FORMS[task.element_id])
        t2 = time.perf_counter()
        self.state = runtime.serialize(workflow)
        t3 = time.perf_counter()
        self.times.append(t3 - t0)
        for name, value in zip(self.phases, (t1 - t0, t2 - t1, t3 - t2), strict=False):
            self.phases[name].append(value)


class Persisted:
    """complete_task through the service in a new session, committed."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        Base.metadata.create_all(self.engine)
        self.factory = engine_only().session_factory(self.engine)
        self.times: list[float] = []
        with self.factory() as session:
            org = Organization(kind="department", regulation="tomsk", name="Департамент (бенчмарк)")
            mentor = Person(full_name="Наставник", login=f"bench_mentor_{uuid.uuid4().hex[:6]}")
            curator = Person(full_name="Куратор", login=f"bench_curator_{uuid.uuid4().hex[:6]}")
            session.add_all([org, mentor, curator])
            session.flush()
            session.add_all([RoleAssignment(person=mentor, organization=org, role="mentor"),
                             RoleAssignment(person=curator, organization=org, role="curator")])
            definitions.deploy(session, SYSTEM, DIAGRAM.read_bytes(), DIAGRAM.name)
            instance = instances.start_instance(session, SYSTEM, "program_lifecycle", "program", org.id, {}, DATA)
            session.commit()
            self.actors = {"Task_stage_work": load_actor(session, mentor.login),
                           "Task_review_stage_report": load_actor(session, curator.login)}
            self.instance_id = instance.id
            self.first_bytes = len(instance.state.encode())
            task = instance.open_tasks[0]
            self.task_id, self.element = task.task_id, task.element_id

    def step(self) -> None:
        t0 = time.perf_counter()
        session = self.factory()
        try:
            instance = instances.complete_task(session, self.actors[self.element], self.instance_id, self.task_id,
                                               FORMS[self.element])
            session.commit()
            task = instance.open_tasks[0]
            self.task_id, self.element = task.task_id, task.element_id
        finally:
            session.close()
        self.times.append(time.perf_counter() - t0)

    def sizes(self) -> tuple[int, int]:
        with self.factory() as session:
            instance = session.get(instances.WorkflowInstance, self.instance_id)
            full = instances.unpack_state(instance.state, instance.definition)
            return len(instance.state.encode()), len(full.encode())

    def close(self) -> None:
        self.engine.dispose()


def main() -> int:  # noqa: C901 - the benchmark's options and phases, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()

    runs: dict[str, Bare | Persisted] = {"bare": Bare()}
    tmp = tempfile.TemporaryDirectory()
    runs["sqlite"] = Persisted(f"sqlite:///{tmp.name}/bench.sqlite3")
    admin, schema = None, f"bench_{uuid.uuid4().hex[:12]}"
    if not args.no_pg:
        try:
            admin = make_engine(args.pg_url, poolclass=NullPool, connect_args={"connect_timeout": 5})
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = make_url(args.pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
            runs["postgres"] = Persisted(url.render_as_string(hide_password=False))
        except Exception as error:  # noqa: BLE001
            print(f"postgres: skipped ({type(error).__name__}: {str(error).strip()[:200]})")
    try:
        gc.collect()
        for _ in range(args.steps):  # interleaved: the same load on the machine for all three
            for run in runs.values():
                run.step()
        bare = runs["bare"]
        base = per_step(bare.times)
        print(f"diagram: {DIAGRAM.relative_to(ROOT)} ({DIAGRAM.stat().st_size} bytes); {args.steps} steps "
              "(stage work / review returned, alternating); median per step")
        print(f"bare SpiffWorkflow cycle      {base:7.2f} ms  1.00x   ("
              + ", ".join(f"{k} {per_step(v):.2f}" for k, v in bare.phases.items()) + ")")
        for name, run in runs.items():
            if name == "bare":
                continue
            ms = per_step(run.times)
            print(f"persisted step, {name:<8}      {ms:7.2f} ms  {ms / base:.2f}x   target <= 2.00x: "
                  f"{'met' if ms / base <= 2 else 'MISSED'}")
        sqlite = runs["sqlite"]
        stored, full = sqlite.sizes()
        print(f"stored state per instance: {sqlite.first_bytes} bytes at start, {stored} after {args.steps} steps "
              f"(spec stripped; with the spec as the runtime writes it: {full}; "
              f"bare cycle state {len(bare.state.encode())})")
        print(json.dumps({"bare_ms": round(base, 3), **{f"{k}_ms": round(per_step(v.times), 3)
                                                         for k, v in runs.items() if k != "bare"},
                          "stored_bytes_start": sqlite.first_bytes, "stored_bytes_end": stored}))
    finally:
        for run in runs.values():
            if isinstance(run, Persisted):
                run.close()
        if admin is not None:
            try:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            except Exception:  # noqa: BLE001
                pass
            admin.dispose()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
