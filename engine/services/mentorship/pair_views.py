"""Pairs and groups as the API lists them: staff see their organizations' (and those under them), a mentor
or mentee the groups they take part in."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from engine.db.models import GroupMember, MentoringGroup
from engine.services.pages import Slice, counted_slice, iso
from engine.services.people.actor import Actor, staff_organizations


def _visible_groups(session: Session, actor: Actor):
    member = select(GroupMember.group_id).where(GroupMember.person_id == actor.person_id)
    return or_(MentoringGroup.organization_id.in_(staff_organizations(session, actor)),
               MentoringGroup.mentor_id == actor.person_id, MentoringGroup.id.in_(member))


def group_summary(group: MentoringGroup) -> dict:
    return {"id": group.id, "organization_id": group.organization_id, "form": group.form,
            "roadmap_id": group.roadmap_id, "status": group.status, "order_id": group.order_id,
            "created_at": iso(group.created_at),
            "mentor": {"id": group.mentor_id, "full_name": group.mentor.full_name},
            "mentees": [{"id": m.person_id, "full_name": m.person.full_name, "left_on": iso(m.left_on)}
                        for m in group.members],
            "program_ids": [p.id for p in group.programs]}


def list_groups(session: Session, actor: Actor, *, offset: int = 0, limit: int | None = None) -> Slice:
    """Pairs and groups the actor may see, newest first."""
    condition = _visible_groups(session, actor)
    stmt = (select(MentoringGroup).where(condition)
            .options(selectinload(MentoringGroup.members).selectinload(GroupMember.person),
                     selectinload(MentoringGroup.mentor), selectinload(MentoringGroup.programs))
            .order_by(MentoringGroup.id.desc()).offset(offset).limit(limit))
    return counted_slice(session, select(MentoringGroup.id).where(condition), offset,
                         [group_summary(g) for g in session.scalars(stmt)])
