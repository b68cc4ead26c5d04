"""The curator's inbox: open workflow steps waiting for the curator role in their organizations, each
with what it is about (the program, the pair/group or the mentor candidate, and their people), filtered
by school, model (roadmap), stage, overdue and free text, one page at a time.

A school here is the workplace of the mentees (of the candidate, for a mentor appointment): the roles are
held at the department, while the people work at its schools (``Person.organization_id``); a mentor
from another school does not make the step that school's.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from engine.db import paging
from engine.db.models import (
    GroupMember,
    InstanceStatus,
    MentoringGroup,
    OpenTask,
    Order,
    OrderStatus,
    Organization,
    Person,
    Program,
    Role,
    WorkflowInstance,
)
from engine.db.paging import Counted
from engine.errors import PermissionDenied
from engine.forms import FormId
from engine.regulations import all_roadmaps
from engine.services.curation import inbox_query as query
from engine.services.curation import inbox_rows
from engine.services.curation.inbox_query import SCHOOL_KINDS, InboxFilters
from engine.services.curation.inbox_rows import ListedSubject, ListedTask
from engine.services.orders.in_workflows import refused_orders
from engine.services.people.actor import Actor
from engine.workflow.clock import to_utc

ROLE = Role.CURATOR
# what a list reads of an instance: never its state (the serialized workflow)
LIGHT_INSTANCE = load_only(WorkflowInstance.id, WorkflowInstance.kind, WorkflowInstance.organization_id,
                           WorkflowInstance.subject, WorkflowInstance.status)
# a refused order whose process gives the curator no step (a refused early completion goes back to the stage)
# is listed in her inbox on its own, for this many days after the refusal
REFUSAL_NOTICE_DAYS = 30


@dataclass
class TaskSubject:
    """What a step is about: a program, a pair/group being formed or a mentor candidate."""

    program: Program | None = None
    group: MentoringGroup | None = None
    candidate: Person | None = None

    @property
    def mentor(self) -> Person | None:
        """The group's mentor now (None while the released one awaits a replacement, 003 §4.1)."""
        return self.group.mentor if self.group is not None and self.group.current_mentor_id is not None else None

    @property
    def released_mentor(self) -> Person | None:
        """The mentor released by order whom nobody has replaced yet (003 §4.1)."""
        return self.group.mentor if self.group is not None and self.group.mentor_released_on else None

    @property
    def mentees(self) -> list[Person]:
        if self.group is None:
            return []
        return [m.person for m in self.group.members if m.left_on is None] or [m.person for m in self.group.members]

    @property
    def people(self) -> list[Person]:
        return [p for p in (self.candidate, self.mentor, self.released_mentor, *self.mentees) if p is not None]

    @property
    def schools(self) -> list[Organization]:
        """The schools the step is about: where the mentees (or the mentor candidate) work."""
        seen: dict[int, Organization] = {}
        for person in [p for p in (self.candidate, *self.mentees) if p is not None]:
            if person.organization is not None and person.organization.kind in SCHOOL_KINDS:
                seen.setdefault(person.organization.id, person.organization)
        return list(seen.values())

    @property
    def roadmap_id(self) -> str | None:
        if self.program is not None:
            return self.program.roadmap_id
        return self.group.roadmap_id if self.group is not None else None

    @property
    def stage_id(self) -> str | None:
        return self.program.current_stage_id if self.program is not None else None


@dataclass
class InboxRow:
    task: ListedTask  # what the row shows of the step, its instance and organization (inbox_rows: not the models)
    subject: ListedSubject
    overdue: bool
    refusal: Order | None = None  # the order of this process the head refused to sign: its reason comes back here

    @property
    def kind(self) -> str:
        return self.task.instance.kind


