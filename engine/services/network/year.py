"""A trainee's academic year with the network mentor, on the pack's program process (``network_program``):
the trainee develops the individual professional development plan and carries it out (004 IV.3), the network
mentor accompanies its development — agrees it or returns it with a comment (004 IV.1) — and at the end of the
academic year reviews the plan's fulfilment, the trainee's business qualities and readiness for independent
work (004 IV.1). The review's «plan fulfilled» is what the mentor's effectiveness indicator counts (004 III.8)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import NetworkGroup, NetworkMember, OpenTask, Role, WorkflowInstance, record_audit
from engine.db.models.mentorship import MenteeStatus
from engine.errors import NastavnikError, NotFound
from engine.forms import FormId
from engine.regulations import RegulationPack
from engine.services.network import basics
from engine.services.people.actor import SYSTEM, Actor
from engine.services.process import instances
from engine.services.process.hooks import Step, StepHook
from engine.vocabulary import Readiness
from engine.workflow import Clock


def start_year(session: Session, regulation: RegulationPack, group: NetworkGroup, member: NetworkMember, *,
               clock: Clock) -> WorkflowInstance:
    """The trainee's academic year in the group: the pack's program process, its tasks for the trainee and the
    group's mentor; the review opens a month before the pack's review day (004 IV.1)."""
    instance = instances.start_instance(
        session, SYSTEM, regulation.process("program", group.organization.kind), "program", group.organization_id,
        subject={"member_id": member.id, "group_id": group.id,
                 "assignees": {Role.MENTOR: group.mentor_id, Role.MENTEE: member.person_id}},
        data={**regulation.process_data(), "member_id": member.id,
              "group_id": group.id, "trainee_id": member.person_id, "mentor_id": group.mentor_id,
              "direction": group.direction,
              "review_opens_at": basics.local_midnight(regulation, group.review_opens_on),
              "review_due_at": basics.local_midnight(regulation, group.review_due_on),
              "year_ends_on": group.ends_on.isoformat()}, clock=clock)
    member.workflow_instance_id = instance.id
    session.flush()
    return instance


def member(session: Session, member_id: int) -> NetworkMember:
    found = session.get(NetworkMember, member_id)
    if found is None:
        raise NotFound(f"нет стажёра №{member_id} в группах сетевых наставников")
    return found


def member_of(session: Session, instance: WorkflowInstance) -> NetworkMember:
    return member(session, int((instance.subject or {}).get("member_id") or 0))


def open_task(session: Session, found: NetworkMember, form_id: str) -> OpenTask | None:
    if found.workflow_instance_id is None:
        return None
    return session.scalar(select(OpenTask).where(OpenTask.instance_id == found.workflow_instance_id,
                                                 OpenTask.form_id == form_id).order_by(OpenTask.id).limit(1))


def _text(data: dict, key: str, what: str, clause: str) -> str:
    text = str(data.get(key) or "").strip()
    if not text:
        raise NastavnikError(f"заполните «{what}» ({clause})", where=key)
    return text


# -- hooks -----------------------------------------------------------------------------------------

def _record_plan(step: Step) -> None:
    """development_plan: the trainee's individual professional development plan (004 IV.1, IV.3)."""
    found = member_of(step.session, step.instance)
    data = step.task.data
    found.plan_goals = _text(data, "goals", "Цели профессионального развития", "004 IV.3")
    found.plan_actions = _text(data, "actions", "Мероприятия, формы работы и сроки", "004 IV.3")
    found.plan_submitted_at, found.plan_accepted_at = step.instance.updated_at, None
    record_audit(step.session, "network.plan_submitted", actor=step.actor.person_id, obj=found.group,
                 organization=found.group.organization_id, details={"member_id": found.id})


