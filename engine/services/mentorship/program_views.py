"""What a person may see of programs (``visible_programs``, ``get_program``) and one program's whole picture on its
page (roadmap, reports, decisions, orders, history, the process's state). Seeing a participant's data is logged
(152-ФЗ). The API's list and details of programs: ``program_listing``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from engine.db.models import (
    CompletionGround,
    Decision,
    EventStatus,
    GroupMember,
    MentorBonus,
    MentoringGroup,
    Order,
    Person,
    Program,
    ProgramStatus,
    RoadmapEventComment,
    RoadmapEventRecord,
    StageReport,
    WorkflowInstance,
    log_access,
)
from engine.db.types import utcnow
from engine.documents import settings_for
from engine.errors import NotFound, PermissionDenied
from engine.forms import FormId
from engine.regulations import form_label as regulation_form_label
from engine.services.audit import history as history_service
from engine.services.jobs import incidents
from engine.services.mentorship import bonus, programs
from engine.services.people.actor import STAFF_ROLES, Actor, Role
from engine.services.process import instances
from engine.services.process.definitions import elements_with
from engine.workflow.clock import to_utc


def visible_programs(actor: Actor):
    """A SQL condition: programs of organizations where the actor is staff, or where they take part."""
    staff_orgs = {org for org, role in actor.roles if role in STAFF_ROLES}
    member = select(GroupMember.group_id).where(GroupMember.person_id == actor.person_id)
    mentor = and_(MentoringGroup.mentor_id == actor.person_id, MentoringGroup.mentor_released_on.is_(None))
    return or_(MentoringGroup.organization_id.in_(staff_orgs), mentor, MentoringGroup.id.in_(member))


def get_program(session: Session, actor: Actor, program_id: int) -> Program:
    program = session.scalar(select(Program).join(MentoringGroup).where(Program.id == program_id))
    if program is None:
        raise NotFound(f"нет программы №{program_id}")
    allowed = session.scalar(select(Program.id).join(MentoringGroup).where(Program.id == program_id, visible_programs(actor)))
    if allowed is None:
        raise PermissionDenied(f"{actor.full_name or actor.login}: программа №{program_id} вам не доступна")
    return program


def log_view(session: Session, actor: Actor, program: Program) -> None:
    """Seeing a program shows its participants' data: one access-log entry per other participant."""
    for person_id in program.group.participant_ids():
        if person_id != actor.person_id:
            log_access(session, person_id, f"просмотр программы №{program.id}", viewer=actor.person_id,
                       fields=["full_name", "position", "program"])


# --- the program page ---------------------------------------------------------------------------

STAGE_FORMS = frozenset({FormId.STAGE_WORK, FormId.REVIEW_STAGE_REPORT, FormId.ACKNOWLEDGE_REMINDER,
                         FormId.HANDLE_ESCALATION})
STAGE = "stage"  # the effect the stage subprocess carries (engine.workflow.effects)
RUNNING_STATUSES = (ProgramStatus.ACTIVE.value, ProgramStatus.EXTENDED.value)


@dataclass(frozen=True)
class EventRow:
    number: str
    name: str
    stage_id: str
    due_on: date | None
    status: str  # done | planned | overdue | skipped
    done_on: date | None
    note: str | None
    report_form: str | None
    marked_by: str | None = None  # who marked it done (the mentor or a mentee)
    comments: tuple[RoadmapEventComment, ...] = ()


@dataclass(frozen=True)
class StageBlock:
    id: str
    title: str
    term: str | None
    report_form: str | None
    due_on: date | None
    is_current: bool
    events: list[EventRow]
    planned_due_on: date | None = None  # by the stage plan from the start; ``due_on`` differs once an extension moved it

    @property
    def moved(self) -> bool:
        """An extension order (003 §7.2) moved the stage's due date from the planned one."""
        return self.planned_due_on is not None and self.due_on is not None and self.due_on != self.planned_due_on


@dataclass(frozen=True)
class ReadyTask:
    element_id: str
    name: str
    role: str | None  # the lane's role (UserTaskView.role)
    assignee: str | None
    due: date | datetime | None
    overdue: bool


