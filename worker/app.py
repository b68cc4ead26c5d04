"""The Celery application: a Redis broker, no result backend, late acknowledgement, one message at a time.

    celery -A worker.app worker     # or: nastavnik worker [--concurrency N] [--beat]
    celery -A worker.app beat       # or: nastavnik beat

Three tasks. ``nastavnik.tick`` (sent by beat every NASTAVNIK_TICK_SECONDS): the scheduler's tick
(``engine.services.jobs.scheduler.tick``: due timers become jobs, periodic jobs, the heartbeat) and one
``nastavnik.run_jobs`` message per NASTAVNIK_JOB_BATCH jobs it hands out (default 50). ``nastavnik.run_jobs(ids)``:
``runner.run_jobs`` — the timer jobs among them in one transaction (one claim, one commit, one append to the audit
chain), the others one by one; ``nastavnik.run_job(job_id)``: ``runner.run_job`` (one job: what a batch of one is).
The claim is in the effect's transaction, so a job runs once however many times the broker delivers its message.
A full hand-out sends the next tick in the middle of its messages, not after them: the next jobs are handed out
while the workers still have half of these to do, so no worker waits for a tick and the queue stays short.
A message is acknowledged after its task (``task_acks_late``) and given back when the process running it dies
(``task_reject_on_worker_lost``); a job whose message is lost anyway is handed out again by a tick after the
lease (NASTAVNIK_JOB_LEASE_SECONDS). Each pool process builds its own engine and domain after the fork
(``worker_process_init``): no database connection crosses a fork.
"""
from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery, signals

from worker import logs, settings
from worker.runtime import Runtime

log = logging.getLogger(__name__)

TICK = "nastavnik.tick"
RUN_JOB = "nastavnik.run_job"
RUN_JOBS = "nastavnik.run_jobs"
MODE = "celery"
VISIBILITY_TIMEOUT = 120  # seconds: a message taken by a worker that vanished goes back to the queue after this
TICK_LIMIT = 500  # jobs handed out per tick; a full batch sends the next tick at once


def configure(target: Celery, broker: str | None = None) -> Celery:
    """Settings on ``target`` from the environment (``broker`` overrides NASTAVNIK_BROKER_URL)."""
    interval = settings.tick_seconds()
    target.conf.update(
        broker_url=broker or settings.broker_url() or "redis://127.0.0.1:6379/0",
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        worker_hijack_root_logger=True,
        worker_redirect_stdouts=False,
        beat_scheduler="celery.beat:Scheduler",  # in memory: beat keeps no schedule file
        beat_schedule={"nastavnik-tick": {"task": TICK, "schedule": interval,
                                          "options": {"expires": max(interval * 2, 1.0)}}},
        timezone="UTC",
        enable_utc=True,
    )
    return target


app = configure(Celery("nastavnik"))

_runtime: dict[str, Any] = {}  # {"pid": …, "runtime": Runtime} of this process


def runtime() -> Runtime:
    """This process's runtime, built on first use after a fork (a runtime inherited from the parent is dropped,
    its connections never used here)."""
    if _runtime.get("pid") != os.getpid():
        _runtime.clear()
        _runtime.update(pid=os.getpid(), runtime=Runtime.build())
    built: Runtime = _runtime["runtime"]
    return built


@signals.setup_logging.connect
def _logging(loglevel: Any = None, **_: Any) -> None:
    """Celery's processes log as the server does (``worker.logs``: NASTAVNIK_LOG_FORMAT; NASTAVNIK_LOG_LEVEL, else
    the worker's ``--loglevel``); connected, this replaces Celery's own logging set-up."""
    logs.configure(default_level=loglevel)


@signals.worker_process_init.connect
def _after_fork(**_: Any) -> None:
    _runtime.clear()
    runtime()


@signals.worker_process_shutdown.connect
def _before_exit(**_: Any) -> None:
    if _runtime.get("pid") == os.getpid():
        _runtime["runtime"].dispose()
        _runtime.clear()


@app.task(name=TICK, ignore_result=True)
def tick() -> int:
    """The scheduler's tick; one ``run_jobs`` message per NASTAVNIK_JOB_BATCH jobs handed out; after a full hand-out
    another tick, sent with its middle message."""
    ids = runtime().tick(mode=MODE, limit=TICK_LIMIT)
    size = settings.job_batch()
    chunks = [ids[at:at + size] for at in range(0, len(ids), size)]
    if chunks:
        with app.producer_or_acquire() as producer:
            for n, chunk in enumerate(chunks):
                if len(ids) >= TICK_LIMIT and n == len(chunks) // 2:
                    tick.apply_async(producer=producer)
                if len(chunk) == 1:
                    run_job.apply_async((chunk[0],), producer=producer)
                else:
                    run_jobs.apply_async((chunk,), producer=producer)
    return len(ids)


@app.task(name=RUN_JOB, ignore_result=True)
def run_job(job_id: int) -> str:
    return runtime().run(int(job_id)).value


@app.task(name=RUN_JOBS, ignore_result=True)
def run_jobs(job_ids: list[int]) -> dict[str, int]:
    outcomes = runtime().run_many([int(job_id) for job_id in job_ids])
    counted: dict[str, int] = {}
    for outcome in outcomes.values():
        counted[outcome.value] = counted.get(outcome.value, 0) + 1
    return counted
