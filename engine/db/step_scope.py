"""What lives as long as one step of a workflow instance (``engine.services.process.step_guard.run_step`` opens
it), so that a step's hooks do not ask the database twice for the same thing nor write its trail row by row:

    with step_scope(session) as scope:        # the step; a step inside a step shares the outer one's scope
        ...
        scope.write(session)                  # at its end, before its flush: the deferred audit entries
    current_scope(session) -> StepScope | None

- every object the step loads is held until the step ends: the session's identity map keeps only weak references,
  so a row one hook read and let go (the program, a person) would be read again by the next hook; held, the next
  ``session.get`` finds it without a statement;
- the audit entries the step records (``record_audit``) are added to the session at the step's end, so its flush
  writes them in one multi-row INSERT instead of one per hook (no one reads an entry back within its step); one
  recorded inside a SAVEPOINT is added at once, so that it goes with the SAVEPOINT if that is rolled back;
- ``memo``: what a step looks up once and reads again (a person's e-mail choices), forgotten with the step.

On a rollback the scope's deferred entries go with the rest of the step.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

_SCOPE = "nastavnik.step_scope"
_LISTENING = "nastavnik.step_scope_listening"


@dataclass
class StepScope:
    held: list[Any] = field(default_factory=list)  # objects loaded by the step (strong references)
    audit: list[Any] = field(default_factory=list)  # audit entries waiting for the step's end
    memo: dict[Any, Any] = field(default_factory=dict)

    def write(self, session: Session) -> None:
        """Add the deferred audit entries to ``session`` (in the order they were recorded)."""
        if self.audit:
            session.add_all(self.audit)
            self.audit.clear()


def current_scope(session: Session) -> StepScope | None:
    """The scope of the step ``session`` runs now, or None outside a step."""
    return session.info.get(_SCOPE)


def _hold(session: Session, instance: Any) -> None:
    scope = session.info.get(_SCOPE)
    if scope is not None:
        scope.held.append(instance)


@contextmanager
def step_scope(session: Session) -> Iterator[StepScope]:
    """The step's scope for the block (the outer step's, for a step run inside another)."""
    outer = session.info.get(_SCOPE)
    if outer is not None:
        yield outer
        return
    if not session.info.get(_LISTENING):
        event.listen(session, "loaded_as_persistent", _hold)
        session.info[_LISTENING] = True
    scope = session.info[_SCOPE] = StepScope()
    try:
        yield scope
    finally:
        session.info.pop(_SCOPE, None)
        scope.audit.clear()
        scope.held.clear()