def _record_acceptance(step: Step) -> None:
    """accept_development_plan: the mentor agrees the plan, or returns it saying what to change (004 IV.1)."""
    found = member_of(step.session, step.instance)
    approved, comment = step.task.data.get("approved") is True, str(step.task.data.get("comment") or "").strip()
    if not approved and not comment:
        raise NastavnikError("возвращая план, напишите стажёру, что доработать (004 IV.1)", where="comment")
    found.plan_comment = comment or None
    if approved:
        found.plan_accepted_at = step.instance.updated_at
    else:  # back with the trainee: the text stays for correcting, the comment says what to change
        found.plan_submitted_at = None
    record_audit(step.session, "network.plan_" + ("accepted" if approved else "returned"),
                 actor=step.actor.person_id, obj=found.group, organization=found.group.organization_id,
                 details={"member_id": found.id, "comment": comment})


def _record_review(step: Step) -> None:
    """trainee_review: the mentor's review at the end of the academic year (004 IV.1)."""
    found = member_of(step.session, step.instance)
    data = step.task.data
    found.fulfilment = _text(data, "fulfilment", "О выполнении индивидуального плана", "004 IV.1")
    found.business_qualities = _text(data, "business_qualities", "Деловые качества", "004 IV.1")
    found.readiness = Readiness(str(data.get("readiness"))).value
    found.plan_fulfilled = data.get("plan_fulfilled") is True
    found.activity_results = str(data.get("activity_results") or "").strip() or None
    found.reviewed_at, found.reviewed_by_id = step.instance.updated_at, step.actor.person_id
    found.mentee.status = MenteeStatus.COMPLETED.value
    record_audit(step.session, "network.trainee_reviewed", actor=step.actor.person_id, obj=found.group,
                 organization=found.group.organization_id,
                 details={"member_id": found.id, "plan_fulfilled": found.plan_fulfilled, "readiness": found.readiness})


# -- what pages do -----------------------------------------------------------------------------------

def submit_plan(session: Session, actor: Actor, member_id: int, *, goals: str, actions: str,
                clock: Clock | None = None) -> WorkflowInstance:
    """The trainee submits (or, after a return, corrects) the development plan (004 IV.3)."""
    found = member(session, member_id)
    task = open_task(session, found, FormId.DEVELOPMENT_PLAN)
    if task is None:
        state = ("уже согласован наставником" if found.plan_accepted_at else
                 "на согласовании у наставника" if found.plan_submitted_at else
                 "больше не разрабатывается: учебный год закончился")
        raise NastavnikError(f"индивидуальный план профессионального развития {state}", where="goals")
    return instances.complete_task(session, actor, task.instance_id, task.task_id,
                                   {"goals": goals, "actions": actions}, clock=clock)


def decide_plan(session: Session, actor: Actor, member_id: int, *, approved: bool, comment: str = "",
                clock: Clock | None = None) -> WorkflowInstance:
    """The network mentor agrees the trainee's plan or returns it with a comment (004 IV.1)."""
    found = member(session, member_id)
    task = open_task(session, found, FormId.ACCEPT_DEVELOPMENT_PLAN)
    if task is None:
        raise NastavnikError(f"{found.person.full_name}: план не ждёт согласования", where="approved")
    return instances.complete_task(session, actor, task.instance_id, task.task_id,
                                   {"approved": approved, "comment": comment}, clock=clock)


def write_review(session: Session, actor: Actor, member_id: int, values: dict,
                 clock: Clock | None = None) -> WorkflowInstance:
    """The network mentor's review of the trainee — only at the end of the academic year (004 IV.1)."""
    found = member(session, member_id)
    task = open_task(session, found, FormId.TRAINEE_REVIEW)
    if task is None:
        group = found.group
        if found.reviewed_at is not None:
            raise NastavnikError(f"отзыв о стажёре {found.person.full_name} уже представлен", where="review")
        raise NastavnikError(f"отзыв о выполнении индивидуального плана стажёра представляется в конце учебного года "
                             f"(004 IV.1): с {group.review_opens_on:%d.%m.%Y}, срок — {group.review_due_on:%d.%m.%Y}",
                             where="review")
    return instances.complete_task(session, actor, task.instance_id, task.task_id, values, clock=clock)


HOOKS: dict[str, StepHook] = {  # the ``hook`` a user task of network_program names
    "record_development_plan": _record_plan,
    "record_plan_acceptance": _record_acceptance,
    "record_trainee_review": _record_review,
}
ORDER_KINDS: dict = {}  # no order: 004 III.4 forms groups and IV.1 reviews trainees without one
