"""Declared lifecycles: which status may follow which, for every entity that has a ``status``.

python-statemachine's idea without the library: each stateful model declares its transition table next
to its status enum (``ORDER_LIFECYCLE``, ``PROGRAM_LIFECYCLE``, …) and guards its ``status`` column with
``status_validator(lifecycle)``. Every assignment to ``status`` — from a service, the demo, a test — is then
checked against the table; a move the table does not have raises the one domain error,
``InvalidStatusTransition`` (a ``ConflictError``), with a Russian message naming the entity, its id and
both statuses by their Russian labels. Keeping the same status is not a move and always passes. A new
object may start in any status of its vocabulary (rows are created where the process puts them, and
imports start anywhere); from then on only the table's edges lead on.

The database keeps the vocabulary (``CHECK status IN (...)``) and what each status requires (a ground
for a finished program, a reviewer for a reviewed report…); the order of statuses is kept here.
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import validates

from engine.db.base import validate_vocab
from engine.db.errors import InvalidStatusTransition


@dataclass(frozen=True)
class Lifecycle:
    """The transition table of one entity.

    ``entity`` names one row in messages, with ``{id}`` for its id (``"программа №{id}"``);
    ``labels`` are the statuses' Russian names; ``transitions`` maps every status to the statuses that may
    follow it (an empty set: a final status); ``doc`` says where each move comes from (the clause of the
    regulation, the service that makes it) and which statuses no code reaches yet. The constructor refuses a table that misses a status of
    ``statuses`` or names one outside it, so a status added to the enum cannot go undeclared.
    """

    statuses: type[enum.StrEnum]
    table: str
    entity: str
    labels: Mapping[str, str]
    transitions: Mapping[str, frozenset[str]]
    doc: str = ""

    def __post_init__(self) -> None:
        values = {status.value for status in self.statuses}
        problems = []
        if set(self.transitions) != values:
            problems.append(f"table rows {sorted(map(str, self.transitions))} != statuses {sorted(values)}")
        if set(self.labels) != values:
            problems.append(f"labels {sorted(map(str, self.labels))} != statuses {sorted(values)}")
        for old, targets in self.transitions.items():
            if set(targets) - values:
                problems.append(f"{old} → unknown {sorted(map(str, set(targets) - values))}")
            if old in targets:
                problems.append(f"{old} → {old} is not a move (keeping a status always passes)")
        if problems:
            raise ValueError(f"lifecycle of {self.table}: " + "; ".join(problems))

    # -- reading the table ------------------------------------------------------------------------

    def allows(self, old: str, new: str) -> bool:
        """May ``old`` be followed by ``new``? (Staying in ``old`` always may.)"""
        return new == old or new in self.transitions.get(old, frozenset())

    def moves(self) -> Iterator[tuple[str, str]]:
        """Every declared move (old, new), in the enum's order."""
        for old in self.statuses:
            for new in self.statuses:
                if new in self.transitions[old]:
                    yield old.value, new.value

    def final(self) -> frozenset[str]:
        """Statuses nothing follows."""
        return frozenset(old.value for old in self.statuses if not self.transitions[old])

    def label(self, status: str) -> str:
        return self.labels.get(status, status)

    # -- guarding ---------------------------------------------------------------------------------

    def refusal(self, row_id: int | None, old: str, new: str) -> InvalidStatusTransition:
        """The error for the move ``old`` → ``new`` of row ``row_id``."""
        name = self.entity.format(id=row_id) if row_id is not None else self.entity.format(id="—") + " (новая запись)"
        allowed = [f"«{self.label(s)}»" for s in self.statuses if s in self.transitions.get(old, frozenset())]
        then = (f"из него возможен переход только в {', '.join(allowed)}" if allowed
                else "это конечное состояние")
        return InvalidStatusTransition(
            f"{name[:1].upper()}{name[1:]}: переход из состояния «{self.label(old)}» в состояние "
            f"«{self.label(new)}» не предусмотрен; {then}",
            where=f"{self.table}.{row_id}" if row_id is not None else self.table)

    def check(self, target: Any, new: Any) -> str:
        """``new`` as a plain string if ``target`` may move there from its current status (a status
        outside the vocabulary raises ``InvalidValue``, a move outside the table ``InvalidStatusTransition``)."""
        value = validate_vocab(self.statuses, new, field=f"{self.table}.status")
        old = target.status
        if old is not None and not self.allows(old, value):
            raise self.refusal(target.id, old, value)
        return value


def status_validator(lifecycle: Lifecycle) -> Callable[[Any, str, Any], str]:
    """The ``@validates("status")`` method of a model: every assignment follows ``lifecycle``.

    Use in the class body: ``_check_status = status_validator(PROGRAM_LIFECYCLE)``.
    """

    @validates("status")
    def check_status(self: Any, _key: str, value: Any) -> str:
        return lifecycle.check(self, value)

    return check_status
