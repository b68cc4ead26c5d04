"""What the domain tells whoever watches it (the web app's and the worker's metrics, ``worker.metrics``): named
events with a few labels of bounded variety (a process id, a job kind, a notification kind — never a person).

    events = Events()                           # one per domain (``engine.bootstrap``), no module-level registry
    events.subscribe(listener)                  # listener(event): the composition root binds metrics to it
    emit(session, STEP, process="mentorship")   # a service: told when the session's transaction COMMITS

An event is kept on the session until its transaction commits and told then (a rolled-back step, job or
notification is not counted; a failure recorded in a transaction of its own is). A session without events (opened
without the domain) emits nothing. A listener that raises is logged and the others are still told: watching never
breaks the work. The names below are the whole vocabulary; the engine imports no metrics library.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

log = logging.getLogger(__name__)

SESSION_KEY = "nastavnik.events"
_PENDING = "nastavnik.events.pending"
_BOUND = "nastavnik.events.bound"

STEP = "workflow_step"  # labels: process, kind (start | task | message | timer)
TIMERS_FIRED = "timers_fired"  # labels: process; amount: how many timers fired
JOB = "job"  # labels: kind (the job's), outcome (done | retry | incident)
NOTIFICATION = "notification"  # labels: kind; amount: how many people were told in the app
EMAIL = "email"  # labels: outcome (sent | failed)
INCIDENT = "incident"  # labels: source (job | script), kind (the job's kind or the process id)
NAMES = (STEP, TIMERS_FIRED, JOB, NOTIFICATION, EMAIL, INCIDENT)


@dataclass(frozen=True)
class Event:
    name: str
    labels: MappingProxyType[str, str]
    amount: float = 1.0


Listener = Callable[[Event], None]


@dataclass(eq=False)
class Events:
    """The listeners of one domain."""
    listeners: list[Listener] = field(default_factory=list)

    def subscribe(self, listener: Listener) -> None:
        if listener not in self.listeners:
            self.listeners.append(listener)

    def tell(self, happened: Event) -> None:
        for listener in list(self.listeners):
            try:
                listener(happened)
            except Exception:  # noqa: BLE001 - watching never breaks the work
                log.exception("event listener %r failed on %s", listener, happened.name)


def emit(session: Session, name: str, amount: float = 1.0, **labels: Any) -> None:
    """Tell the session's domain of ``name`` once its transaction commits (nothing without a domain or listeners)."""
    events = session.info.get(SESSION_KEY)
    if not isinstance(events, Events) or not events.listeners or amount <= 0:
        return
    happened = Event(name, MappingProxyType({key: str(value) for key, value in labels.items()}), float(amount))
    session.info.setdefault(_PENDING, []).append((session.get_nested_transaction(), happened))


def _committed(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: its events wait for the transaction's commit
        return
    pending = session.info.pop(_PENDING, None)
    events = session.info.get(SESSION_KEY)
    if pending and isinstance(events, Events):
        for _savepoint, happened in pending:
            events.tell(happened)


def _inside(savepoint: Any, ended: Any) -> bool:
    while savepoint is not None:
        if savepoint is ended:
            return True
        savepoint = savepoint.parent
    return False


def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    """A rollback forgets the events of what it undid: a savepoint's own, or all of them."""
    pending = session.info.get(_PENDING)
    if not pending:
        return
    if previous.nested:
        session.info[_PENDING] = [(where, happened) for where, happened in pending if not _inside(where, previous)]
    elif previous.parent is None:
        session.info.pop(_PENDING, None)


def bind(target: Session | sessionmaker[Session]) -> None:
    """Sessions of ``target`` (a factory, or one session) tell the events they carry (``SESSION_KEY`` in their
    ``info``, put there by the domain) at each commit and forget them at a rollback."""
    if isinstance(target, Session):
        if target.info.get(_BOUND):
            return
        target.info[_BOUND] = True
    event.listen(target, "after_commit", _committed)
    event.listen(target, "after_soft_rollback", _rolled_back)