@dataclass
class InboxPage:
    rows: list[InboxRow]
    total: Counted  # after the filters (each counted up to the page's offset + ``LIST_BOUND``)
    unfiltered: Counted
    page: int
    pages: int  # known pages (more may follow when ``total.more``)
    schools: list[Organization] = field(default_factory=list)
    roadmaps: list[tuple[str, str]] = field(default_factory=list)  # (id, title)
    stages: list[tuple[str, str]] = field(default_factory=list)  # (id, title)
    refusals: list[RefusalNotice] = field(default_factory=list)  # refused orders no open step carries


@dataclass(frozen=True)
class RefusalNotice:
    """An order the head refused to sign, of a process that gave the curator no step to carry the reason."""

    order: Order
    subject: TaskSubject


def curator_organizations(actor: Actor) -> list[int]:
    organizations = sorted(actor.organizations(ROLE))
    if not organizations:
        raise PermissionDenied(f"{actor.full_name or actor.login}: входящие доступны только куратору")
    return organizations


def _load_subjects(session: Session, instances: list[WorkflowInstance]) -> dict[int, TaskSubject]:
    """One query per kind of subject for all the instances (ids from ``instance.subject``)."""
    def ids(key: str) -> set[int]:
        return {value for instance in instances if (value := inbox_rows.subject_ref(instance.subject, key)) is not None}

    group_load = (joinedload(MentoringGroup.mentor).joinedload(Person.organization),
                  selectinload(MentoringGroup.members).joinedload(GroupMember.person).joinedload(Person.organization))
    programs = {p.id: p for p in session.scalars(
        select(Program).where(Program.id.in_(ids("program_id")))
        .options(joinedload(Program.group).options(*group_load)))} if ids("program_id") else {}
    groups = {g.id: g for g in session.scalars(
        select(MentoringGroup).where(MentoringGroup.id.in_(ids("group_id"))).options(*group_load))
        } if ids("group_id") else {}
    people = {p.id: p for p in session.scalars(
        select(Person).where(Person.id.in_(ids("candidate_id"))).options(joinedload(Person.organization)))
        } if ids("candidate_id") else {}
    subjects: dict[int, TaskSubject] = {}
    for instance in instances:
        program = inbox_rows.by_id(programs, inbox_rows.subject_ref(instance.subject, "program_id"))
        group = program.group if program is not None else inbox_rows.by_id(groups, inbox_rows.subject_ref(instance.subject, "group_id"))
        subjects[instance.id] = TaskSubject(program, group, inbox_rows.by_id(people, inbox_rows.subject_ref(instance.subject, "candidate_id")))
    return subjects


def subject_of(session: Session, instance: WorkflowInstance) -> TaskSubject:
    return _load_subjects(session, [instance])[instance.id]


def school_options(session: Session, organizations: list[int]) -> list[Organization]:
    """The schools under the curator's organizations (and those organizations themselves if schools)."""
    return list(session.scalars(
        select(Organization).where(
            (Organization.parent_id.in_(organizations)) | (Organization.id.in_(organizations)),
            Organization.kind.in_(SCHOOL_KINDS))
        .order_by(Organization.short_name, Organization.name)))


def roadmap_options() -> list[tuple[str, str]]:
    roadmaps = sorted(all_roadmaps().values(), key=lambda r: r.source)
    return [(r.id, f"{r.source}: {r.short_title or r.title}") for r in roadmaps]


def stage_options() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for roadmap in sorted(all_roadmaps().values(), key=lambda r: r.id):
        for stage in roadmap.stages:
            seen.setdefault(stage.id, stage.title)
    return list(seen.items())


