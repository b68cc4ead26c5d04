"""The list behind each figure of the dashboard (``/dashboard/<figure>``): the figure's own statement
(``figures.definition``) narrowed to one value («status-active», «ground-plan_completed», «load-3»), paged and
counted in the database (``engine.db.paging``). Programs show mentee, mentor, organization, status, stage and the
stage's due date; people, mentors, appointments and reports their own columns. The people a page shows are logged
(152-ФЗ), as the registries do.

    dashboard_list(session, actor, figure, *, organization_id=None, period_from=None, period_to=None, page=1,
                   size=25) -> Listing
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from engine.db.models import (
    GroupMember,
    MentorAppointment,
    MentoringGroup,
    MentorPeriodReport,
    Person,
    Program,
    RoadmapEventRecord,
    StageReport,
    log_shown,
)
from engine.db.models.program import PROGRAM_LIFECYCLE, REPORT_LIFECYCLE
from engine.db.paging import PageOf, paginate
from engine.errors import NotFound
from engine.services.monitoring import figures
from engine.services.monitoring.labels import FIGURES, PARTICIPANT_KINDS, stage_labels, value_label
from engine.services.monitoring.scope import Scope, scope_of
from engine.services.people.actor import Actor
from engine.workflow import Clock

MAX_SIZE = 100
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {  # what each kind of list shows: (key, heading)
    "programs": (("program", "Программа"), ("mentees", "Наставляемые"), ("mentor", "Наставник"),
                 ("organization", "Организация"), ("status", "Статус"), ("stage", "Текущий этап"),
                 ("due_on", "Срок этапа")),
    "people": (("full_name", "ФИО"), ("organization", "Организация"), ("position", "Должность"),
               ("kind", "Вид участника")),
    "mentors": (("full_name", "Наставник"), ("organization", "Место работы"), ("mentees", "Наставляемых сейчас")),
    "appointments": (("full_name", "Наставник"), ("organization", "Организация"), ("starts_on", "Назначен(а) с"),
                     ("ends_on", "Срок назначения до"), ("days_left", "Осталось дней")),
    "mentor_reports": (("mentor", "Наставник"), ("organization", "Организация"), ("period_from", "Период с"),
                       ("due_on", "Срок"), ("filed_on", "Представлен"), ("state", "Состояние")),
    "stage_reports": (("program", "Программа"), ("stage", "Этап"), ("form_name", "Форма отчёта"),
                      ("submitted_on", "Представлен"), ("status", "Состояние")),
}


@dataclass(frozen=True)
class ListRow:
    values: dict[str, Any]  # by the list's column keys: texts, numbers, dates
    link: tuple[str, int] | None = None  # ("program", id) or ("person", id): the page the row opens


@dataclass(frozen=True)
class Listing:
    figure: str
    value: str | None
    title: str
    kind: str  # a key of COLUMNS
    scope: Scope
    rows: list[ListRow]
    total: int
    page: int
    pages: int
    more: bool = False

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        return COLUMNS[self.kind]


def split(figure: str) -> tuple[str, str | None]:
    """«status-active» → («status», «active»); «overdue» → («overdue», None)."""
    name, dash, value = figure.partition("-")
    return name, (value if dash else None)


ORDERS: dict[str, Any] = {
    "programs": ((Program.id, True),),
    "people": ((Person.full_name, False), (Person.id, False)),
    "mentors": ((Person.full_name, False), (Person.id, False)),
    "appointments": ((MentorAppointment.ends_on, False), (MentorAppointment.id, False)),
    "mentor_reports": ((MentorPeriodReport.due_on, True), (MentorPeriodReport.id, True)),
    "stage_reports": ((StageReport.submitted_at, True), (StageReport.id, True)),
}


def dashboard_list(session: Session, actor: Actor, figure: str, *, organization_id: int | None = None,
                   period_from: date | None = None, period_to: date | None = None, page: int = 1,
                   size: int = 25, clock: Clock | None = None, past_end_empty: bool = False) -> Listing:
    """One page of the rows behind ``figure`` (``NotFound`` for a figure or value the dashboard does not have). A page
    past the end is the last page, or none with ``past_end_empty`` (the API's paging)."""
    scope = scope_of(session, actor, organization_id=organization_id, period_from=period_from, period_to=period_to,
                     clock=clock)
    name, value = split(figure)
    found = figures.definition(scope, name)
    if value is not None and found.key is None:
        raise NotFound(f"у показателя «{FIGURES[name][0]}» нет значений, только общее число")
    kind = FIGURES[name][1]
    stmt = found.narrowed(value)
    paged = paginate(session, stmt, page, max(1, min(size, MAX_SIZE)), order=ORDERS[kind])
    if past_end_empty and page > paged.pages and not paged.more:
        paged = PageOf([], paged.total, page, paged.pages)
    names = {oid: label for oid, label, _parent in scope.organizations}
    rows = ROWS[kind](session, scope, paged.rows, names)
    title = FIGURES[name][0]
    if value is not None:
        shown = value_label(name, None if value == figures.NONE else
                            (int(value) if name in figures.INT_KEYED else value), names)
        title = f"{title}: {shown}"
    _log(session, actor, kind, paged.rows, title)
    return Listing(name, value, title, kind, scope, rows, paged.total, paged.page, paged.pages, paged.more)


def _programs(session: Session, scope: Scope, programs: list[Program], names: dict[int, str]) -> list[ListRow]:
    ids = [p.id for p in programs]
    loaded = {p.id: p for p in session.scalars(select(Program).where(Program.id.in_(ids)).options(
        joinedload(Program.group).joinedload(MentoringGroup.mentor),
        joinedload(Program.group).selectinload(MentoringGroup.members).joinedload(GroupMember.person)))} if ids else {}
    dues = dict(session.execute(
        select(Program.id, func.max(RoadmapEventRecord.due_on))
        .join(RoadmapEventRecord, (RoadmapEventRecord.program_id == Program.id)
              & (RoadmapEventRecord.stage_id == Program.current_stage_id))
        .where(Program.id.in_(ids)).group_by(Program.id)).all()) if ids else {}
    rows = []
    for program in (loaded[i] for i in ids):
        group = program.group
        rows.append(ListRow({
            "program": f"№{program.id}",
            "mentees": ", ".join(m.person.full_name for m in group.members if m.left_on is None),
            "mentor": group.mentor.full_name if group.current_mentor_id is not None else "нет (замена наставника)",
            "organization": names.get(group.organization_id, ""),
            "status": PROGRAM_LIFECYCLE.labels.get(program.status, program.status),
            "stage": stage_labels().get(program.current_stage_id or "", "—"),
            "due_on": dues.get(program.id)}, ("program", program.id)))
    return rows


def _people(session: Session, scope: Scope, people: list[Person], names: dict[int, str]) -> list[ListRow]:
    return [ListRow({"full_name": p.full_name, "organization": names.get(p.organization_id or 0, ""),
                     "position": p.position or "", "kind": PARTICIPANT_KINDS.get(p.participant_kind or "", "")},
                    ("person", p.id)) for p in people]


def _mentors(session: Session, scope: Scope, people: list[Person], names: dict[int, str]) -> list[ListRow]:
    loads = figures.mentor_loads(scope)
    counted: dict[int, int] = dict(session.execute(select(loads.c.person_id, loads.c.mentees)
                                   .where(loads.c.person_id.in_([p.id for p in people]))).all()) if people else {}
    return [ListRow({"full_name": p.full_name, "organization": names.get(p.organization_id or 0, "")
                     or "вне организаций панели", "mentees": int(counted.get(p.id, 0))}, ("person", p.id))
            for p in people]


def _appointments(session: Session, scope: Scope, found: list[MentorAppointment],
                  names: dict[int, str]) -> list[ListRow]:
    people = dict(session.execute(select(Person.id, Person.full_name)
                                  .where(Person.id.in_([a.person_id for a in found]))).all()) if found else {}
    return [ListRow({"full_name": people.get(a.person_id, ""), "organization": names.get(a.organization_id, ""),
                     "starts_on": a.starts_on, "ends_on": a.ends_on, "days_left": (a.ends_on - scope.today).days},
                    ("person", a.person_id)) for a in found]


def _mentor_reports(session: Session, scope: Scope, found: list[MentorPeriodReport],
                    names: dict[int, str]) -> list[ListRow]:
    people = dict(session.execute(select(Person.id, Person.full_name)
                                  .where(Person.id.in_([r.mentor_id for r in found]))).all()) if found else {}

    def state(report: MentorPeriodReport) -> str:
        return "filed" if report.filed_on else "overdue" if report.due_on <= scope.today else "open"
    return [ListRow({"mentor": people.get(r.mentor_id, ""), "organization": names.get(r.organization_id, ""),
                     "period_from": r.period_from, "due_on": r.due_on, "filed_on": r.filed_on,
                     "state": value_label("mentor_reports", state(r))}, ("person", r.mentor_id)) for r in found]


def _stage_reports(session: Session, scope: Scope, found: list[StageReport], names: dict[int, str]) -> list[ListRow]:
    return [ListRow({"program": f"№{r.program_id}", "stage": stage_labels().get(r.stage_id, r.stage_id),
                     "form_name": r.form_name, "submitted_on": r.submitted_at.date() if r.submitted_at else None,
                     "status": REPORT_LIFECYCLE.labels.get(r.status, r.status)},
                    ("program", r.program_id)) for r in found]


ROWS: dict[str, Callable[..., list[ListRow]]] = {"programs": _programs, "people": _people, "mentors": _mentors, "appointments": _appointments,
        "mentor_reports": _mentor_reports, "stage_reports": _stage_reports}


def _log(session: Session, actor: Actor, kind: str, found: list, title: str) -> None:
    """152-ФЗ: the people the page shows by name."""
    if kind == "programs":
        ids: list[int] = []
        for program in found:
            group = program.group
            ids += [group.mentor_id, *(m.person_id for m in group.members if m.left_on is None)]
    elif kind in ("people", "mentors"):
        ids = [p.id for p in found]
    elif kind in ("appointments",):
        ids = [a.person_id for a in found]
    elif kind == "mentor_reports":
        ids = [r.mentor_id for r in found]
    else:
        ids = []
    log_shown(session, ids, f"панель мониторинга: {title}"[:200], viewer=actor.person_id,
              fields=["full_name", "organization", "program" if kind == "programs" else kind])
