"""Due timers for the timer benchmark and the worker's tests: real program lifecycle instances
(workflows/program_lifecycle.bpmn, the Tomsk stages) whose first stage's reminder is due, cloned.

    ids = due_world(session_factory, count)       # count running instances, each with one due timer row
    make_due(engine, moment)                      # every timer row due at ``moment`` (the latency's zero)

One instance is started through the engine (the real start step, hooks and rows); the others are copies of
its rows (instance, open tasks, timer) inserted in batches: starting 10,000 through the engine would measure
the start, not the timers. Firing a copy is the same step as firing the original.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from engine.db.models import Job, Organization, Person, RoleAssignment, WorkerHeartbeat, WorkflowInstance
from engine.db.models.workflow import OpenTask, WorkflowTimer
from engine.domain_time import scheduled_stages
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances
from engine.services.process.timer_jobs import FIRE_TIMERS
from engine.workflow import FixedClock

ROOT = Path(__file__).resolve().parents[1]
DIAGRAM = ROOT / "workflows" / "program_lifecycle.bpmn"
STAGES = [
    {"id": "diagnosis", "name": "Организационный", "planned_months": 1},
    {"id": "consultation", "name": "Консультационный", "planned_months": 4},
    {"id": "activity", "name": "Деятельностный", "planned_months": 9},
    {"id": "reflection", "name": "Рефлексивный", "planned_months": 1},
]
BATCH = 1000


def lifecycle_data(started_on: date) -> dict[str, Any]:
    """A program started on ``started_on``: its first stage ends a month later, the reminder 7 days before."""
    started = started_on.isoformat()
    return {"regulation": "tomsk", "stages": scheduled_stages(started, STAGES), "program_started_on": started,
            "reminder_days_before": 7, "mentor_id": "m1", "mentee_ids": ["e1"], "roadmap": 1}


def _columns(row: Any, table: Any, skip: tuple[str, ...]) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in table.__table__.columns if c.key not in skip}


def due_world(sessions: sessionmaker[Session], count: int) -> list[int]:
    """``count`` running lifecycle instances with a due reminder timer each (committed); their ids."""
    with sessions() as session:
        org = Organization(kind="department", regulation="tomsk", name="Департамент (таймеры)")
        mentor = Person(full_name="Наставник Таймеров", login="timer_mentor")
        session.add_all([org, mentor])
        session.flush()
        session.add(RoleAssignment(person=mentor, organization=org, role="mentor"))
        definitions.deploy(session, SYSTEM, DIAGRAM.read_bytes(), DIAGRAM.name)
        started = datetime.now(UTC) - timedelta(days=27)  # started then: now its reminder is due, not fired
        first = instances.start_instance(session, SYSTEM, "program_lifecycle", "program", org.id, {},
                                         lifecycle_data(started.date()), clock=FixedClock(started))
        session.commit()
        if not first.timers:
            raise RuntimeError("the started lifecycle has no timer row")
        source = _columns(first, WorkflowInstance, ("id",))
        tasks = [_columns(t, OpenTask, ("id", "instance_id")) for t in first.open_tasks]
        timers = [_columns(t, WorkflowTimer, ("id", "instance_id")) for t in first.timers]
        ids = [first.id]
        while len(ids) < count:
            n = min(BATCH, count - len(ids))
            made = list(session.scalars(insert(WorkflowInstance).returning(WorkflowInstance.id, sort_by_parameter_order=True),
                                        [dict(source) for _ in range(n)]))
            session.execute(insert(OpenTask), [{**t, "instance_id": i} for i in made for t in tasks])
            session.execute(insert(WorkflowTimer), [{**t, "instance_id": i} for i in made for t in timers])
            session.commit()
            ids.extend(made)
        return ids


def make_due(engine: Engine, moment: datetime) -> None:
    """Every timer row due at ``moment`` and not yet enqueued (the engine finds them due: their state's are
    earlier), so the latency from due to fired counts from ``moment``."""
    with Session(engine) as session:
        session.execute(update(WorkflowTimer).values(fires_at=moment, enqueued_for=None))
        session.commit()


def reminders_open(engine: Engine) -> int:
    """Reminder tasks opened (one per instance whose timer fired)."""
    with Session(engine) as session:
        return len(session.scalars(select(OpenTask.id).where(OpenTask.element_id == "Task_stage_reminder")).all())


# ---- real worker processes (the benchmark and tests/worker start them the same way) ----------------------------

def command(*arguments: str) -> list[str]:
    """``nastavnik <arguments>`` run by this interpreter from this tree."""
    return [sys.executable, "-c", "import sys; from cli import main; sys.exit(main())", *arguments]


def start(arguments: list[str], url: str, broker: str | None, log: Path, **env: str) -> subprocess.Popen:
    """A ``nastavnik`` process on database ``url`` and ``broker`` (its own process group), output to ``log``."""
    environment = {**os.environ, "DATABASE_URL": url, **env}
    environment.pop("NASTAVNIK_BROKER_URL", None)
    if broker:
        environment["NASTAVNIK_BROKER_URL"] = broker
    with log.open("ab") as out:
        return subprocess.Popen(arguments, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Warm shutdown (SIGTERM) of the process group, SIGKILL if it lingers."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout)
        except ProcessLookupError:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # pool processes left behind


def flush_broker(broker: str) -> None:
    import redis

    redis.Redis.from_url(broker).flushdb()


def wait_for(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.2,
             processes: tuple[subprocess.Popen, ...] = ()) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{what}: process {process.args[3:]} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:g} s")
        time.sleep(every)


def process_cpu(pid: int) -> float:
    """CPU seconds process ``pid`` has used (0 when it is gone or not on this machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def named_pids(name: str) -> list[int]:
    """The processes whose command is ``name``; one that ends while they are listed is left out."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def group_pids(group: int) -> list[int]:
    """The processes of process group ``group`` (a started command and its pool processes)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) == group:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def heartbeats(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.scalars(select(WorkerHeartbeat.name).where(WorkerHeartbeat.mode == "celery")).all())


def jobs_by_status(engine: Engine, kind: str = FIRE_TIMERS) -> dict[str, int]:
    """The timer jobs (or another ``kind``'s) by status; the day's periodic jobs are not counted."""
    with Session(engine) as session:
        return dict(session.execute(select(Job.status, func.count()).where(Job.kind == kind)
                                    .group_by(Job.status)).all())
