"""What a mentor or a mentee sees of their own programs: the list with the steps waiting for them (overdue
marked), the pairs waiting for their consent, and the current stage of one program with its events,
report attempts, steps and the petitions they may file. ``participant_work`` holds what they do."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, contains_eager, defer, selectinload

from engine.db.models import (
    GroupMember,
    MentoringGroup,
    OpenTask,
    Program,
    RoadmapEventRecord,
    Role,
    StageReport,
    WorkflowInstance,
    log_access,
)
from engine.db.models.program import EventStatus, ReportStatus
from engine.errors import NotFound, PermissionDenied
from engine.forms import FormId
from engine.regulations.roadmaps import Roadmap, RoadmapStage
from engine.services.mentorship import petitions, programs
from engine.services.mentorship.petitions import ExtensionRequest, PetitionRefusal
from engine.services.people.actor import Actor
from engine.services.process.instance_views import tasks_of
from engine.workflow import Clock, SystemClock
from engine.workflow.clock import to_utc

RUNNING = petitions.RUNNING
LANES = (Role.MENTOR, Role.MENTEE)
STAGE_FORMS = (FormId.STAGE_WORK, FormId.ACKNOWLEDGE_REMINDER)


@dataclass
class MyTask:
    task: OpenTask
    due_at: datetime | None
    overdue: bool


@dataclass
class ProgramCard:
    program: Program
    my_role: str  # Role.MENTOR | Role.MENTEE
    roadmap: Roadmap
    stage: RoadmapStage | None
    stage_due_on: date | None
    stage_overdue: bool
    events_done: int
    events_total: int
    stage_events_done: int
    stage_events_total: int
    report: StageReport | None  # the latest attempt of the current stage
    group: MentoringGroup | None = None  # the pair, with its mentor and mentees loaded
    tasks: list[MyTask] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.program.status in RUNNING


@dataclass
class ConsentRequest:
    task: OpenTask
    group: MentoringGroup
    my_role: str
    roadmap: Roadmap | None
    program: Program | None = None  # a running program whose new mentor is asked (a replacement, 003 §3.2, §6.2)


def stage_report_in_hand(reports: list[StageReport]) -> bool:
    """The latest attempt is with the curator or accepted: the stage's events are no longer the mentor's to mark."""
    return bool(reports) and reports[-1].status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def _now(clock: Clock | None) -> datetime:
    return (clock or SystemClock()).now()


class _Roadmaps(dict):
    def __missing__(self, roadmap_id: str) -> Roadmap:
        self[roadmap_id] = programs.roadmap(roadmap_id)
        return self[roadmap_id]


def my_role(actor: Actor, group: MentoringGroup) -> str | None:
    if actor.person_id is not None and actor.person_id == group.current_mentor_id:  # not once released (003 §4.1)
        return Role.MENTOR
    if actor.person_id in [m.person_id for m in group.members]:
        return Role.MENTEE
    return None


def _my_groups(session: Session, actor: Actor, *, cards: bool = False) -> list[MentoringGroup]:
    """The actor's pairs (groups), with their programs; ``cards``: also what a program's card shows (the events,
    the report attempts but their text, the mentor and the mentees' names), each loaded in one statement."""
    member = select(GroupMember.group_id).where(GroupMember.person_id == actor.person_id)
    programs_of = selectinload(MentoringGroup.programs)
    shown = [programs_of.selectinload(Program.events), programs_of.selectinload(Program.reports).options(
        defer(StageReport.body)), selectinload(MentoringGroup.members).selectinload(GroupMember.person),
        selectinload(MentoringGroup.mentor)] if cards else [programs_of]
    return list(session.scalars(select(MentoringGroup).where(
        or_(and_(MentoringGroup.mentor_id == actor.person_id, MentoringGroup.mentor_released_on.is_(None)),
            MentoringGroup.id.in_(member))).order_by(MentoringGroup.id).options(*shown)))


def stage_due_on(program: Program, stage_id: str | None = None) -> date | None:
    stage_id = stage_id or program.current_stage_id
    dates = [e.due_on for e in program.events if e.stage_id == stage_id and e.due_on]
    return max(dates) if dates else None


def _task_due(task: OpenTask, program: Program | None) -> datetime | None:
    if task.due_at is not None:
        return to_utc(task.due_at)
    if program is not None and task.form_id in STAGE_FORMS:
        due = stage_due_on(program)
        return datetime(due.year, due.month, due.day, tzinfo=UTC) if due else None
    return None


def my_tasks(session: Session, actor: Actor, groups: list[MentoringGroup] | None = None) -> list[OpenTask]:
    """Open steps for the actor: assigned to them, or unassigned in their lane of their own programs/pairs
    (``groups``: the actor's pairs if already loaded)."""
    if actor.person_id is None:
        return []
    groups = _my_groups(session, actor) if groups is None else groups
    group_ids = {g.id for g in groups}
    program_instances = {p.workflow_instance_id for g in groups for p in g.programs if p.workflow_instance_id}
    mine = []
    steps: list[OpenTask] = [] if actor.is_system else list(session.scalars(tasks_of(actor).options(
        contains_eager(OpenTask.instance).load_only(WorkflowInstance.id, WorkflowInstance.subject))))
    for task in steps:  # the step's process without its state
        if task.assignee_id == actor.person_id:
            mine.append(task)
        elif task.assignee_id is None and task.role in LANES:
            subject = task.instance.subject or {}
            if task.instance_id in program_instances or subject.get("group_id") in group_ids:
                mine.append(task)
    return mine


def my_programs(session: Session, actor: Actor, *, clock: Clock | None = None) -> list[ProgramCard]:
    """Programs where the actor is the mentor or a mentee, newest first, with the steps waiting for them."""
    now = _now(clock)
    roadmaps = _Roadmaps()
    groups = _my_groups(session, actor, cards=True)
    tasks = my_tasks(session, actor, groups)
    cards = []
    for group in groups:
        role = my_role(actor, group)
        for program in group.programs:
            roadmap = roadmaps[program.roadmap_id]
            stage = next((s for s in roadmap.stages if s.id == program.current_stage_id), None)
            due = stage_due_on(program)
            in_stage = [e for e in program.events if e.stage_id == program.current_stage_id]
            reports = [r for r in program.reports if r.stage_id == program.current_stage_id]
            running = program.status in RUNNING
            card = ProgramCard(
                program=program, my_role=role or Role.MENTEE, roadmap=roadmap, stage=stage, stage_due_on=due,
                stage_overdue=bool(running and due and due < now.date() and not stage_report_in_hand(reports)),
                events_done=sum(e.status == EventStatus.DONE for e in program.events),
                events_total=len(program.events),
                stage_events_done=sum(e.status == EventStatus.DONE for e in in_stage),
                stage_events_total=len(in_stage), report=reports[-1] if reports else None, group=group)
            for task in tasks:
                if task.instance_id == program.workflow_instance_id:
                    task_due = _task_due(task, program)
                    card.tasks.append(MyTask(task, task_due, bool(task_due and task_due < now)))
            cards.append(card)
    cards.sort(key=lambda c: (not c.running, -c.program.id))
    return cards


def consent_group(session: Session, instance: WorkflowInstance) -> MentoringGroup | None:
    """The pair (group) a consent step is about: the one being formed, or the one of the program whose new mentor
    is asked (a replacement, 003 §3.2, §6.2)."""
    subject = instance.subject or {}
    if subject.get("group_id") is not None:
        return session.get(MentoringGroup, subject["group_id"])
    program = session.get(Program, subject.get("program_id")) if subject.get("program_id") is not None else None
    return program.group if program is not None else None


def consent_requests(session: Session, actor: Actor) -> list[ConsentRequest]:
    """Pairs (groups) being formed, and programs taken over, that wait for the actor's consent (003 §6.2)."""
    found = []
    for task in my_tasks(session, actor):
        if task.form_id != FormId.GIVE_CONSENT:
            continue
        group = consent_group(session, task.instance)
        if group is None:
            continue
        program_id = (task.instance.subject or {}).get("program_id")
        found.append(ConsentRequest(task, group, my_role(actor, group) or task.role,
                                    programs.roadmap(group.roadmap_id) if group.roadmap_id else None,
                                    session.get(Program, program_id) if program_id is not None else None))
    return found


def my_program(session: Session, actor: Actor, program_id: int) -> tuple[Program, str]:
    """The program and the actor's role in it; only its mentor and mentees (else 403)."""
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"нет программы №{program_id}")
    role = my_role(actor, program.group)
    if role is None:
        raise PermissionDenied(f"{actor.full_name or actor.login}: вы не участник программы №{program_id}")
    return program, role


