"""Several steps written by one flush: ``with batched_writes(session): …`` — inside, a step does not flush at its end
(``engine.services.process.step_guard.run_step`` asks ``flush_deferred``) and loading a further instance does not
autoflush the steps before it (``engine.services.process.instances``), so the block's closing flush writes each
table's rows together (one multi-row INSERT, one executemany UPDATE) instead of a round trip per row per step.
Everything else is as usual: a query a step makes still autoflushes first, so a step always reads what it wrote;
an instance already in the session is flushed before it is loaded again; the optimistic lock is checked at the
flush, and a failure anywhere fails the whole block (the runner then runs its jobs one by one).

For the runner's batches of jobs (``engine.services.jobs.runner.run_jobs``), each its own instance's step.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

_DEFERRED = "nastavnik.flush_deferred"


@contextmanager
def batched_writes(session: Session) -> Iterator[None]:
    """Steps run inside are written by one flush when the block ends."""
    session.info[_DEFERRED] = True
    try:
        yield
        session.flush()
    finally:
        session.info.pop(_DEFERRED, None)


def flush_deferred(session: Session) -> bool:
    """Whether a step's own flush waits for the batch's (``batched_writes``)."""
    return bool(session.info.get(_DEFERRED))
