"""Restored workflows kept between steps: a bounded per-process cache, so the next step of an instance (or a page
showing it) skips reading its state back into objects when this process has it already.

    running = workflows().take(instance)          # the instance's workflow as last committed here, or None
    workflows().keep(instance, running)           # a workflow that is exactly ``instance.state`` now

An entry is keyed by the instance and checked against the stored row it is asked for: the optimistic-lock
``version`` and a fingerprint of the state text (so a row changed by another process — a higher version — or
behind the ORM's back — a restore, a migration — is never answered from here; the stored state always decides).
``take`` removes the entry: a workflow is stepped by one thread at a time. Only states that are committed are
kept: a step's workflow waits in its session until the commit (``after_commit``) and is dropped on a rollback
(``engine.services.process.instance_state.restored``). A workflow holds the spec it runs on (lent by the pool,
``definitions.lease_spec``): an evicted entry gives it back.

Size: ``NASTAVNIK_WORKFLOW_CACHE`` workflows per process (default 128, ≈ 0.3 MB each with its spec; 0: off). It
serves the web app, where a person's next step is often on the program just shown; a job runner fires each
instance's timer once, so ``worker.runtime`` turns it off unless the variable is set.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from engine import settings
from engine.db.models import WorkflowInstance
from engine.services.process.definitions import give_back_spec
from engine.workflow import SpecLease


class Running(Protocol):
    """What is kept: a workflow and the pool's spec it runs on (``instance_state.Running``)."""

    workflow: Any
    lease: SpecLease | None

DEFAULT_SIZE = 128


def fingerprint(instance: WorkflowInstance) -> tuple[int, int, int]:
    """What a kept workflow must match: the row's version and its state text."""
    state = instance.state or ""
    return int(instance.version or 0), len(state), hash(state)


class WorkflowCache:
    def __init__(self, size: int) -> None:
        self.size = max(0, size)
        self._entries: OrderedDict[int, tuple[tuple[int, int, int], Running]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0  # tests and benches read them

    def take(self, instance: WorkflowInstance) -> Running | None:
        """The kept workflow of ``instance`` if it is exactly its stored state (removed from the cache)."""
        if self.size == 0:
            return None
        with self._lock:
            entry = self._entries.pop(instance.id, None)
        if entry is not None and entry[0] == fingerprint(instance):
            self.hits += 1
            return entry[1]
        self.misses += 1
        if entry is not None:
            release(entry[1])
        return None

    def keep(self, instance: WorkflowInstance, running: Running) -> None:
        """Keep ``running``, the workflow whose state ``instance`` stores now (committed)."""
        if self.size == 0:
            release(running)
            return
        evicted = []
        with self._lock:
            previous = self._entries.pop(instance.id, None)
            if previous is not None:
                evicted.append(previous[1])
            self._entries[instance.id] = (fingerprint(instance), running)
            while len(self._entries) > self.size:
                evicted.append(self._entries.popitem(last=False)[1][1])
        for old in evicted:
            release(old)

    def resize(self, size: int) -> None:
        """Keep at most ``size`` from now on (0: off), the least recently kept leaving first."""
        evicted = []
        with self._lock:
            self.size = max(0, size)
            while len(self._entries) > self.size:
                evicted.append(self._entries.popitem(last=False)[1][1])
        for old in evicted:
            release(old)

    def clear(self) -> None:
        with self._lock:
            entries = list(self._entries.values())
            self._entries.clear()
        for _, running in entries:
            release(running)

    def __len__(self) -> int:
        return len(self._entries)


def release(running: Running) -> None:
    """A workflow no longer kept: the spec it ran on goes back to the pool (kept there if still as built)."""
    if running.lease is not None:
        give_back_spec(running.lease)
        running.lease = None


def configured_size() -> int | None:
    """``NASTAVNIK_WORKFLOW_CACHE`` as a number (None: not set, or not a number)."""
    try:
        return int(settings.value("NASTAVNIK_WORKFLOW_CACHE") or "")
    except ValueError:
        return None


def _size_from_environment() -> int:
    size = configured_size()
    return DEFAULT_SIZE if size is None else size


_cache = WorkflowCache(_size_from_environment())


def workflows() -> WorkflowCache:
    """This process's cache of restored workflows."""
    return _cache


_PENDING = "nastavnik.workflows_pending"


def keep_when_committed(instance: WorkflowInstance, running: Running) -> None:
    """Keep ``running`` (the workflow whose state a step just gave ``instance``) once its session commits; dropped
    if the session rolls back instead (also a savepoint's rollback: the step may have been in it)."""
    session = object_session(instance)
    if session is None or _cache.size == 0:
        release(running)
        return
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = {}
        event.listen(session, "after_commit", _kept_on_commit)
        event.listen(session, "after_soft_rollback", _dropped_on_rollback)
    previous = pending.pop(instance.id, None)
    if previous is not None and previous[1] is not running:
        release(previous[1])
    pending[instance.id] = (instance, running)


def _kept_on_commit(session: Session) -> None:
    if session.in_nested_transaction():  # SQLAlchemy calls this for a released savepoint too: nothing is committed
        return  # (the workflow an earlier step left is not the state a step in progress has already stored)
    pending = session.info.get(_PENDING) or {}
    for instance, running in list(pending.values()):
        _cache.keep(instance, running)
    pending.clear()


def _dropped_on_rollback(session: Session, previous_transaction: object) -> None:
    pending = session.info.get(_PENDING) or {}
    for _, running in list(pending.values()):
        release(running)
    pending.clear()
