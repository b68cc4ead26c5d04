"""The roadmap year as the school's curator and head see it and act on it (004 п. 4.3, прил. 2).

    organization_years(session, actor) -> list[OrganizationYears]     # the schools the actor is staff of
    year_page(session, actor, year_id, *, now=None) -> YearPage        # events by stage, the two reports
    act(session, actor, year_id, key, form_id, values, *, clock=None)  # mark done, measures, a report

Staff of the organization (its curator, head, methodologist) or of an organization above it see the year; the
steps are the process's tasks, so who may complete which is the process's (the lane: the director's events
the head, the rest the curator; escalations the head). Time is the domain's clock in the school's zone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Organization, RoadmapItemKind, RoadmapItemStatus, RoadmapYear, RoadmapYearItem
from engine.documents.basics import zone_of
from engine.domain_time import academic_year_start, local_day
from engine.errors import ConflictError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.regulations import pack_of
from engine.regulations.calendar_terms import AS_NEEDED_TERM, UNPARSED_TERM, parse_term
from engine.services.mentorship.school_roadmap import STARTERS
from engine.services.people.actor import STAFF_ROLES, Actor, staff_organizations
from engine.services.process import instances
from engine.services.process.domain import domain_of
from engine.workflow import Clock, UserTaskView

# form -> the task data key naming the item the task is about
ABOUT: dict[str, str] = {FormId.ROADMAP_EVENT_DONE: "event", FormId.ROADMAP_OVERDUE: "overdue",
         FormId.ROADMAP_INTERIM_ANALYSIS: "interim", FormId.ROADMAP_COMPLETION: "completion"}
STEP_CLAUSES = {RoadmapItemKind.INTERIM_ANALYSIS.value: "004 прил. 2 п. 7.2",
                RoadmapItemKind.COMPLETION.value: "004 прил. 2 п. 8.1"}


@dataclass(frozen=True)
class ItemRow:
    item: RoadmapYearItem
    points: tuple[str, ...]  # the list inside the roadmap's cell
    expected_results: tuple[str, ...]
    state: str  # planned | overdue | done | not_done
    term_note: str | None  # «без срока» / «срок не распознан»
    forms: tuple[str, ...]  # what the viewer may fill for it now (a form id of school_roadmap.bpmn)
    escalation_open: bool

    @property
    def occurrence(self) -> int:
        return int(self.item.key.split("#")[1]) if "#" in self.item.key else 1


@dataclass(frozen=True)
class StageRows:
    number: str
    title: str
    rows: list[ItemRow]


@dataclass
class YearPage:
    year: RoadmapYear
    organization: Organization
    roadmap_title: str
    today: date
    stages: list[StageRows]
    interim: ItemRow | None
    completion: ItemRow
    counts: dict[str, int] = field(default_factory=dict)
    performers_note: str = ""


@dataclass(frozen=True)
class OrganizationYears:
    organization: Organization
    roadmap_title: str
    years: list[RoadmapYear]
    can_start: bool
    next_year: int | None  # the academic year the button starts (None: this one and the next are started)


def _now(session: Session, now: datetime | None) -> datetime:
    return now if now is not None else domain_of(session).clock.now()


def _year(session: Session, actor: Actor, year_id: int) -> RoadmapYear:
    year = session.get(RoadmapYear, year_id)
    if year is None:
        raise NotFound(f"нет учебного года по дорожной карте №{year_id}")
    if year.organization_id not in staff_organizations(session, actor):
        raise PermissionDenied(f"{actor.full_name or actor.login}: дорожная карта этой организации доступна её "
                               "куратору, руководителю и методисту")
    return year


def _ready(session: Session, year: RoadmapYear) -> list[UserTaskView]:
    if year.workflow_instance_id is None or year.status != "running":
        return []
    return instances.snapshot(session, year.workflow_instance_id).ready_tasks


def _key(task: UserTaskView) -> str | None:
    about = task.data.get(ABOUT.get(task.form or "", ""))
    return about.get("key") if isinstance(about, dict) else None


def _state(item: RoadmapYearItem, today: date) -> str:
    if item.status == RoadmapItemStatus.PLANNED.value and item.due_on is not None and item.due_on < today:
        return "overdue"
    return item.status


def _term_note(item: RoadmapYearItem) -> str | None:
    kind = parse_term(item.due_as_printed).kind
    return {AS_NEEDED_TERM: "без срока", UNPARSED_TERM: "срок не распознан: без контроля срока"}.get(kind)


def year_page(session: Session, actor: Actor, year_id: int, *, now: datetime | None = None) -> YearPage:
    year = _year(session, actor, year_id)
    organization = year.organization
    regulation = pack_of(organization)
    roadmap = regulation.roadmap(year.roadmap_id)
    today = local_day(_now(session, now), zone_of(organization))
    ready = _ready(session, year)
    mine = [t for t in ready if t.role is not None and actor.has_role(year.organization_id, t.role)]
    rows: dict[str, ItemRow] = {}
    for item in year.items:
        event = roadmap.event(item.number)
        forms = tuple(str(t.form) for t in mine if _key(t) == item.key)
        rows[item.key] = ItemRow(item, event.items, event.expected_results, _state(item, today), _term_note(item),
                                 forms, any(t.form == FormId.ROADMAP_OVERDUE and _key(t) == item.key for t in ready))
    stages = [StageRows(stage.number, stage.title, [rows[i.key] for i in year.items if i.number in
                                                      {e.number for e in stage.events}])
              for stage in roadmap.stages]
    by_kind = {i.kind: rows[i.key] for i in year.items if i.kind != RoadmapItemKind.EVENT.value}
    counts = {state: sum(1 for r in rows.values() if r.state == state)
              for state in ("planned", "overdue", "done", "not_done")}
    plan = regulation.roadmap_for(organization.kind)
    head_events = ", ".join(f"«{text}»" for text in plan.performers.get("head", ()))
    note = (f"Мероприятия исполнителей {head_events} отмечает руководитель, остальные — ответственный (куратор)."
            if head_events else "Все мероприятия отмечает ответственный (куратор).")
    return YearPage(year, organization, roadmap.title, today, stages, by_kind.get(RoadmapItemKind.INTERIM_ANALYSIS.value),
                    by_kind[RoadmapItemKind.COMPLETION.value], counts, note)


def organization_years(session: Session, actor: Actor, *, now: datetime | None = None) -> list[OrganizationYears]:
    """The organizations the actor is staff of whose pack gives their kind a roadmap, with their years."""
    found = []
    moment = _now(session, now)
    for organization in session.scalars(select(Organization).where(
            Organization.id.in_(staff_organizations(session, actor))).order_by(Organization.name)):
        regulation = pack_of(organization)
        plan = next((r for r in regulation.organization_roadmaps if organization.kind in r.organization_kinds), None)
        if plan is None or "school_roadmap" not in regulation.processes:
            continue
        years = list(session.scalars(select(RoadmapYear).where(RoadmapYear.organization_id == organization.id)
                                     .order_by(RoadmapYear.academic_year.desc())))
        today = local_day(moment, zone_of(organization))
        current = academic_year_start(today)
        started = {y.academic_year for y in years}
        next_year = next((y for y in (current, current + 1) if y not in started), None)
        can_start = any(actor.has_role(organization.id, role) for role in STARTERS)
        found.append(OrganizationYears(organization, regulation.roadmap(plan.roadmap).title, years, can_start,
                                       next_year))
    return found


def _what(item: RoadmapYearItem) -> str:
    return f"«{item.name.rstrip(':.')}» ({item.number})"


def _refusal(item: RoadmapYearItem | None, key: str, form_id: str, today: date) -> Exception:
    """Why no task of ``form_id`` is open for ``key`` now, in Russian."""
    if item is None:
        return NotFound(f"в учебном году нет мероприятия «{key}»", where="key")
    what = _what(item)
    if item.year.status != "running":
        return ConflictError(f"{item.year.label} учебный год по дорожной карте уже завершён: {what} не отмечается")
    if form_id == FormId.ROADMAP_OVERDUE:
        return ConflictError(f"по {what} нет открытого поручения о просрочке")
    if item.status == RoadmapItemStatus.DONE.value:
        return ConflictError(f"{what} уже выполнено ({item.done_on:%d.%m.%Y})")
    if item.kind != RoadmapItemKind.EVENT.value and item.opens_on > today:
        return ConflictError(f"{what} ({STEP_CLAUSES[item.kind]}) откроется {item.opens_on:%d.%m.%Y}")
    interim = next((i for i in item.year.items if i.kind == RoadmapItemKind.INTERIM_ANALYSIS.value), None)
    if item.kind == RoadmapItemKind.COMPLETION.value and interim is not None \
            and interim.status == RoadmapItemStatus.PLANNED.value:
        return ConflictError(f"{what}: сначала проведите {_what(interim)} ({STEP_CLAUSES[interim.kind]})")
    return NotFound(f"{what}: сейчас нечего отмечать", where="key")


def act(session: Session, actor: Actor, year_id: int, key: str, form_id: str, values: dict, *,
        clock: Clock | None = None) -> RoadmapYear:
    """Fill ``form_id`` for the item ``key``: its task of the process is completed with ``values`` (checked by
    the form's contract and the step's hook); the caller commits."""
    year = _year(session, actor, year_id)
    if form_id not in ABOUT:
        raise NotFound(f"у дорожной карты нет формы «{form_id}»", where="form")
    candidates = [t for t in _ready(session, year) if t.form == form_id and _key(t) == key]
    task = next((t for t in candidates if t.role is not None and actor.has_role(year.organization_id, t.role)), None)
    item = next((i for i in year.items if i.key == key), None)
    if task is None and candidates and item is not None:
        who = "руководитель" if candidates[0].role == "head" else "ответственный (куратор)"
        done = f"меры по {_what(item)} принимает" if form_id == FormId.ROADMAP_OVERDUE else f"{_what(item)} отмечает"
        raise PermissionDenied(f"{actor.full_name or actor.login}: {done} {who} организации")
    if task is None:
        moment = (clock or domain_of(session).clock).now()
        raise _refusal(item, key, form_id, local_day(moment, zone_of(year.organization)))
    assert year.workflow_instance_id is not None  # a year with ready tasks runs its process
    instances.complete_task(session, actor, year.workflow_instance_id, task.task_id, values, clock=clock)
    return year


def is_staff_of(actor: Actor, organization_id: int) -> bool:
    return any(actor.has_role(organization_id, role) for role in STAFF_ROLES)