@dataclass(frozen=True)
class ProcessState:
    instance_id: int
    status: str
    process_name: str
    version: int
    ready: list[ReadyTask]
    completed: list[str]
    active: list[str]
    overdue: list[str]
    bpmn: str


@dataclass(frozen=True)
class ProgramPage:
    program: Program
    organization_name: str
    mentor: Person | None  # None: the mentor was released by order and no new one is appointed yet (003 §4.1)
    mentees: list[Person]
    form: str | None
    form_label: str | None
    roadmap_title: str
    roadmap_short_title: str | None
    roadmap_source: str
    completion_clause: str | None
    stages: list[StageBlock]
    reports: list[StageReport]
    decisions: list[Decision]
    orders: list[Order]
    history: list[history_service.HistoryEntry]
    process: ProcessState | None
    today: date
    is_staff: bool
    released_mentor: Person | None = None
    mentor_released_on: date | None = None
    bonus: MentorBonus | None = None  # the mentor's bonus for the term the program belongs to (003 §9.3)
    may_decide_bonus: bool = False  # the head, where the rule found grounds for revocation
    open_incidents: int = 0  # background jobs of its processes that failed their last try (shown to staff)
    may_see_incidents: bool = False  # the viewer may open the list «Инциденты» (its administrator or curator)

    def stage_title(self, stage_id: str) -> str:
        return next((stage.title for stage in self.stages if stage.id == stage_id), stage_id)

    @property
    def current_stage(self) -> StageBlock | None:
        return next((stage for stage in self.stages if stage.is_current), None)


def _zone_today(program: Program, now: datetime) -> date:
    return now.astimezone(settings_for(program.group.organization).zone).date()


def stage_due(program: Program, stage_id: str | None) -> date | None:
    dues = [e.due_on for e in program.events if e.stage_id == stage_id and e.due_on is not None]
    return max(dues, default=None)


def stage_overdue(program: Program, today: date) -> bool:
    """The current stage of a running program is past its due date (its report is not yet approved)."""
    due = stage_due(program, program.current_stage_id)
    return program.status in RUNNING_STATUSES and due is not None and due < today


def event_status(event: RoadmapEventRecord, today: date) -> str:
    if event.status == EventStatus.PLANNED.value and event.due_on is not None and event.due_on < today:
        return "overdue"
    return event.status


def _stages(program: Program, today: date) -> list[StageBlock]:
    plan = programs.roadmap(program.roadmap_id)
    planned = ({item["id"]: date.fromisoformat(item["due_at"])
                for item in programs.schedule(program.roadmap_id, program.started_on)}
               if program.started_on else {})
    blocks = []
    for stage in plan.stages:
        rows = [EventRow(e.number, e.name, e.stage_id, e.due_on, event_status(e, today), e.done_on, e.note,
                         e.report_form, e.marked_by.full_name if e.marked_by and e.status == EventStatus.DONE else None,
                         tuple(e.comments)) for e in program.events if e.stage_id == stage.id]
        blocks.append(StageBlock(stage.id, stage.title, stage.term_as_printed, stage.report_form,
                                 stage_due(program, stage.id), stage.id == program.current_stage_id, rows,
                                 planned.get(stage.id)))
    return blocks


def _process_state(session: Session, program: Program, now: datetime) -> ProcessState | None:
    if program.workflow_instance_id is None:
        return None
    snap = instances.snapshot(session, program.workflow_instance_id)
    instance = session.get(WorkflowInstance, program.workflow_instance_id)
    if instance is None:  # the snapshot has just read it
        raise NotFound(f"нет процесса №{program.workflow_instance_id}")
    today = _zone_today(program, now)
    late_stage = stage_overdue(program, today)
    stage_dates = {task.element_id: stage_due(program, program.current_stage_id)
                   for task in snap.ready_tasks if task.form in STAGE_FORMS}
    rows = {row.task_id: row for row in instance.open_tasks}
    ready, overdue = [], set()
    for task in snap.ready_tasks:
        row = rows.get(task.task_id)
        due_at = row.due_at if row is not None else None
        late = (due_at is not None and to_utc(due_at) < now) or (task.form in STAGE_FORMS and late_stage)
        if late:
            overdue.add(task.element_id)
        assignee = row.assignee.full_name if row is not None and row.assignee is not None else None
        ready.append(ReadyTask(task.element_id, task.element_name or task.element_id, task.role, assignee,
                               due_at or stage_dates.get(task.element_id), late))
    if late_stage:
        overdue |= elements_with(instance.definition, STAGE) & set(snap.active_element_ids)
    return ProcessState(snap.instance_id, snap.status, instance.definition.name, snap.definition_version, ready,
                        sorted(snap.completed_element_ids), sorted(snap.active_element_ids), sorted(overdue),
                        instance.definition.bpmn)


