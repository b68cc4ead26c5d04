"""Whether the ИППР section concerns a person (the main navigation asks): they have or guide a plan, or they are the
curator, head or methodologist of an organization whose regulation names the ИППР (000 §2.2)."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.db.models import DevelopmentPlan, Organization
from engine.services.development_plans.permissions import SEEING_ROLES
from engine.services.development_plans.plans import plans_of
from engine.services.people.actor import Actor


def concerns(session: Session, actor: Actor) -> bool:
    if actor.person_id is not None and session.scalar(
            select(DevelopmentPlan.id).where(or_(DevelopmentPlan.teacher_id == actor.person_id,
                                                 DevelopmentPlan.mentor_id == actor.person_id)).limit(1)) is not None:
        return True
    for organization_id in sorted({org for role in SEEING_ROLES for org in actor.organizations(role)}):
        organization = session.get(Organization, organization_id)
        if organization is not None and plans_of(organization) is not None:
            return True
    return False
