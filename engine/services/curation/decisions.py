"""Petitions decided by the head where the regulation says so (001 §6.2: «при невозможности установления
личного контакта с наставником выходить с ходатайством к руководителю образовательной организации о замене
наставника»): the organization's pack names the decider (``petitions[].decided_by``), the engine gives the
decision task that role (``engine.services.process.derived_rows.role_of``), and the head sees here what waits,
the petition with the regulation's grounds, and decides — a replacement names the new mentor, appointed by
order and in term; a refusal names its reason. The curator's own decisions stay on the curator's step page."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, joinedload

from engine.db.models import (
    InstanceStatus,
    OpenTask,
    Person,
    Role,
    WorkflowInstance,
    is_appointed,
    log_access,
)
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.regulations import pack_of
from engine.regulations.pack import PETITION_KINDS
from engine.regulations.pack_parts import Petition as PackPetition
from engine.services.curation.inbox import TaskSubject, subject_of
from engine.services.curation.step_page import appointed_mentors
from engine.services.people.actor import Actor
from engine.services.process import instances
from engine.services.process.domain import organization_today

ROLE = Role.HEAD
PAYLOAD_KEYS = {"mentor_replacement": "replacement", "mentor_release": "release", "early_completion": "early_completion"}


@dataclass
class PetitionDecision:
    task: OpenTask
    instance: WorkflowInstance
    subject: TaskSubject
    kind: str  # a petition kind (engine.regulations.pack.PETITION_KINDS)
    petition: dict  # what the participant filed: reason, petitioner_id, initiator
    rule: PackPetition | None  # the pack's petition: clause, grounds, who decides
    petitioner: Person | None = None
    mentor_choices: list[Person] = field(default_factory=list)

    @property
    def label(self) -> str:
        return PETITION_KINDS.get(self.kind, self.kind)


def _head_organizations(actor: Actor) -> list[int]:
    organizations = sorted(actor.organizations(ROLE))
    if not organizations:
        raise PermissionDenied(f"{actor.full_name or actor.login}: ходатайства здесь решает руководитель организации")
    return organizations


def _kind(session: Session, row: OpenTask) -> tuple[str, dict]:
    snapshot = instances.snapshot(session, row.instance_id)
    view = next((t for t in snapshot.ready_tasks if t.task_id == row.task_id), None)
    kind = view.petition if view is not None and view.petition else ""
    data = view.data if view is not None else snapshot.data
    payload = data.get(PAYLOAD_KEYS.get(kind, kind))
    return kind, payload if isinstance(payload, dict) else {}


def _decision(session: Session, row: OpenTask, on: date | None) -> PetitionDecision:
    kind, payload = _kind(session, row)
    instance = row.instance
    on = on or organization_today(session, instance.organization)  # the organization's local day
    found = PetitionDecision(row, instance, subject_of(session, instance), kind, payload,
                             pack_of(instance.organization).petition(kind))
    petitioner = payload.get("petitioner_id")
    found.petitioner = session.get(Person, petitioner) if isinstance(petitioner, int) else None
    if kind == "mentor_replacement" and found.subject.group is not None:
        current = found.subject.group.mentor_id
        found.mentor_choices = [p for p in appointed_mentors(session, instance.organization_id, on) if p.id != current]
    return found


def awaiting_decisions(session: Session, actor: Actor, on: date | None = None) -> list[PetitionDecision]:
    """The petitions waiting for the acting head's decision, oldest first."""
    rows = session.scalars(
        select(OpenTask).join(WorkflowInstance)
        .where(OpenTask.role == ROLE, OpenTask.form_id == FormId.DECIDE_PETITION,
               OpenTask.organization_id.in_(_head_organizations(actor)),
               WorkflowInstance.status == InstanceStatus.RUNNING.value)
        .options(joinedload(OpenTask.instance).options(defer(WorkflowInstance.state),  # the snapshot reads it
                                                       joinedload(WorkflowInstance.organization)))
        .order_by(OpenTask.created_at, OpenTask.id))
    return [_decision(session, row, on) for row in rows]


def decision_page(session: Session, actor: Actor, instance_id: int, task_id: str, on: date | None = None, *,
                  for_update: bool = False) -> PetitionDecision:
    """One petition for the head to decide (the participants' data it shows is logged, 152-ФЗ)."""
    row = session.scalar(select(OpenTask).where(OpenTask.instance_id == instance_id, OpenTask.task_id == str(task_id)))
    if row is None:
        if for_update and session.get(WorkflowInstance, instance_id) is not None:
            raise ConflictError("по этому ходатайству уже принято решение; ничего не сохранено")
        raise NotFound("ходатайство не найдено или уже рассмотрено", where=str(task_id))
    if row.role != ROLE or not actor.has_role(row.organization_id, ROLE):
        raise PermissionDenied(f"{actor.full_name or actor.login}: шаг «{row.name}» выполняет "
                               + ("куратор" if row.role == Role.CURATOR else "не руководитель этой организации"))
    if row.form_id != FormId.DECIDE_PETITION:
        raise NotFound(f"шаг «{row.name}» — не решение по ходатайству", where=str(task_id))
    found = _decision(session, row, on)
    if not for_update:
        for person in found.subject.people:
            if person.id != actor.person_id:
                log_access(session, person, f"ходатайство в процессе №{instance_id}", viewer=actor.person_id,
                           fields=["full_name", "position", "organization", "petition"])
    return found


def decide(session: Session, actor: Actor, instance_id: int, task_id: str, *, approved: bool, comment: str = "",
           new_mentor_id: int | None = None, on: date | None = None, expected_version: int | None = None) -> WorkflowInstance:
    """The head's decision; a replacement needs a new mentor appointed by order and in term on ``on`` (default: the
    organization's local day by the domain's clock)."""
    found = decision_page(session, actor, instance_id, task_id, on, for_update=True)
    on = on or organization_today(session, found.instance.organization)
    comment = (comment or "").strip()
    data: dict = {"approved": approved, "comment": comment}
    if not approved and not comment:
        raise NastavnikError("при отказе укажите причину", where="comment")
    if approved and found.kind == "mentor_replacement":
        group = found.subject.group
        if new_mentor_id is None:
            raise NastavnikError("выберите нового наставника", where="new_mentor_id")
        if group is not None and new_mentor_id == group.mentor_id:
            raise NastavnikError("новый наставник должен отличаться от нынешнего", where="new_mentor_id")
        if not is_appointed(session, new_mentor_id, on, organization_id=found.instance.organization_id):
            raise NastavnikError("новым наставником может быть только назначенный приказом наставник, срок "
                                 "назначения которого не истёк", where="new_mentor_id")
        data["new_mentor_id"] = new_mentor_id
    return instances.complete_task(session, actor, instance_id, found.task.task_id, data,
                                   expected_version=expected_version)
