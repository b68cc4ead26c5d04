"""Incidents: background jobs that failed their last try and wait for a person (issue 13).

    listing(session, actor, *, program_id=None, instance_id=None, offset=0, limit=None) -> IncidentList
    describe(session, jobs) -> list[Incident]    what each is about (no permission check: the caller's)
    get_incident(session, actor, job_id) -> Incident
    retry(session, actor, job_id) -> Job          incident → waiting: its tries counted anew, due now
    skip(session, actor, job_id, reason) -> Job   incident → skipped: its key stays taken, nothing enqueues it again
    open_count(session, *, instance_ids=(), program_id=None) -> int     «у программы N открытых инцидентов»
    may_see(session, actor) -> bool              whether the actor has incidents to look at (the menu)
    watchers(session, organization_id) -> set[int]   who is told when a job of the organization becomes one

Who: the administrator sees the incidents of the organizations they administer (held there or above:
``people.actor.administered_organizations``), the curator those of her organizations and the ones under them;
a job of no organization (a periodic job of the whole installation) only the administrator of a top-level
organization. Everyone else is refused by name (``PermissionDenied``). ``retry`` and ``skip`` are audited
(``job.retried``, ``job.skipped``) and commit nothing: the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, load_only

from engine.db.models import (
    Job,
    JobStatus,
    Organization,
    ProcessDefinition,
    Program,
    Role,
    RoleAssignment,
    WorkflowInstance,
    record_audit,
)
from engine.db.types import utcnow
from engine.documents.basics import zone_of
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.jobs.table import table_of
from engine.services.people.actor import Actor, administered_organizations, subtree, subtree_ids
from engine.workflow.bpmn_xml import element_names

WHO = (Role.ADMIN, Role.CURATOR)
KIND_LABELS: dict[str, str] = {  # what a job of each kind does, as the list says it; others: «Фоновая работа»
    "fire_timers": "Срок в процессе (таймер)",
    "send_email": "Отправка письма",
    "send_digest": "Ежедневная сводка уведомлений",
}
REASON_LIMIT = 2000


@dataclass(frozen=True)
class Incident:
    id: int
    kind: str
    what: str  # KIND_LABELS, Russian
    organization_id: int | None
    organization_name: str | None
    instance_id: int | None
    process_name: str | None  # the instance's process (its definition's name)
    program_id: int | None  # when the instance is a program's
    element_id: str | None
    element_name: str | None  # from the instance's diagram, when it names the element
    error: str  # Russian (Job.last_error)
    first_tried_at: datetime | None
    last_tried_at: datetime | None
    attempts: int
    status: str  # JobStatus: incident while open; waiting, done or skipped after a person acted
    time_zone: str | None  # the organization's (its times are shown there); None: the installation's default


@dataclass(frozen=True)
class IncidentList:
    total: int
    items: list[Incident]


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, "Фоновая работа")


# -- who ------------------------------------------------------------------------------------------

def _roots(session: Session) -> set[int]:
    return set(session.scalars(select(Organization.id).where(Organization.parent_id.is_(None))))


def _scope(session: Session, actor: Actor) -> tuple[set[int], bool]:
    """(the organizations whose incidents the actor sees, whether they also see those of no organization)."""
    administered = administered_organizations(session, actor)
    curated = subtree(session, actor.organizations(Role.CURATOR))
    administering = actor.organizations(Role.ADMIN)
    top = bool(administering) and bool(administering & _roots(session))
    return administered | curated, top


def _denied(actor: Actor, what: str) -> PermissionDenied:
    return PermissionDenied(f"{actor.full_name or actor.login}: {what} доступны только ролям «администратор» и "
                            "«куратор» организации, к которой относится задание")


def may_see(session: Session, actor: Actor) -> bool:
    organizations, top = _scope(session, actor)
    return bool(organizations) or top


def _visible(stmt, organizations: set[int], top: bool):
    conditions = [Job.organization_id.in_(organizations)] if organizations else []
    if top:
        conditions.append(Job.organization_id.is_(None))
    return stmt.where(or_(*conditions))


def _ancestors(session: Session, organization_id: int) -> set[int]:
    found: set[int] = set()
    current: int | None = organization_id
    while current is not None and current not in found:
        found.add(current)
        current = session.scalar(select(Organization.parent_id).where(Organization.id == current))
    return found


def watchers(session: Session, organization_id: int | None) -> set[int]:
    """The people who may act on an incident of ``organization_id``: its administrators and curators (held there or
    above); with None, the administrators of the top-level organizations."""
    places = _roots(session) if organization_id is None else _ancestors(session, organization_id)
    roles: tuple[str, ...] = (Role.ADMIN,) if organization_id is None else WHO
    return set(session.scalars(select(RoleAssignment.person_id).where(
        RoleAssignment.organization_id.in_(places), RoleAssignment.role.in_(roles),
        RoleAssignment.active.is_(True))))


# -- what -----------------------------------------------------------------------------------------

def _program_id(instance: WorkflowInstance, programs: dict[int, int]) -> int | None:
    subject = instance.subject if isinstance(instance.subject, dict) else {}
    value = subject.get("program_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return programs.get(instance.id)


_ELEMENT_NAMES: dict[str, dict[str, str]] = {}  # a BPMN's element names by its SHA-256 (content-addressed)
_ELEMENT_NAMES_KEPT = 256


def _element_names(session: Session, definitions: dict[int, ProcessDefinition]) -> dict[int, dict[str, str]]:
    """The element names of each definition's BPMN; a BPMN text is read (one statement) only when its digest was
    not met before in this process."""
    missing = [d.id for d in definitions.values() if d.bpmn_sha256 not in _ELEMENT_NAMES]
    if missing:
        if len(_ELEMENT_NAMES) > _ELEMENT_NAMES_KEPT:
            _ELEMENT_NAMES.clear()
        for digest, bpmn in session.execute(select(ProcessDefinition.bpmn_sha256, ProcessDefinition.bpmn)
                                            .where(ProcessDefinition.id.in_(missing))):
            _ELEMENT_NAMES[digest] = element_names(bpmn)
    return {d.id: _ELEMENT_NAMES.get(d.bpmn_sha256, {}) for d in definitions.values()}


def describe(session: Session, jobs: list[Job]) -> list[Incident]:
    instance_ids = {job.instance_id for job in jobs if job.instance_id is not None}
    instances = {i.id: i for i in session.scalars(select(WorkflowInstance).where(WorkflowInstance.id.in_(instance_ids))
                                                  .options(load_only(WorkflowInstance.id, WorkflowInstance.definition_id,
                                                                     WorkflowInstance.subject)))
                 } if instance_ids else {}
    definitions = {d.id: d for d in session.scalars(select(ProcessDefinition).where(
        ProcessDefinition.id.in_({i.definition_id for i in instances.values()})).options(
        load_only(ProcessDefinition.id, ProcessDefinition.name, ProcessDefinition.bpmn_sha256)))} if instances else {}
    names = _element_names(session, definitions)
    programs = {instance_id: program_id for instance_id, program_id in session.execute(
        select(Program.workflow_instance_id, Program.id).where(Program.workflow_instance_id.in_(instance_ids)))
        if instance_id is not None} if instance_ids else {}
    organization_ids = {job.organization_id for job in jobs if job.organization_id is not None}
    organizations = {o.id: o for o in session.scalars(select(Organization).where(
        Organization.id.in_(organization_ids)))} if organization_ids else {}
    out = []
    for job in jobs:
        instance = instances.get(job.instance_id) if job.instance_id is not None else None
        definition = definitions.get(instance.definition_id) if instance is not None else None
        place_of = organizations.get(job.organization_id) if job.organization_id is not None else None
        element_name = (names[definition.id].get(job.element_id or "")
                        if definition is not None and job.element_id else None)
        out.append(Incident(
            id=job.id, kind=job.kind, what=kind_label(job.kind), organization_id=job.organization_id,
            organization_name=place_of.name if place_of is not None else None,
            instance_id=job.instance_id, process_name=definition.name if definition is not None else None,
            program_id=_program_id(instance, programs) if instance is not None else None,
            element_id=job.element_id, element_name=element_name,
            error=job.last_error or "ошибка не записана", first_tried_at=job.first_tried_at,
            last_tried_at=job.finished_at, attempts=job.attempts, status=job.status,
            time_zone=zone_of(place_of).key if place_of is not None else None))
    return out


def place(incident: Incident) -> str:
    """Where the incident happened, in words: «программа №7, процесс «…», шаг «…»» (for a notice or a log)."""
    parts = []
    if incident.program_id is not None:
        parts.append(f"программа №{incident.program_id}")
    if incident.instance_id is not None:
        parts.append(f"процесс №{incident.instance_id}"
                     + (f" «{incident.process_name}»" if incident.process_name else ""))
    if incident.element_name:
        parts.append(f"шаг «{incident.element_name}»")
    return ", ".join(parts) or f"задание №{incident.id}"


def _program_instances(session: Session, program_id: int, organization_id: int | None = None) -> set[int]:
    """The instances of ``program_id``: its own lifecycle and those whose subject names it (petitions, orders)."""
    own = {i for i in session.scalars(select(Program.workflow_instance_id).where(Program.id == program_id))
           if i is not None}
    candidates = select(Job.instance_id, WorkflowInstance.subject).join(
        WorkflowInstance, WorkflowInstance.id == Job.instance_id).where(Job.status == JobStatus.INCIDENT.value)
    if organization_id is not None:
        candidates = candidates.where(Job.organization_id == organization_id)
    named = {instance_id for instance_id, subject in session.execute(candidates)
             if isinstance(subject, dict) and subject.get("program_id") == program_id}
    return own | named


def listing(session: Session, actor: Actor, *, program_id: int | None = None, instance_id: int | None = None,
            offset: int = 0, limit: int | None = None) -> IncidentList:
    """The open incidents the actor may act on, newest first; of one program or instance when given."""
    organizations, top = _scope(session, actor)
    if not organizations and not top:
        raise _denied(actor, "инциденты фоновой работы")
    stmt = _visible(select(Job).where(Job.status == JobStatus.INCIDENT.value), organizations, top)
    if program_id is not None:
        stmt = stmt.where(Job.instance_id.in_(_program_instances(session, program_id)))
    if instance_id is not None:
        stmt = stmt.where(Job.instance_id == instance_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = stmt.order_by(Job.finished_at.desc(), Job.id.desc()).offset(offset)
    jobs = list(session.scalars(page.limit(limit) if limit is not None else page))
    return IncidentList(int(total), describe(session, jobs))


def _job(session: Session, actor: Actor, job_id: int, *, lock: bool = False) -> Job:
    stmt = select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
    job = session.scalar(stmt.with_for_update() if lock else stmt)
    if job is None:
        raise NotFound(f"фонового задания №{job_id} нет")
    organizations, top = _scope(session, actor)
    if not (job.organization_id in organizations if job.organization_id is not None else top):
        raise _denied(actor, f"инцидент задания №{job_id}: повтор, пропуск и просмотр")
    return job


def get_incident(session: Session, actor: Actor, job_id: int) -> Incident:
    """One job as the incident list shows it (whatever its state now), if the actor may act on it."""
    return describe(session, [_job(session, actor, job_id)])[0]


def _open(job: Job, action: str) -> None:
    if job.status != JobStatus.INCIDENT.value:
        state = {JobStatus.WAITING.value: "его уже повторили, оно ждёт выполнения",
                 JobStatus.DONE.value: "оно уже выполнено",
                 JobStatus.SKIPPED.value: "его уже пропустили"}.get(job.status, "оно не инцидент")
        raise ConflictError(f"задание №{job.id} нельзя {action}: {state}", where=f"задание №{job.id}")


def retry(session: Session, actor: Actor, job_id: int, *, now: datetime | None = None) -> Job:
    """«Повторить»: the incident waits again, due now, its tries counted anew; the kind's ``on_retry`` takes back
    what its ``on_incident`` marked. The next tick hands it to a worker."""
    job = _job(session, actor, job_id, lock=True)
    _open(job, "повторить")
    moment = now or utcnow()
    job.status = JobStatus.WAITING.value
    job.attempts = 0
    job.run_after = moment
    job.dispatched_at = None
    job.first_tried_at = None
    job.finished_at = None
    job.resolved_by_id, job.resolved_at = actor.person_id, moment
    undo = table_of(session).retry_handler(job.kind)
    if undo is not None:
        undo(session, job)
    record_audit(session, "job.retried", actor=actor.person_id, obj=job, organization=job.organization_id,
                 details={"kind": job.kind, "instance_id": job.instance_id, "element_id": job.element_id,
                          "error": job.last_error})
    session.flush()
    return job


def skip(session: Session, actor: Actor, job_id: int, reason: str, *, now: datetime | None = None) -> Job:
    """«Пропустить»: the incident is closed without running it; ``reason`` (required) is audited. Its key stays
    taken, so no sweep enqueues the same work again."""
    job = _job(session, actor, job_id, lock=True)
    _open(job, "пропустить")
    reason = " ".join((reason or "").split())
    if not reason:
        raise NastavnikError("укажите причину: почему это задание не нужно выполнять", where="reason")
    if len(reason) > REASON_LIMIT:
        raise NastavnikError(f"причина длиннее {REASON_LIMIT} знаков", where="reason")
    moment = now or utcnow()
    job.status = JobStatus.SKIPPED.value
    job.resolved_by_id, job.resolved_at = actor.person_id, moment
    record_audit(session, "job.skipped", actor=actor.person_id, obj=job, organization=job.organization_id,
                 details={"kind": job.kind, "instance_id": job.instance_id, "element_id": job.element_id,
                          "error": job.last_error, "reason": reason})
    session.flush()
    return job


def open_count(session: Session, *, instance_ids: set[int] | frozenset[int] = frozenset(),
               program_id: int | None = None) -> int:
    """How many open incidents the instances (and, with ``program_id``, the program's instances) have. Permission
    is the caller's: the page that shows the number."""
    ids = set(instance_ids) | (_program_instances(session, program_id) if program_id is not None else set())
    if not ids:
        return 0
    return int(session.scalar(select(func.count()).select_from(Job).where(
        Job.status == JobStatus.INCIDENT.value, Job.instance_id.in_(ids))) or 0)


def visible_count(session: Session, actor: Actor) -> int:
    """How many open incidents the actor may act on (0 for anyone else): the menu's number, on every page — one
    statement for a curator (her organizations' subtree inside it)."""
    roots = actor.organizations(Role.ADMIN) | actor.organizations(Role.CURATOR)  # as ``_scope``: both subtrees
    administering = actor.organizations(Role.ADMIN)
    top = bool(administering) and bool(administering & _roots(session))
    if not roots and not top:
        return 0
    conditions = [Job.organization_id.in_(subtree_ids(roots))] if roots else []
    if top:
        conditions.append(Job.organization_id.is_(None))
    return int(session.scalar(select(func.count()).select_from(Job)
                              .where(Job.status == JobStatus.INCIDENT.value, or_(*conditions))) or 0)
