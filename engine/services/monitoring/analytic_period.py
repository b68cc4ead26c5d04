"""The period and the scope of an analytic report (003 §3.3).

Periods. The semi-annual report covers a half-year — 01.01–30.06 or 01.07–31.12: the half-years the monitoring
(001 §2.4: «до 20 декабря и до 20 мая») and the mentors' reports (003, order item 3: «до 10 июня, 10 декабря») fall
in. The final report covers the calendar year 01.01–31.12, as the statistical form of 003 §3.3 counts it: both
dates of the mentors' reports fall in it. (003 speaks of the program's term, 24 months, which differs per program:
a report of the whole system needs one period for all of them.) The figures «at the period's end» are counted on
its last day, or today while the period runs; a period that has not begun has nothing to report.

Scope. The report is seen by the curator and the head of the organization or of one above it (a department's
head sees its schools' reports); it counts the organization and every one under it. The conclusions are written by
the curator of the organization itself (a role decides where it is held).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Organization, Role
from engine.errors import NastavnikError, PermissionDenied
from engine.services.curation.monitoring import organization_among
from engine.services.people.actor import Actor, subtree

KINDS = {"semiannual": "полугодовой аналитический отчёт", "final": "итоговый аналитический отчёт"}
HALVES = {1: "I полугодие", 2: "II полугодие"}
YEARS = (2000, 2100)
VIEWERS = (Role.CURATOR, Role.HEAD)


@dataclass(frozen=True)
class Period:
    kind: str  # semiannual | final
    year: int
    half: int | None  # 1 | 2 for a half-year, None for the year

    @property
    def starts_on(self) -> date:
        return date(self.year, 7, 1) if self.half == 2 else date(self.year, 1, 1)

    @property
    def ends_on(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def key(self) -> str:
        """The stored key of the period: ``2026-1``, ``2026-2``, ``2026``."""
        return f"{self.year}-{self.half}" if self.half else str(self.year)

    @property
    def label(self) -> str:
        """«I полугодие 2026 года», «2026 год»."""
        return f"{HALVES[self.half]} {self.year} года" if self.half else f"{self.year} год"

    @property
    def dates(self) -> str:
        return f"{self.starts_on:%d.%m.%Y} – {self.ends_on:%d.%m.%Y}"

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def at(self, today: date) -> date:
        """The day the figures «at the period's end» are counted on: its last day, or today while it runs."""
        return min(self.ends_on, today)


def period_of(kind: str, year: int | None, half: int | None, *, today: date) -> Period:
    """The period asked for, checked; the default year is today's, the default half-year today's."""
    if kind not in KINDS:
        raise NastavnikError(f"вид отчёта «{kind}» неизвестен: полугодовой (semiannual) или итоговый (final)",
                             where="kind")
    year = today.year if year is None else year
    if not YEARS[0] <= year <= YEARS[1]:
        raise NastavnikError(f"год отчёта — от {YEARS[0]} до {YEARS[1]}, не {year}", where="year")
    if kind == "final":
        period = Period(kind, year, None)
    else:
        half = half if half is not None else (1 if today.month <= 6 and year == today.year else 2)
        if half not in HALVES:
            raise NastavnikError(f"полугодие — 1 или 2, не {half}", where="half")
        period = Period(kind, year, half)
    if period.starts_on > today:
        raise NastavnikError(f"период «{period.label}» ещё не начался: отчёт составляется за прошедший или текущий "
                             "период",
                             where="year")
    return period


def viewable_organizations(session: Session, actor: Actor) -> list[Organization]:
    """The organizations whose reports the actor sees: where she is curator or head, and every one under them
    (those where the role is held first)."""
    roots = {org for role in VIEWERS for org in actor.organizations(role)}
    if not roots:
        raise PermissionDenied(f"{actor.full_name or actor.login}: аналитический отчёт составляет куратор и видит "
                               "руководитель организации (003 §3.3)")
    ids = subtree(session, roots)
    found = session.scalars(select(Organization).where(Organization.id.in_(ids)))
    return sorted(found, key=lambda o: (o.id not in roots, o.short_name or o.name, o.id))


def organization_in_scope(session: Session, actor: Actor, organization_id: int | None) -> Organization:
    """The organization asked for (the first of the actor's when not given), if the actor sees its reports."""
    return organization_among(session, actor, viewable_organizations(session, actor), organization_id,
                              refusal="аналитический отчёт этой организации вам не доступен — его видят куратор и "
                                      "руководитель организации или вышестоящей")


def may_write_conclusions(actor: Actor, organization_id: int) -> bool:
    """The curator of the organization itself writes the report's conclusions (003 §3.3)."""
    return actor.has_role(organization_id, Role.CURATOR)
