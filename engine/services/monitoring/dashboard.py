"""The department's dashboard (issue 15, item 2): for the head and the curator, over the organizations where they
hold the role and every one under them — coverage against the 70 % target (004 прил. 1 преамбула), programs by
status, stage, form, model and organization, overdue stages and mentors' reports, completions by ground (003 §7.1),
extensions (003 §7.2), the mentors' load and their terms ending (003 §3.4), the reports of the period and their
state. Every figure is counted in the database (``figures``: GROUP BY and COUNT, a fixed number of statements
whatever the number of programs); the list behind each is ``lists.dashboard_list``.

    dashboard(session, actor, *, organization_id=None, period_from=None, period_to=None) -> Dashboard
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func
from sqlalchemy.orm import Session

from engine.db.models import MentoringGroup, Person, Program
from engine.services.monitoring import figures, snapshots
from engine.services.monitoring.labels import FIGURES, PARTICIPANT_KINDS, TARGET_CLAUSE, TARGET_PERCENT, value_label
from engine.services.monitoring.scope import RUNNING, Scope, scope_of
from engine.services.people.actor import Actor
from engine.workflow import Clock

BREAKDOWNS = ("status", "stage", "form", "model", "organization", "ground", "load", "mentor_reports", "stage_reports")
SINGLE = ("overdue", "extended", "terms_ending", "overdue_reports")


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent with one decimal (half up); None when there is no whole."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Item:
    """One value of a breakdown: its key (for the list's link), what it is called, how many."""

    value: str
    label: str
    count: int

    def as_dict(self) -> dict:
        return {"value": self.value, "label": self.label, "count": self.count}


@dataclass(frozen=True)
class CoverageRow:
    organization_id: int | None  # None: the whole scope shown
    name: str
    staff: int
    involved: int
    by_kind: tuple[tuple[str, str, int, int], ...] = ()  # (kind, label, staff, involved)

    @property
    def percent(self) -> Decimal | None:
        return percent(self.involved, self.staff)

    @property
    def met(self) -> bool:
        return self.percent is not None and self.percent >= TARGET_PERCENT

    def as_dict(self) -> dict:
        return {"organization_id": self.organization_id, "name": self.name, "staff": self.staff,
                "involved": self.involved, "percent": None if self.percent is None else float(self.percent),
                "target_met": self.met,
                "by_kind": [{"kind": kind, "label": label, "staff": staff, "involved": involved}
                            for kind, label, staff, involved in self.by_kind]}


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    coverage: CoverageRow
    coverage_by_organization: tuple[CoverageRow, ...]
    breakdowns: dict[str, tuple[Item, ...]]
    single: dict[str, int]
    target_percent: int = TARGET_PERCENT
    target_clause: str = TARGET_CLAUSE
    counted_at: datetime | None = None  # when the figures were counted (a snapshot's moment); None: just now
    titles: dict[str, str] = field(default_factory=lambda: {key: title for key, (title, _kind) in FIGURES.items()})

    def total(self, figure: str) -> int:
        if figure in self.single:
            return self.single[figure]
        if figure == "involved":
            return self.coverage.involved
        if figure == "staff":
            return self.coverage.staff
        return sum(item.count for item in self.breakdowns.get(figure, ()))

    def as_dict(self) -> dict:
        return {**self.scope.as_dict(), "counted_at": self.counted_at, "target_percent": self.target_percent, "target_clause": self.target_clause,
                "coverage": self.coverage.as_dict(),
                "coverage_by_organization": [row.as_dict() for row in self.coverage_by_organization],
                "figures": {key: {"title": self.titles[key], "total": self.total(key),
                                  "items": [item.as_dict() for item in self.breakdowns.get(key, ())]}
                            for key in (*BREAKDOWNS, *SINGLE)}}


def _key(value: object) -> str:
    return figures.NONE if value is None or value == "" else str(value)


def _coverage_counts(session: Session, scope: Scope) -> list[list]:
    """[organization id, participant kind, staff, involved] per organization and kind, in one statement."""
    involved = case((Person.id.in_(figures.involved_ids(scope)), 1))
    kind = func.coalesce(Person.participant_kind, "")
    rows = session.execute(figures.staff(scope).with_only_columns(
        Person.organization_id, kind, func.count(Person.id), func.count(involved), maintain_column_froms=True)
        .group_by(Person.organization_id, kind)).all()
    return [[organization_id or 0, participant_kind, int(staff), int(counted)]  # staff(): never without workplace
            for organization_id, participant_kind, staff, counted in rows]


def _coverage(scope: Scope, names: dict[int, str], counts: list[list]) -> tuple[CoverageRow, tuple[CoverageRow, ...]]:
    per_org: dict[int, list[tuple[str, int, int]]] = {}
    for organization_id, participant_kind, staff, counted in counts:
        per_org.setdefault(organization_id, []).append((participant_kind, staff, counted))

    def row(organization_id: int | None, name: str, parts: list[tuple[str, int, int]]) -> CoverageRow:
        staff, counted = Counter[str](), Counter[str]()
        for participant_kind, s, c in parts:
            staff[participant_kind] += s
            counted[participant_kind] += c
        kinds = tuple((k, PARTICIPANT_KINDS.get(k, k), staff[k], counted[k]) for k in PARTICIPANT_KINDS if staff[k])
        return CoverageRow(organization_id, name, sum(staff.values()), sum(counted.values()), kinds)

    shown = scope.name_of(scope.organization_id) if scope.organization_id else "все организации"
    whole = row(None, shown, [part for parts in per_org.values() for part in parts])
    order = [oid for oid, _name, _parent in scope.organizations if oid in per_org]
    return whole, tuple(row(oid, names.get(oid, ""), per_org[oid]) for oid in order)


def _program_counts(session: Session, scope: Scope) -> dict[str, dict[str, int]]:
    """Status (every program), stage, form, model and organization (running ones) from one GROUP BY."""
    columns = (Program.status, Program.current_stage_id, MentoringGroup.form, Program.roadmap_id,
               MentoringGroup.organization_id)
    cube = session.execute(figures.programs(scope).with_only_columns(
        *columns, func.count(Program.id), maintain_column_froms=True).group_by(*columns)).all()
    counts: dict[str, Counter[str]] = {key: Counter() for key in ("status", "stage", "form", "model", "organization")}
    for status, stage, form, model, organization_id, count in cube:
        counts["status"][_key(status)] += count
        if status in RUNNING:
            for key, value in (("stage", stage), ("form", form), ("model", model), ("organization", organization_id)):
                counts[key][_key(value)] += count
    return {key: dict(counter) for key, counter in counts.items()}


def _counted(session: Session, scope: Scope) -> dict:
    """Every figure of the scope, counted in the database: plain JSON (what a snapshot keeps)."""
    breakdowns = _program_counts(session, scope)
    for figure in ("ground", "load", "mentor_reports", "stage_reports"):
        found = figures.definition(scope, figure)
        breakdowns[figure] = {_key(value): int(count) for value, count in session.execute(found.counted())}
    single = {figure: int(session.scalar(figures.definition(scope, figure).counted()) or 0) for figure in SINGLE}
    return {"coverage": _coverage_counts(session, scope), "breakdowns": breakdowns, "single": single}


def _items(figure: str, counter: Counter[str], names: dict[int, str]) -> tuple[Item, ...]:
    def label(value: str) -> str:
        if value == figures.NONE:
            return value_label(figure, None, names)
        return value_label(figure, int(value) if figure in figures.INT_KEYED else value, names)
    if figure == "load":
        ordered = sorted(counter.items(), key=lambda kv: int(kv[0]))
    else:
        ordered = sorted(counter.items(), key=lambda kv: (-kv[1], label(kv[0])))
    return tuple(Item(value, label(value), count) for value, count in ordered)


def dashboard(session: Session, actor: Actor, *, organization_id: int | None = None, period_from: date | None = None,
              period_to: date | None = None, clock: Clock | None = None, fresh: bool = False) -> Dashboard:
    """The figures of the actor's scope (or of one organization's subtree in it) for the period: as last counted
    while young enough (``snapshots``), counted anew when ``fresh``."""
    scope = scope_of(session, actor, organization_id=organization_id, period_from=period_from, period_to=period_to,
                     clock=clock)
    return dashboard_of(session, scope, fresh=fresh)


def dashboard_of(session: Session, scope: Scope, *, fresh: bool = False) -> Dashboard:
    """The figures of ``scope`` (whoever asks: the worker counts the views people open by default)."""
    parts = {"shown": scope.shown_ids, "from": scope.period_from, "to": scope.period_to, "today": scope.today}
    payload, counted_at = snapshots.cached(session, "dashboard", parts, lambda: _counted(session, scope),
                                           organization_id=scope.organization_id, fresh=fresh)
    names = {oid: name for oid, name, _parent in scope.organizations}
    coverage, by_organization = _coverage(scope, names, payload["coverage"])
    breakdowns = {figure: _items(figure, Counter(counts), names) for figure, counts in payload["breakdowns"].items()}
    return Dashboard(scope, coverage, by_organization, breakdowns, dict(payload["single"]), counted_at=counted_at)
