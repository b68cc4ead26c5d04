"""What a runner of jobs holds: the database engine, the domain, its sessions — built in the process that runs
the jobs (a Celery pool process after the fork, the embedded thread's server, a command), never shared across a
fork. And the two things every mode does with it: a tick and running one job.

    runtime = Runtime.build(url=None)            # DATABASE_URL; bootstrap(); the deployed rule versions run
    ids = runtime.tick(mode="celery")            # the sweeps, the heartbeat, the jobs to hand out
    runtime.run(job_id)                          # run one job (exactly once: engine.services.jobs.runner)
    runtime.run_many(job_ids)                    # several: the batched kinds in one transaction (runner.run_jobs)
    runtime.run_due()                            # a tick and every job it hands out, inline (no broker)

Before each tick and each job (or batch) the process follows the database's deployed rule file and regulation pack
versions (``follow_deployed``: one small check, a reload only when a methodologist deployed another version), as
the web app's processes do before each request: a job decides by the version deployed when it runs.
"""
from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from engine.bootstrap import bootstrap
from engine.db import make_engine
from engine.db.models import Job
from engine.errors import NastavnikError
from engine.regulations import PackError
from engine.services.jobs import runner, scheduler
from engine.services.process import workflow_cache
from engine.services.process.domain import Domain
from worker import logs, metrics, settings

log = logging.getLogger(__name__)


def runner_name() -> str:
    """This process's name in the heartbeats: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def activate_deployed(session: Session) -> None:
    """Run this database's deployed rule and pack versions (as the web app and the commands do)."""
    from engine.services.methodology import pack_running, rule_deployment

    try:
        rule_deployment.activate_deployed(session)
        session.commit()
        try:
            pack_running.activate_deployed(session)
        except PackError as error:  # the shipped pack serves
            log.warning("deployed regulation pack not loaded: %s", error)
        session.commit()
    except (OperationalError, ProgrammingError):  # no tables yet: the tick will say so
        session.rollback()


@dataclass
class Runtime:
    engine: Engine
    domain: Domain
    sessions: sessionmaker[Session]

    @classmethod
    def build(cls, url: str | None = None, *, domain: Domain | None = None) -> Runtime:
        engine = make_engine(url)
        if workflow_cache.configured_size() is None:  # a job steps an instance once: keeping workflows only holds specs
            workflow_cache.workflows().resize(0)
        domain = domain or bootstrap()
        metrics.observe(domain.events)  # the jobs, timers, steps and notifications this process runs are counted
        sessions = domain.session_factory(engine)
        with sessions() as session:
            activate_deployed(session)
        return cls(engine, domain, sessions)

    def follow_deployed(self) -> None:
        """Run the rule file and pack versions deployed now (a check; a reload only when they changed)."""
        from engine.services.methodology import pack_running, rule_deployment

        rule_deployment.follow_deployed(self.sessions, check_first=True)
        pack_running.follow_deployed(self.sessions, check_first=True)

    def tick(self, *, mode: str, now: datetime | None = None, limit: int = 500) -> list[int]:
        self.follow_deployed()
        with self.sessions() as session:
            try:
                return scheduler.tick(session, self.domain.jobs, now, runner=runner_name(), mode=mode, limit=limit,
                                      lease=settings.lease())
            except (OperationalError, ProgrammingError) as error:
                raise NastavnikError("база данных недоступна или не обновлена (выполните «nastavnik db upgrade»): "
                                     f"{str(error.orig or error).strip().splitlines()[0]}") from None

    def run(self, job_id: int, *, now: datetime | None = None) -> runner.Outcome:
        self.follow_deployed()
        with self.sessions() as session, logs.bind(job_id=job_id):
            return runner.run_job(session, self.domain.jobs, job_id, now=now)

    def run_many(self, job_ids: list[int], *, now: datetime | None = None) -> dict[int, runner.Outcome]:
        self.follow_deployed()
        with self.sessions() as session, logs.bind(job_id=",".join(map(str, job_ids))):
            return runner.run_jobs(session, self.domain.jobs, job_ids, now=now)

    def run_due(self, *, mode: str = "embedded", now: datetime | None = None,
                limit: int = 500) -> dict[int, runner.Outcome]:
        """One pass without a broker: ticks, and every job they hand out run here, in order, batched as a worker's
        messages are (a full tick: the next tick at once); each job's outcome."""
        outcomes: dict[int, runner.Outcome] = {}
        while True:
            handed = [job_id for job_id in self.tick(mode=mode, now=now, limit=limit) if job_id not in outcomes]
            for at in range(0, len(handed), settings.job_batch()):  # as a worker takes them, a message at a time
                outcomes.update(self.run_many(handed[at:at + settings.job_batch()], now=now))
            if len(handed) < limit:
                return outcomes

    def kinds(self, job_ids: list[int]) -> dict[int, str]:
        with self.sessions() as session:
            return dict(session.execute(select(Job.id, Job.kind).where(Job.id.in_(job_ids))).all())

    def dispose(self) -> None:
        self.engine.dispose()