def require_role_in_program(session: Session, actor: Actor, program_id: int, *roles: str) -> Program:
    """The program if the actor takes part in it in one of ``roles`` (mentor / mentee); else 403."""
    program, role = my_program(session, actor, program_id)
    if role not in roles:
        names = " или ".join("наставник" if r == Role.MENTOR else "наставляемый" for r in roles)
        raise PermissionDenied(f"{actor.full_name or actor.login}: это действие в программе №{program_id} "
                               f"выполняет {names}")
    return program


def consent_request(session: Session, actor: Actor, instance_id: int, task_id: str) -> ConsentRequest:
    """The actor's consent step of a pair being formed: 404 if there is no such open step, 403 if it is
    someone else's."""
    row = session.scalar(select(OpenTask).where(OpenTask.instance_id == instance_id, OpenTask.task_id == task_id,
                                                OpenTask.form_id == FormId.GIVE_CONSENT))
    if row is None:
        raise NotFound("этот запрос согласия уже выполнен или его нет")
    found = next((c for c in consent_requests(session, actor) if c.task.id == row.id), None)
    if found is None:
        raise PermissionDenied(f"{actor.full_name or actor.login}: этот запрос согласия адресован другому участнику")
    return found


@dataclass
class StageWork:
    program: Program
    my_role: str
    roadmap: Roadmap
    stage: RoadmapStage | None
    stage_due_on: date | None
    events: list[RoadmapEventRecord]
    reports: list[StageReport]  # every attempt of the current stage, oldest first
    tasks: list[MyTask]
    petitions: list[petitions.PetitionOption]
    instance_version: int | None
    other_stages: list[tuple[RoadmapStage, list[RoadmapEventRecord]]]
    extension: ExtensionRequest | None = None  # the extension being agreed: months, reason, petitioner
    refusals: list[PetitionRefusal] = field(default_factory=list)  # the curator's refusals, with reasons

    @property
    def latest_report(self) -> StageReport | None:
        return self.reports[-1] if self.reports else None

    @property
    def running(self) -> bool:
        return self.program.status in RUNNING

    @property
    def editable(self) -> bool:
        """The participants (the mentor and the mentees, 001 §6, 003 §5.1) may mark the stage's events now: the
        program runs and the stage report is not under review."""
        return self.my_role in LANES and self.running and not stage_report_in_hand(self.reports)

    def task(self, form: str) -> OpenTask | None:
        return next((t.task for t in self.tasks if t.task.form_id == form), None)


