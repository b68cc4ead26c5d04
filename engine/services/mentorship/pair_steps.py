"""What the pair-formation process's steps also do (collected by engine.bootstrap): the mentor's and mentees'
decisions recorded, each participant's written consent (003 §6.2) or the group dissolved, and the head's order
approving the pair with each mentee's program started."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import Consent, MentoringGroup, Order, WorkflowInstance
from engine.db.models.mentorship import GroupStatus
from engine.errors import NotFound
from engine.regulations import pack_of
from engine.services.mentorship import programs
from engine.services.mentorship.engagement import require_free
from engine.services.mentorship.lifecycle import start_program
from engine.services.mentorship.records import participation_consent, record_decision
from engine.services.orders import in_workflows as process_orders
from engine.services.orders.in_workflows import OrderKind
from engine.services.people.actor import Actor
from engine.services.process.hooks import Step, StepHook


def _group_of(session: Session, instance: WorkflowInstance) -> MentoringGroup:
    group = session.get(MentoringGroup, (instance.subject or {})["group_id"])
    if group is None:
        raise NotFound(f"процесс №{instance.id} не связан с группой")
    return group


def _record_pair_decisions(step: Step) -> None:
    group = _group_of(step.session, step.instance)
    record_decision(step.session, step.data.get("decision"), actor=step.actor, person_id=group.mentor_id,
                    group_id=group.id)
    for mentee_id, decision in zip(step.data.get("mentee_ids") or [], step.data.get("mentee_decisions") or [], strict=False):
        record_decision(step.session, decision, actor=step.actor, person_id=mentee_id, group_id=group.id)


def _record_consent(step: Step) -> None:
    group = _group_of(step.session, step.instance)
    if step.task.data.get("consent") is True:
        if step.actor.person_id in [m.person_id for m in group.members]:  # a mentee: one program at a time
            require_free(step.session, step.actor.person_id, excluding_group_id=group.id, where="consent")
        step.session.add(Consent(person_id=step.actor.person_id, group_id=group.id,
                                 text=(participation_consent(step.actor.full_name) + " "
                                       + str(step.task.data.get("comment") or "")).strip()))
    else:
        group.status = GroupStatus.DISSOLVED.value
    step.session.flush()


def _pair_order_data(session: Session, instance: WorkflowInstance, values: dict) -> dict:

    group = _group_of(session, instance)
    starts_on = process_orders.step_day(instance)
    return {"groups": [group.id], "starts_on": starts_on.isoformat(),
            "ends_on": programs.planned_end(pack_of(group.organization), group.roadmap_id, starts_on).isoformat()}


def _approve_pairs(session: Session, instance: WorkflowInstance, values: dict, order: Order, actor: Actor) -> None:

    group = _group_of(session, instance)
    for member in group.members:  # the head signs a pair only for mentees not in another pair meanwhile
        require_free(session, member.person_id, excluding_group_id=group.id, where="signed", pending=False)
    group.status, group.order_id = GroupStatus.APPROVED.value, order.id
    for pair in values.get("pairs") or []:
        start_program(session, group, pair["mentee_id"], pair["roadmap_id"],
                      started_on=process_orders.step_day(instance), clock_now=instance.updated_at)
    session.flush()


# -- what the workflows name -------------------------------------------------------------------------------

HOOKS: dict[str, StepHook] = {  # the ``hook`` a user task names -> what its completion also does
    "record_pair_decisions": _record_pair_decisions,  # pair_formation: the mentor's and mentees' decisions
    "record_consent": _record_consent,  # pair_formation: a participant's consent (003 §6.2), or the group dissolved
}
ORDER_KINDS: dict[str, OrderKind] = {
    "pair_formation": OrderKind(_pair_order_data, _approve_pairs),
}
