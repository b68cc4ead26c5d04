"""The job handlers by kind and the sweeps a tick runs: declared by the domain's rooms (``JOBS``, ``SWEEPS``) and
collected in ``engine.bootstrap``, like the step hooks.

A handler ``(session, job, now)`` does the job's effect in the session it is given and does not commit (the runner
commits the effect with the job's ``done``); raising fails the try (the runner rolls back, counts it and retries
later). Its message should be Russian: it is what the incident list shows. A sweep ``(session, now)`` enqueues what
is due (``queue.enqueue`` with a key naming the moment, so running it twice enqueues nothing twice, and
``run_after=now``: the tick's moment, so the tick that makes the job hands it out).

When a job becomes an incident, its kind's ``on_incident`` runs, then every ``on_every_incident`` listener (e.g. the
notifications room telling the administrators and curators), all in the transaction that records the incident. When
a person retries an incident (``incidents.retry``), its kind's ``on_retry`` undoes what ``on_incident`` marked.

``table_of(session)``: the table a session carries (``engine.services.process.domain.Domain`` puts it there), for
the services that act on a job outside the runner (retrying an incident).

A kind declared ``batch=True`` may run with other jobs of batched kinds in one transaction (``runner.run_jobs``): its
handler must do nothing outside the database (a batch that fails is rolled back and its jobs run again one by one,
so the handler may run twice for one committed effect). Firing timers is such a kind; sending an e-mail is not.
Its ``prepare(session, jobs)`` runs first, once for the batch's jobs of the kind (e.g. loading their instances in
one go; ``engine.db.batching``).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from engine.db.models import Job
from engine.errors import NastavnikError

JobHandler = Callable[[Session, Job, datetime], None]
Sweep = Callable[[Session, datetime], None]
BatchPreparer = Callable[[Session, list[Job]], None]  # a batch's jobs of one kind, before their handlers run
IncidentHandler = Callable[[Session, Job], None]  # what else follows when a job of a kind becomes an incident
RetryHandler = Callable[[Session, Job], None]  # what is undone when a person retries an incident of a kind
SESSION_KEY = "nastavnik.jobs"


class JobTable:
    def __init__(self) -> None:
        self._handlers: dict[str, JobHandler] = {}
        self._sweeps: list[Sweep] = []
        self._on_incident: dict[str, IncidentHandler] = {}
        self._on_retry: dict[str, RetryHandler] = {}
        self._every_incident: list[IncidentHandler] = []
        self._batched: set[str] = set()
        self._prepare: dict[str, BatchPreparer] = {}

    def handle(self, kind: str, handler: JobHandler, *, on_incident: IncidentHandler | None = None,
               on_retry: RetryHandler | None = None, batch: bool = False,
               prepare: BatchPreparer | None = None) -> JobHandler:
        """``handler`` runs the jobs of ``kind``; a kind has one handler, a second one is a wiring mistake.
        ``on_incident``: run (in the transaction that records it) when a job of the kind becomes an incident —
        e.g. an e-mail's notification marked as not delivered; ``on_retry``: run (in the transaction of the person's
        «Повторить») when such an incident is retried — e.g. that mark taken back."""
        if self._handlers.get(kind, handler) is not handler:
            raise NastavnikError(f"вид фоновой работы «{kind}» объявлен дважды", where="engine.bootstrap")
        self._handlers[kind] = handler
        if on_incident is not None:
            self._on_incident[kind] = on_incident
        if on_retry is not None:
            self._on_retry[kind] = on_retry
        if batch:
            self._batched.add(kind)
            if prepare is not None:
                self._prepare[kind] = prepare
        return handler

    def on_every_incident(self, listener: IncidentHandler) -> IncidentHandler:
        """``listener(session, job)`` runs whenever a job of any kind becomes an incident, after the kind's own
        ``on_incident``, in the same transaction (a listener that fails is rolled back alone and logged)."""
        if listener not in self._every_incident:
            self._every_incident.append(listener)
        return listener

    def on_tick(self, sweep: Sweep) -> Sweep:
        if sweep not in self._sweeps:
            self._sweeps.append(sweep)
        return sweep

    def handler(self, kind: str) -> JobHandler | None:
        return self._handlers.get(kind)

    def incident_handler(self, kind: str) -> IncidentHandler | None:
        return self._on_incident.get(kind)

    def retry_handler(self, kind: str) -> RetryHandler | None:
        return self._on_retry.get(kind)

    def incident_listeners(self) -> list[IncidentHandler]:
        return list(self._every_incident)

    def batched(self, kind: str) -> bool:
        """Whether jobs of ``kind`` may share a transaction with others (their effect is the database's only)."""
        return kind in self._batched

    def preparer(self, kind: str) -> BatchPreparer | None:
        """What runs once for a batch's jobs of ``kind`` before their handlers (None: nothing)."""
        return self._prepare.get(kind)

    def kinds(self) -> frozenset[str]:
        return frozenset(self._handlers)

    def sweeps(self) -> list[Sweep]:
        return list(self._sweeps)


def table_of(session: Session) -> JobTable:
    """The job table ``session`` carries; ``NastavnikError`` when it was opened without ``bootstrap()``."""
    table = session.info.get(SESSION_KEY)
    if not isinstance(table, JobTable):
        raise NastavnikError("сессия базы данных открыта без bootstrap(): фоновые задания ей неизвестны; откройте "
                             "сессию через bootstrap().session_factory(engine)", where="session")
    return table
