"""Several steps written by one flush: ``with batched_writes(session): …`` — inside, a step does not flush at its end
(``engine.services.process.step_guard.run_step`` asks ``flush_deferred``) and loading a further instance does not
autoflush the steps before it (``engine.services.process.instances``), so the block's closing flush writes each
table's rows together (one multi-row INSERT, one executemany UPDATE) instead of a round trip per row per step.
Everything else is as usual: a query a step makes still autoflushes first, so a step always reads what it wrote;
an instance already in the session is flushed before it is loaded again; the optimistic lock is checked at the
flush, and a failure anywhere fails the whole block (the runner then runs its jobs one by one).

A batch may load its objects up front (``preloaded``): the step that asks for one of them first
(``take_preloaded``) gets it without a query of its own; asking again (a second step of the same object in the
batch) finds nothing taken, and the caller loads it afresh as usual.

For the runner's batches of jobs (``engine.services.jobs.runner.run_jobs``), each its own instance's step.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

_DEFERRED = "nastavnik.flush_deferred"
_PRELOADED = "nastavnik.preloaded"
T = TypeVar("T")


@contextmanager
def batched_writes(session: Session) -> Iterator[None]:
    """Steps run inside are written by one flush when the block ends."""
    session.info[_DEFERRED] = True
    try:
        yield
        session.flush()
    finally:
        session.info.pop(_DEFERRED, None)
        session.info.pop(_PRELOADED, None)


def flush_deferred(session: Session) -> bool:
    """Whether a step's own flush waits for the batch's (``batched_writes``)."""
    return bool(session.info.get(_DEFERRED))


def preloaded(session: Session, objects: Iterable[Any]) -> None:
    """``objects``, just loaded by the batch, are each handed to the first step that asks (``take_preloaded``)."""
    if flush_deferred(session):  # held here: the session's identity map alone would let them go (weak references)
        session.info.setdefault(_PRELOADED, {}).update((identity_key(instance=o), o) for o in objects)


def take_preloaded(session: Session, model: type[T], ident: Any) -> T | None:
    """The batch's preloaded ``model`` ``ident``, once; None when it was not preloaded or is taken already."""
    held = session.info.get(_PRELOADED)
    return held.pop(identity_key(model, ident), None) if held else None
