"""Whether the ИОМ section concerns a person (the main navigation asks): they have or tutor a route, or they are the
curator, head or methodologist of an organization whose regulation names the tutor (002 §4.2.2)."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.db.models import IomRoute, Organization
from engine.services.iom.routes import SEEING_ROLES, tutor_label
from engine.services.people.actor import Actor


def concerns(session: Session, actor: Actor) -> bool:
    if actor.person_id is not None and session.scalar(
            select(IomRoute.id).where(or_(IomRoute.teacher_id == actor.person_id,
                                          IomRoute.tutor_id == actor.person_id)).limit(1)) is not None:
        return True
    for organization_id in sorted({org for role in SEEING_ROLES for org in actor.organizations(role)}):
        organization = session.get(Organization, organization_id)
        if organization is not None and tutor_label(organization) is not None:
            return True
    return False
