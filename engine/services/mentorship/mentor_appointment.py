"""Mentor appointment (003 §3.4–3.5, 004 II.2, III.2): the curator proposes a candidate, the eligibility
step decides, and the head's order appoints the mentor for the pack's term."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import MentorAppointment, Order, Role, WorkflowInstance
from engine.db.models.mentorship import AppointmentStatus
from engine.forms import FormId
from engine.regulations import pack_of
from engine.services.mentorship.basics import (
    facts_for,
    mentor_ruleset,
    organization_by_id,
    person_for_registry,
    start_data,
)
from engine.services.mentorship.records import grant_role, record_decision
from engine.services.orders import in_workflows as process_orders
from engine.services.orders.in_workflows import OrderKind
from engine.services.people.actor import Actor
from engine.services.process import instances
from engine.services.process.hooks import Step, StepHook
from engine.workflow import Clock

REMINDER_DAYS_BEFORE_TERM_END = 30


def propose_mentor(session: Session, actor: Actor, organization_id: int, person_id: int, *,
                   direction: str | None = None, clock: Clock | None = None) -> WorkflowInstance:
    """The curator proposes a candidate — an active person of the organization or one under it (003 §3.3:
    «предлагает … кандидатуры руководителей образовательных организаций»): the appointment process starts and
    its eligibility step runs."""
    organization = organization_by_id(session, organization_id)
    actor.require(organization_id, Role.CURATOR, action="предложение кандидатуры наставника")
    person = person_for_registry(session, organization, person_id, where="person_id")
    instance = instances.start_instance(
        session, actor, pack_of(organization).process("mentor_appointment", organization.kind), "mentor_appointment", organization_id,
        subject={"candidate_id": person.id},
        data={**start_data(organization), "reminder_days_before": REMINDER_DAYS_BEFORE_TERM_END}, clock=clock)
    task = next(t for t in instance.open_tasks if t.form_id == FormId.PROPOSE_MENTOR)
    ruleset = mentor_ruleset(organization)
    return instances.complete_task(session, actor, instance.id, task.task_id, {
        "candidate_id": person.id, "candidate_name": person.full_name, "facts": facts_for(ruleset, person),
        "direction": direction or ""}, clock=clock)


def _record_candidate_decision(step: Step) -> None:
    record_decision(step.session, step.data.get("decision"), actor=step.actor,
                    person_id=step.task.data.get("candidate_id"))


def _appointment_order_data(session: Session, instance: WorkflowInstance, values: dict) -> dict:
    return {"mentors": [values["candidate_id"]], "starts_on": process_orders.step_day(instance).isoformat()}


def _appoint(session: Session, instance: WorkflowInstance, values: dict, order: Order, actor: Actor) -> None:
    organization = organization_by_id(session, instance.organization_id)
    starts_on = process_orders.step_day(instance)
    session.add(MentorAppointment(
        person_id=values["candidate_id"], organization_id=organization.id, order_id=order.id, starts_on=starts_on,
        ends_on=pack_of(organization).mentor_term.ends_on(starts_on), direction=values.get("direction") or None,
        status=AppointmentStatus.ACTIVE.value))
    grant_role(session, values["candidate_id"], organization.id, Role.MENTOR)
    session.flush()


# -- what the workflows name (collected by engine.bootstrap) --------------------------------------

HOOKS: dict[str, StepHook] = {  # the ``hook`` a user task names -> what its completion also does
    "record_mentor_decision": _record_candidate_decision,  # mentor_appointment: the eligibility decision
}
ORDER_KINDS: dict[str, OrderKind] = {
    "appointment_of_mentors": OrderKind(_appointment_order_data, _appoint),
}
