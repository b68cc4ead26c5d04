"""An organization runs its pack's calendar roadmap for an academic year (004 п. 4.3: «Организовать работу по
реализации Дорожных карт … в образовательных организациях»; the school's roadmap is 004 прил. 2).

    start_year(session, actor, organization_id, *, academic_year=None, clock=None) -> RoadmapYear

The head or the curator (the school's «ответственный», 004 прил. 2 п. 1.2, п. 4.1 of the order) starts the
year: every event of the roadmap becomes a record with its due date read from the printed «Сроки»
(``engine.regulations.calendar_terms``: a printed month is that month of the school's academic year) and
the role that marks it done (from «Исполнители» through the pack's ``performers``: the director's events the
head, every other the curator); the events, the interim analysis (004 прил. 2 п. 7.2) and the monitoring and
completion (п. 8.1) go to ``workflows/school_roadmap.bpmn`` as data. Its timers run on the domain's clock:
an event past its due date opens the head's escalation, the January analysis opens on 1 January, the May
completion on 1 May; both are escalated too when late. The hooks below record what each step did.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    Organization,
    RoadmapItemKind,
    RoadmapItemStatus,
    RoadmapYear,
    RoadmapYearItem,
    RoadmapYearStatus,
    Role,
    WorkflowInstance,
)
from engine.documents.basics import zone_of
from engine.domain_time import academic_year_start, local_day
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.regulations import pack_of
from engine.regulations.calendar_terms import closing_month, occurrences, parse_term
from engine.regulations.pack_parts import OrganizationRoadmap
from engine.regulations.roadmaps import Roadmap
from engine.services.people.actor import Actor
from engine.services.process import instances
from engine.services.process.domain import domain_of
from engine.services.process.hooks import Step, StepHook
from engine.workflow import Clock
from engine.workflow.clock import to_utc

PROCESS_PURPOSE = "school_roadmap"  # pack.yaml processes.school_roadmap
KIND = "school_roadmap"  # WorkflowInstance.kind
STARTERS = (Role.HEAD, Role.CURATOR)


def _midnight(day: date, zone: ZoneInfo) -> str:
    """The local midnight starting ``day``, as an ISO moment in UTC (what the process's timers read)."""
    return to_utc(datetime.combine(day, time(0), tzinfo=zone)).isoformat()


def _organization(session: Session, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"нет организации №{organization_id}")
    return organization


def _items(plan: OrganizationRoadmap, roadmap: Roadmap, academic_year: int) -> list[RoadmapYearItem]:
    """The year's records: one per occurrence of every event («Ноябрь 2021, март 2022» gives two), the
    explicit steps with the kind the pack names them by."""
    closes_in = closing_month([parse_term(event.due_as_printed) for event in roadmap.events])
    steps = {plan.completion: RoadmapItemKind.COMPLETION, plan.interim_analysis: RoadmapItemKind.INTERIM_ANALYSIS}
    items: list[RoadmapYearItem] = []
    for stage in roadmap.stages:
        for event in stage.events:
            kind = steps.get(event.number, RoadmapItemKind.EVENT)
            found = occurrences(parse_term(event.due_as_printed), academic_year, closes_in)
            if kind != RoadmapItemKind.EVENT:
                found = found[-1:]  # one report: by the last date the step is printed with
            for index, occurrence in enumerate(found):
                items.append(RoadmapYearItem(
                    key=event.number if index == 0 else f"{event.number}#{index + 1}", seq=len(items), kind=kind.value,
                    number=event.number, stage_title=stage.title, name=event.name,
                    due_as_printed=event.due_as_printed, responsible=event.responsible,
                    role=Role.CURATOR.value if kind != RoadmapItemKind.EVENT else plan.role_of(event.responsible),
                    opens_on=occurrence.opens_on, due_on=occurrence.due_on, status=RoadmapItemStatus.PLANNED.value))
    return items


def _as_data(item: RoadmapYearItem, academic_year: int, zone: ZoneInfo) -> dict:
    """An item as the process reads it; without a due date the escalation waits for the academic year's end."""
    overdue_day = (item.due_on or date(academic_year + 1, 8, 31)) + timedelta(days=1)
    return {"key": item.key, "number": item.number, "name": item.name, "stage": item.stage_title,
            "due_as_printed": item.due_as_printed, "responsible": item.responsible, "role": item.role,
            "opens_on": item.opens_on.isoformat(), "due_on": item.due_on.isoformat() if item.due_on else None,
            "opens_at": _midnight(item.opens_on, zone), "overdue_at": _midnight(overdue_day, zone)}


def start_year(session: Session, actor: Actor, organization_id: int, *, academic_year: int | None = None,
               clock: Clock | None = None) -> RoadmapYear:
    """Start «реализация Модели наставничества» of the organization for ``academic_year`` (default: the
    current one, on the domain's clock in the organization's time zone)."""
    organization = _organization(session, organization_id)
    if not any(actor.has_role(organization_id, role) for role in STARTERS):
        raise PermissionDenied(f"{actor.full_name or actor.login}: запустить реализацию дорожной карты может "
                               "руководитель или куратор (ответственный) этой организации (004 п. 4.3)")
    regulation = pack_of(organization)
    plan = regulation.roadmap_for(organization.kind)
    process_id = regulation.process(PROCESS_PURPOSE)
    roadmap = regulation.roadmap(plan.roadmap)
    zone = zone_of(organization)
    today = local_day((clock or domain_of(session).clock).now(), zone)
    current = academic_year_start(today)
    year = current if academic_year is None else academic_year
    if year < current:
        raise NastavnikError(f"{year}/{year + 1} учебный год уже прошёл; можно запустить {current}/{current + 1} "
                             "или следующий", where="academic_year")
    if year > current + 1:
        raise NastavnikError(f"{year}/{year + 1} учебный год ещё не скоро: можно запустить текущий "
                             f"({current}/{current + 1}) или следующий", where="academic_year")
    started = session.scalar(select(RoadmapYear).where(
        RoadmapYear.organization_id == organization_id, RoadmapYear.roadmap_id == roadmap.id,
        RoadmapYear.academic_year == year))
    if started is not None:
        raise ConflictError(f"реализация дорожной карты на {year}/{year + 1} учебный год уже запущена "
                            f"({started.started_on:%d.%m.%Y})", where=f"roadmap_years.{started.id}")
    row = RoadmapYear(organization_id=organization_id, roadmap_id=roadmap.id, academic_year=year,
                      status=RoadmapYearStatus.RUNNING.value, started_on=today, started_by_id=actor.person_id)
    row.items = _items(plan, roadmap, year)
    session.add(row)
    session.flush()
    by_kind = {kind: [_as_data(i, year, zone) for i in row.items if i.kind == kind] for kind in RoadmapItemKind}
    instance = instances.start_instance(
        session, actor, process_id, KIND, organization_id, subject={"roadmap_year_id": row.id},
        data={**regulation.process_data(), "roadmap_id": roadmap.id,
              "academic_year": year, "year_label": row.label, "events": by_kind[RoadmapItemKind.EVENT],
              "interim": next(iter(by_kind[RoadmapItemKind.INTERIM_ANALYSIS]), None),
              "completion": by_kind[RoadmapItemKind.COMPLETION][0]}, clock=clock)
    row.workflow_instance_id = instance.id
    session.flush()
    return row


# -- hooks -----------------------------------------------------------------------------------------

def year_of(session: Session, instance: WorkflowInstance) -> RoadmapYear:
    row = session.get(RoadmapYear, (instance.subject or {}).get("roadmap_year_id"))
    if row is None:
        raise NotFound(f"процесс №{instance.id} не связан с учебным годом по дорожной карте")
    return row


def _item(step: Step, about: object) -> RoadmapYearItem:
    key = about.get("key") if isinstance(about, dict) else None
    found = next((i for i in year_of(step.session, step.instance).items if i.key == key), None)
    if found is None:
        raise NotFound(f"в учебном году нет мероприятия «{key}»", where="key")
    return found


def _step_day(step: Step) -> date:
    return local_day(step.instance.updated_at, zone_of(step.instance.organization))


def _done(step: Step, item: RoadmapYearItem, on: date) -> None:
    if item.status != RoadmapItemStatus.PLANNED.value:
        raise ConflictError(f"мероприятие {item.number} уже отмечено ({item.status})", where=item.key)
    item.status, item.done_on, item.done_by_id = RoadmapItemStatus.DONE.value, on, step.actor.person_id


def _record_event(step: Step) -> None:
    """An event marked done with its evidence (the day it was done: not later than today, not before the year)."""
    item, data, today = _item(step, step.task.data.get("event")), step.task.data, _step_day(step)
    evidence = str(data.get("evidence") or "").strip()
    if not evidence:
        raise NastavnikError("укажите, чем подтверждено выполнение (документ, ссылка)", where="evidence")
    on = date.fromisoformat(data["done_on"]) if data.get("done_on") else today
    if on > today:
        raise NastavnikError(f"дата выполнения {on:%d.%m.%Y} ещё не наступила", where="done_on")
    if on < date(item.year.academic_year, 9, 1):
        raise NastavnikError(f"дата выполнения {on:%d.%m.%Y} раньше начала {item.year.label} учебного года",
                             where="done_on")
    _done(step, item, on)
    item.evidence = evidence


def _record_measures(step: Step) -> None:
    item = _item(step, step.task.data.get("overdue"))
    measures = str(step.task.data.get("measures") or "").strip()
    if not measures:
        raise NastavnikError("опишите принятые меры", where="measures")
    item.escalated_on = item.escalated_on or _step_day(step)
    item.measures, item.measures_by_id = measures, step.actor.person_id


def _record_interim(step: Step) -> None:
    """The interim analysis (004 прил. 2 п. 7.2) and its report."""
    data = step.task.data
    item = _item(step, data.get("interim"))
    _done(step, item, _step_day(step))
    item.report = {key: data.get(key) for key in ("pairs_working", "state", "corrections")}
    item.evidence = str(data.get("state") or "").strip() or None


def _record_completion(step: Step) -> None:
    """The monitoring and completion (004 прил. 2 п. 8.1): its report; what is still planned is not done; the year
    is completed."""
    data, day = step.task.data, _step_day(step)
    item = _item(step, data.get("completion"))
    _done(step, item, day)
    year = item.year
    open_items = [i for i in year.items if i.status == RoadmapItemStatus.PLANNED.value]
    item.report = {**{key: data.get(key) for key in ("pairs_completed", "effectiveness", "experience", "problems",
                                                     "fair_held")},
                   "not_done": [i.key for i in open_items]}
    item.evidence = str(data.get("effectiveness") or "").strip() or None
    for other in open_items:
        other.status = RoadmapItemStatus.NOT_DONE.value
    year.status, year.completed_on = RoadmapYearStatus.COMPLETED.value, day


def record_escalations(step: Step) -> None:
    """After every step of a roadmap year: an escalation that has just opened (a timer fired) is recorded on its
    event, the day it opened."""
    if step.instance.kind != KIND:
        return
    for task in step.ready:
        if task.form == FormId.ROADMAP_OVERDUE:
            item = _item(step, task.data.get("overdue"))
            item.escalated_on = item.escalated_on or _step_day(step)


HOOKS: dict[str, StepHook] = {  # the ``hook`` a user task of school_roadmap.bpmn names
    "record_roadmap_event": _record_event,
    "record_roadmap_measures": _record_measures,
    "record_roadmap_interim": _record_interim,
    "record_roadmap_completion": _record_completion,
}
EVERY_STEP: tuple[StepHook, ...] = (record_escalations,)
ORDER_KINDS: dict = {}  # the roadmap year signs no order in the process (the school's own orders are evidence)
