"""Who may see an ИППР and who may do what with it (000 §2.2, §4.3, §4.4; the product's reading, see ``plans``).

Each ``require_*`` returns the plan or raises PermissionDenied (NotFound: no such plan), whatever the plan's state:
the API asks before it reads a request's body, the services ask again.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import DevelopmentPlan, Role
from engine.errors import NotFound, PermissionDenied
from engine.services.people.actor import Actor

SEEING_ROLES = (Role.CURATOR, Role.HEAD, Role.METHODOLOGIST)
OPENING_ROLES = (Role.CURATOR, Role.HEAD)


def require_opener(actor: Actor, organization_id: int) -> None:
    if not any(actor.has_role(organization_id, role) for role in OPENING_ROLES):
        raise PermissionDenied("открыть ИППР педагога могут наставник-руководитель (куратор) и администрация "
                               "организации")


def can_see(actor: Actor, plan: DevelopmentPlan) -> bool:
    return actor.person_id in (plan.teacher_id, plan.mentor_id) or any(
        actor.has_role(plan.organization_id, role) for role in SEEING_ROLES)


def plan_for(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """The plan, if ``actor`` may see it (else PermissionDenied)."""
    plan = session.get(DevelopmentPlan, plan_id)
    if plan is None:
        raise NotFound(f"нет ИППР № {plan_id}")
    if not can_see(actor, plan):
        raise PermissionDenied(f"ИППР № {plan_id} видят педагог, его наставник, куратор, руководитель и методист "
                               "организации")
    return plan


def _writer(actor: Actor, plan: DevelopmentPlan, doing: str) -> None:
    if actor.person_id not in (plan.teacher_id, plan.mentor_id):
        raise PermissionDenied(f"{doing} могут педагог и его наставник")


def require_writer(session: Session, actor: Actor, plan_id: int,
                   doing: str = "вносить пункты ИППР и отмечать их выполнение") -> DevelopmentPlan:
    """Its teacher or its mentor: the items, their marks."""
    plan = plan_for(session, actor, plan_id)
    _writer(actor, plan, doing)
    return plan


def require_mentor(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """Its mentor: agreeing the plan."""
    plan = plan_for(session, actor, plan_id)
    if actor.person_id != plan.mentor_id:
        raise PermissionDenied("ИППР согласует наставник педагога (000 §2.2)")
    return plan


def require_returner(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """Its mentor or the head of its organization: returning an agreed plan to draft."""
    plan = plan_for(session, actor, plan_id)
    if actor.person_id != plan.mentor_id and not actor.has_role(plan.organization_id, Role.HEAD):
        raise PermissionDenied("вернуть ИППР на доработку могут наставник и руководитель организации")
    return plan


def require_approver(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """The head of its organization: approving the plan (000 §4.3)."""
    plan = plan_for(session, actor, plan_id)
    if not actor.has_role(plan.organization_id, Role.HEAD):
        raise PermissionDenied("ИППР утверждает администрация — руководитель организации (000 §4.3)")
    return plan


def require_closer(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """Its mentor or the curator of its organization: closing the year."""
    plan = plan_for(session, actor, plan_id)
    if actor.person_id != plan.mentor_id and not actor.has_role(plan.organization_id, Role.CURATOR):
        raise PermissionDenied("итоги года по ИППР подводят наставник педагога или куратор")
    return plan
