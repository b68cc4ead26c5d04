"""The job handlers by kind and the sweeps a tick runs: declared by the domain's rooms (``JOBS``, ``SWEEPS``) and
collected in ``engine.bootstrap``, like the step hooks.

A handler ``(session, job, now)`` does the job's effect in the session it is given and does not commit (the runner
commits the effect with the job's ``done``); raising fails the try (the runner rolls back, counts it and retries
later). Its message should be Russian: it is what the incident list shows. A sweep ``(session, now)`` enqueues what
is due (``queue.enqueue`` with a key naming the moment, so running it twice enqueues nothing twice).

A kind declared ``batch=True`` may run with other jobs of batched kinds in one transaction (``runner.run_jobs``): its
handler must do nothing outside the database (a batch that fails is rolled back and its jobs run again one by one,
so the handler may run twice for one committed effect). Firing timers is such a kind; sending an e-mail is not.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from engine.db.models import Job
from engine.errors import NastavnikError

JobHandler = Callable[[Session, Job, datetime], None]
Sweep = Callable[[Session, datetime], None]
IncidentHandler = Callable[[Session, Job], None]  # what else follows when a job of a kind becomes an incident


class JobTable:
    def __init__(self) -> None:
        self._handlers: dict[str, JobHandler] = {}
        self._sweeps: list[Sweep] = []
        self._on_incident: dict[str, IncidentHandler] = {}
        self._batched: set[str] = set()

    def handle(self, kind: str, handler: JobHandler, *, on_incident: IncidentHandler | None = None,
               batch: bool = False) -> JobHandler:
        """``handler`` runs the jobs of ``kind``; a kind has one handler, a second one is a wiring mistake.
        ``on_incident``: run (in the transaction that records it) when a job of the kind becomes an incident —
        e.g. an e-mail's notification marked as not delivered."""
        if self._handlers.get(kind, handler) is not handler:
            raise NastavnikError(f"вид фоновой работы «{kind}» объявлен дважды", where="engine.bootstrap")
        self._handlers[kind] = handler
        if on_incident is not None:
            self._on_incident[kind] = on_incident
        if batch:
            self._batched.add(kind)
        return handler

    def on_tick(self, sweep: Sweep) -> Sweep:
        if sweep not in self._sweeps:
            self._sweeps.append(sweep)
        return sweep

    def handler(self, kind: str) -> JobHandler | None:
        return self._handlers.get(kind)

    def incident_handler(self, kind: str) -> IncidentHandler | None:
        return self._on_incident.get(kind)

    def batched(self, kind: str) -> bool:
        """Whether jobs of ``kind`` may share a transaction with others (their effect is the database's only)."""
        return kind in self._batched

    def kinds(self) -> frozenset[str]:
        return frozenset(self._handlers)

    def sweeps(self) -> list[Sweep]:
        return list(self._sweeps)
