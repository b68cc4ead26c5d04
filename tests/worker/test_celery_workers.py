"""Two real Celery worker processes on a real Redis share the due timers of PostgreSQL, and every timer fires exactly
once — also when a worker is killed with SIGKILL in the middle of a job (the job is run again, its effect appears
once). The database decides (engine.services.jobs), not the broker."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench import timer_world
from engine.db.models import AuditEntry, Job, JobStatus, OpenTask

POSTGRES = pytest.mark.parametrize("db_backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
FAST = {"NASTAVNIK_TICK_SECONDS": "0.5", "NASTAVNIK_JOB_LEASE_SECONDS": "3"}


def _reminders_per_instance(engine) -> list[int]:
    with Session(engine) as session:
        return list(session.scalars(select(func.count()).select_from(OpenTask)
                                    .where(OpenTask.element_id == "Task_stage_reminder")
                                    .group_by(OpenTask.instance_id)))


def _fired_entries(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "workflow.timers_fired"))


@POSTGRES
def test_two_workers_fire_a_thousand_due_timers_exactly_once(db_engine, db_session_factory, processes):
    ids = timer_world.due_world(db_session_factory, 1000)
    processes.start("beat", "beat", "--loglevel", "WARNING", **FAST)
    workers = [processes.start(f"worker{n}", "worker", "--concurrency", "1", "--loglevel", "WARNING", **FAST)
               for n in range(2)]
    try:
        timer_world.wait_for(lambda: timer_world.jobs_by_status(db_engine).get(JobStatus.DONE.value) == 1000, 90,
                             "1000 timers fired", processes=tuple(workers))
    except (TimeoutError, RuntimeError):
        pytest.fail(f"{timer_world.jobs_by_status(db_engine)}\n{processes.output()}")
    assert timer_world.jobs_by_status(db_engine) == {JobStatus.DONE.value: 1000}  # one job per timer, all done
    assert _reminders_per_instance(db_engine) == [1] * len(ids)  # each instance's reminder opened once
    assert _fired_entries(db_engine) == 1000
    with Session(db_engine) as session:
        assert session.scalar(select(func.max(Job.attempts))) == 1  # no job ran twice
    heartbeats = timer_world.heartbeats(db_engine)
    assert heartbeats >= 1


@POSTGRES
def test_a_worker_killed_mid_job_loses_nothing_and_duplicates_nothing(db_engine, db_session_factory, processes,
                                                                       tmp_path: Path):
    [instance_id] = timer_world.due_world(db_session_factory, 1)
    mark = tmp_path / "mark"
    slow = {**FAST, "NASTAVNIK_TEST_MARK": str(mark), "NASTAVNIK_TEST_DWELL": "3"}
    processes.start("beat", "beat", "--loglevel", "WARNING", **FAST)
    first = processes.start("worker-a", "worker", "--concurrency", "1", "--loglevel", "INFO",
                            module="tests.worker.slow_worker", **slow)

    def started() -> list[list[str]]:
        return [line.split() for line in mark.read_text().splitlines()] if mark.exists() else []

    [[pid, job_id]] = timer_world.wait_for(started, 60, "the job started", processes=(first,))
    os.kill(int(pid), signal.SIGKILL)  # the pool process, its effect flushed and not committed
    second = processes.start("worker-b", "worker", "--concurrency", "1", "--loglevel", "INFO",
                             module="tests.worker.slow_worker", **slow)
    try:
        timer_world.wait_for(lambda: timer_world.jobs_by_status(db_engine).get(JobStatus.DONE.value) == 1, 60,
                             "the job done after the kill", processes=(second,))
    except (TimeoutError, RuntimeError):
        pytest.fail(f"{timer_world.jobs_by_status(db_engine)}\n{processes.output()}")
    runs = started()
    assert len(runs) >= 2 and runs[0][0] != runs[-1][0]  # run again, by another process
    assert {run[1] for run in runs} == {job_id}
    with Session(db_engine) as session:
        job = session.get(Job, int(job_id))
        assert (job.status, job.attempts, job.instance_id) == (JobStatus.DONE.value, 1, instance_id)
    assert _reminders_per_instance(db_engine) == [1]  # the effect once
    assert _fired_entries(db_engine) == 1