def stage_work(session: Session, actor: Actor, program_id: int, *, clock: Clock | None = None) -> StageWork:
    """The current stage of one of the actor's programs; seeing the other participants is logged (152-ФЗ)."""
    program, role = my_program(session, actor, program_id)
    now = _now(clock)
    roadmap = programs.roadmap(program.roadmap_id)
    stage = next((s for s in roadmap.stages if s.id == program.current_stage_id), None)
    tasks = [MyTask(t, _task_due(t, program), False) for t in my_tasks(session, actor)
             if t.instance_id == program.workflow_instance_id]
    for item in tasks:
        item.overdue = bool(item.due_at and item.due_at < now)
    for person_id in program.group.participant_ids():
        if person_id != actor.person_id:
            log_access(session, person_id, f"работа по программе №{program.id}", viewer=actor.person_id,
                       fields=["full_name", "program"])
    other = [(s, [e for e in program.events if e.stage_id == s.id]) for s in roadmap.stages
             if s.id != program.current_stage_id]
    instance = program.workflow_instance
    return StageWork(
        program=program, my_role=role, roadmap=roadmap, stage=stage, stage_due_on=stage_due_on(program),
        events=[e for e in program.events if e.stage_id == program.current_stage_id],
        reports=[r for r in program.reports if r.stage_id == program.current_stage_id],
        tasks=tasks, petitions=petitions.petition_options(session, actor, program),
        instance_version=instance.version if instance is not None else None, other_stages=other,
        extension=petitions.extension_request(session, program), refusals=petitions.refusals(session, program))