def curator_inbox(session: Session, actor: Actor, filters: InboxFilters | None = None, *, page: int = 1,
                  size: int = 50, now: datetime | None = None) -> InboxPage:
    """The curator's open steps, soonest due first (undated last), filtered and cut to ``page`` by the database."""
    filters = filters or InboxFilters()
    moment = to_utc(now) if now is not None else datetime.now(UTC)
    organizations = curator_organizations(actor)
    steps = query.curator_steps(organizations)
    size = max(size, 1)
    bound = max(page - 1, 0) * size + paging.LIST_BOUND  # the page asked for and a bound beyond it
    unfiltered = query.count_up_to(session, steps, bound)
    wanted = query.conditions(filters, moment)
    matching = query.with_subjects(steps).where(*wanted) if wanted else steps
    total = query.count_up_to(session, matching, bound) if wanted else unfiltered
    pages = max((total.value + size - 1) // size, 1)
    page = min(max(page, 1), pages)
    tasks = inbox_rows.listed_tasks(session, matching.order_by(*query.SOONEST_FIRST).limit(size)
                                    .offset((page - 1) * size))
    subjects = inbox_rows.listed_subjects(session, {t.instance_id: t.instance for t in tasks}.values())
    refusals = refused_orders(session, list(subjects))
    rows = [InboxRow(t, subjects[t.instance_id], t.due_at is not None and to_utc(t.due_at) < moment,
                     refusals.get(t.instance_id)) for t in tasks]
    return InboxPage(rows, total, unfiltered, page, pages, school_options(session, organizations), roadmap_options(),
                     stage_options(), refusals_without_step(session, actor))


def refusals_without_step(session: Session, actor: Actor) -> list[RefusalNotice]:
    """Orders the head refused in the last ``REFUSAL_NOTICE_DAYS`` days, the last their running process drafted,
    where the process has no open step of the curator to show the reason on. The days are counted on the wall
    clock, as the order's ``updated_at`` (the refusal) is stamped."""
    organizations = curator_organizations(actor)
    with_step = query.curator_steps(organizations).with_only_columns(OpenTask.instance_id)
    ordered = select(Order.workflow_instance_id).where(  # refused lately (not every order signed in those days)
        Order.status == OrderStatus.REFUSED.value,
        Order.updated_at >= datetime.now(UTC) - timedelta(days=REFUSAL_NOTICE_DAYS))
    recent = select(WorkflowInstance).where(
        WorkflowInstance.status == InstanceStatus.RUNNING.value, WorkflowInstance.organization_id.in_(organizations),
        WorkflowInstance.id.in_(ordered), WorkflowInstance.id.not_in(with_step))
    instances = list(session.scalars(recent.options(LIGHT_INSTANCE)))
    refused = refused_orders(session, [instance.id for instance in instances])
    subjects = _load_subjects(session, [instance for instance in instances if instance.id in refused])
    return [RefusalNotice(order, subjects[instance_id]) for instance_id, order in
            sorted(refused.items(), key=lambda item: item[1].updated_at, reverse=True)]


@dataclass
class ConsentWait:
    """A participant's written consent the pair's formation waits for (003 §3.2: the head's order follows
    only with the participants' written consent); the curator follows these up."""

    task: OpenTask
    subject: TaskSubject
    waiting_days: int

    @property
    def person(self) -> Person | None:
        return self.task.assignee


def awaiting_consents(session: Session, actor: Actor, *, now: datetime | None = None) -> list[ConsentWait]:
    """Consent steps of mentors and mentees in the curator's organizations, longest waiting first."""
    organizations = curator_organizations(actor)
    moment = to_utc(now) if now is not None else datetime.now(UTC)
    tasks = list(session.scalars(
        select(OpenTask).join(WorkflowInstance)
        .where(OpenTask.form_id == FormId.GIVE_CONSENT, OpenTask.organization_id.in_(organizations),
               WorkflowInstance.status == InstanceStatus.RUNNING.value)
        .options(joinedload(OpenTask.instance).options(LIGHT_INSTANCE), joinedload(OpenTask.assignee))
        .order_by(OpenTask.created_at, OpenTask.id)))
    subjects = _load_subjects(session, list({t.instance.id: t.instance for t in tasks}.values()))
    return [ConsentWait(t, subjects[t.instance_id], max((moment - to_utc(t.created_at)).days, 0)) for t in tasks]
