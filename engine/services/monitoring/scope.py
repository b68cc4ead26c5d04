"""Who sees the dashboard and what it counts: the organizations where the actor is head or curator and every
organization under them (a department's head sees its schools; a school's curator her school only), narrowed to
one organization's subtree on request, and the period the completions, extensions and reports are counted in —
by default the current half-year of the organization's today (01.01–30.06 or 01.07–31.12), the half-years the
reports are due in (003, order item 3: «до 10 июня, 10 декабря»; 001 §2.4: «до 20 декабря и до 20 мая»)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select, text
from sqlalchemy.orm import Session

from engine.db.models import MentoringGroup, Organization, Program, ProgramStatus, Role
from engine.db.models.mentorship import GroupStatus
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.people.actor import Actor, subtree
from engine.services.process.domain import organization_today
from engine.workflow import Clock

VIEWERS = (Role.HEAD, Role.CURATOR)
RUNNING = (ProgramStatus.ACTIVE.value, ProgramStatus.EXTENDED.value)
FORMED = (GroupStatus.APPROVED.value, GroupStatus.CLOSED.value)  # approved by the head's order (003 §3.2)
LONGEST_PERIOD_DAYS = 3660  # ten years: a period longer than that is a typing error


@dataclass(frozen=True)
class Scope:
    """What one dashboard counts: ``shown`` (organization ids) within the actor's ``organizations``, the period
    [``period_from``, ``period_to``] and ``today`` (the overdue and the ending terms are counted on it)."""

    organizations: tuple[tuple[int, str, int | None], ...]  # the actor's scope: (id, name, parent id), roots first
    shown: frozenset[int]
    organization_id: int | None  # the organization asked for, else None (the whole scope)
    period_from: date
    period_to: date
    today: date

    @property
    def shown_ids(self) -> list[int]:
        return sorted(self.shown)

    def name_of(self, organization_id: int | None) -> str:
        return next((name for oid, name, _parent in self.organizations if oid == organization_id), "")

    def as_dict(self) -> dict:
        return {"organization_id": self.organization_id, "period_from": self.period_from, "period_to": self.period_to,
                "today": self.today, "organizations": [{"id": oid, "name": name, "parent_id": parent}
                                                       for oid, name, parent in self.organizations]}


def half_year(day: date) -> tuple[date, date]:
    """The half-year ``day`` falls in: 01.01–30.06 or 01.07–31.12."""
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


AGGREGATE_WORK_MEM = "64MB"  # the sets a figure hashes (a person per participant) stay in memory at 100k programs


def without_jit(session: Session) -> None:
    """PostgreSQL compiles a statement it expects to be costly (JIT): for the dashboard's aggregates over every
    program that costs more than it saves (tens of ms per statement at 100k programs); off for this transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text(f"SET LOCAL work_mem = '{AGGREGATE_WORK_MEM}'"))


def viewer_roots(actor: Actor) -> set[int]:
    return {org for role in VIEWERS for org in actor.organizations(role)}


def scope_of(session: Session, actor: Actor, *, organization_id: int | None = None, period_from: date | None = None,
             period_to: date | None = None, clock: Clock | None = None) -> Scope:
    """The actor's scope (``PermissionDenied`` unless head or curator somewhere), narrowed to ``organization_id``'s
    subtree (``PermissionDenied`` outside the scope, ``NotFound`` for no such organization), and the period."""
    roots = viewer_roots(actor)
    if not roots:
        raise PermissionDenied(f"{actor.full_name or actor.login}: панель мониторинга доступна руководителю и куратору")
    return scope_of_roots(session, roots, organization_id=organization_id, period_from=period_from,
                          period_to=period_to, clock=clock, who=actor.full_name or actor.login)


def scope_of_roots(session: Session, roots: set[int], *, organization_id: int | None = None,
                   period_from: date | None = None, period_to: date | None = None, clock: Clock | None = None,
                   who: str = "") -> Scope:
    """The scope of a viewer who is head or curator in ``roots`` (not empty), as ``scope_of``."""
    scope = subtree(session, roots)
    rows = session.execute(select(Organization.id, Organization.name, Organization.parent_id)
                           .where(Organization.id.in_(scope))).all()
    ordered = sorted(rows, key=lambda row: (row[2] in scope, row[1], row[0]))  # the roots first, then by name
    organizations = tuple((row[0], row[1], row[2] if row[2] in scope else None) for row in ordered)
    shown = frozenset(scope)
    if organization_id is not None:
        if organization_id not in scope:
            if session.get(Organization, organization_id) is None:
                raise NotFound(f"нет организации №{organization_id}")
            raise PermissionDenied(f"{who}: мониторинг этой организации вам не доступен — "
                                   "только организаций, где вы руководитель или куратор, и подчинённых им")
        shown = frozenset(subtree(session, {organization_id}))
    anchor = session.get(Organization, organization_id if organization_id is not None else organizations[0][0])
    today = organization_today(session, anchor, clock)
    default_from, default_to = half_year(today)
    start, end = period_from or default_from, period_to or default_to
    if start > end:
        raise NastavnikError(f"период: начало {start:%d.%m.%Y} позже конца {end:%d.%m.%Y}", where="period_from")
    if (end - start).days > LONGEST_PERIOD_DAYS:
        raise NastavnikError("период: не длиннее десяти лет", where="period_to")
    without_jit(session)
    return Scope(organizations, shown, organization_id, start, end, today)


# -- the conditions every figure and its list share -------------------------------------------------

def in_scope(scope: Scope) -> ColumnElement[bool]:
    """The programs (joined to their group) of the shown organizations."""
    return MentoringGroup.organization_id.in_(scope.shown_ids)


def ran_in_period(scope: Scope) -> ColumnElement[bool]:
    """The program ran some day of the period: started by its end, not completed before its start."""
    return and_(Program.status != ProgramStatus.FORMING.value, Program.started_on <= scope.period_to,
                or_(Program.completed_on.is_(None), Program.completed_on >= scope.period_from))


def in_period(column, scope: Scope) -> ColumnElement[bool]:
    return and_(column >= scope.period_from, column <= scope.period_to)