def _orders(session: Session, program: Program) -> list[Order]:
    conditions = [Order.workflow_instance_id == program.workflow_instance_id] if program.workflow_instance_id else []
    if program.group.order_id is not None:
        conditions.append(Order.id == program.group.order_id)
    if not conditions:
        return []
    return list(session.scalars(select(Order).where(or_(*conditions)).order_by(Order.created_at, Order.id)))


def _is_staff(actor: Actor, program: Program) -> bool:
    return any(actor.has_role(program.group.organization_id, role) for role in STAFF_ROLES)


def program_page(session: Session, actor: Actor, program_id: int, *, now: datetime | None = None) -> ProgramPage:
    """Everything the program page shows; 404 for an unknown id, 403 for a person who may not see it.
    The view is written to the access log (the caller commits)."""
    program = get_program(session, actor, program_id)
    session.execute(select(Program).where(Program.id == program.id).options(  # events and comments: 2 statements,
        selectinload(Program.events).selectinload(RoadmapEventRecord.comments))).unique().all()  # not 1 an event
    now = to_utc(now) if now is not None else utcnow()
    group = program.group
    log_view(session, actor, program)
    plan = programs.roadmap(program.roadmap_id)
    decisions = list(session.scalars(select(Decision).where(
        or_(Decision.program_id == program.id, Decision.group_id == group.id)).order_by(Decision.made_at, Decision.id)))
    orders = _orders(session, program)
    instance_ids = {i for i in (program.workflow_instance_id, group.order.workflow_instance_id if group.order else None)
                    if i is not None}
    entries = history_service.history(session, program_ids=[program.id], instance_ids=instance_ids,
                                      order_ids=[o.id for o in orders], roadmap_id=program.roadmap_id)
    ground = CompletionGround(program.completion_ground) if program.completion_ground else None
    record = bonus.bonus_for(session, program)
    form_label = regulation_form_label(group.organization, group.form)  # the pack's words (002 §4.1.5)
    return ProgramPage(
        program=program, organization_name=group.organization.name,
        mentor=group.mentor if group.current_mentor_id is not None else None,
        released_mentor=group.mentor if group.mentor_released_on else None, mentor_released_on=group.mentor_released_on,
        mentees=[m.person for m in group.members if m.left_on is None], form=group.form, form_label=form_label,
        roadmap_title=plan.title, roadmap_short_title=plan.short_title, roadmap_source=plan.source,
        completion_clause=ground.clause if ground else None, stages=_stages(program, _zone_today(program, now)),
        reports=list(program.reports), decisions=decisions, orders=orders, history=entries,
        process=_process_state(session, program, now), today=_zone_today(program, now),
        is_staff=_is_staff(actor, program), bonus=record,
        open_incidents=incidents.open_count(session, program_id=program.id) if _is_staff(actor, program) else 0,
        may_see_incidents=incidents.may_see(session, actor),
        may_decide_bonus=bool(record and record.verdict == "revocation_possible"
                              and actor.has_role(group.organization_id, Role.HEAD)))


def program_diagram(session: Session, actor: Actor, program_id: int, *, now: datetime | None = None) -> dict:
    """The program's process diagram with its marks: ``{xml, completed, active, overdue}`` (element ids).
    The same access as the page; not logged (no personal data)."""
    program = get_program(session, actor, program_id)
    state = _process_state(session, program, to_utc(now) if now is not None else utcnow())
    if state is None:
        raise NotFound(f"у программы №{program_id} нет процесса")
    return {"xml": state.bpmn, "completed": state.completed, "active": state.active, "overdue": state.overdue,
            "instance_id": state.instance_id, "status": state.status}
