"""What the council's pages show: the council of an organization (members, chair, sessions) and one session with
what the person looking may do in it (``engine.services.council.base`` says who may)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    SESSION_STATUS_LABELS,
    VOTE_LABELS,
    Council,
    CouncilSession,
    Organization,
    Person,
    Role,
    RoleAssignment,
)
from engine.errors import PermissionDenied
from engine.regulations import pack_of
from engine.regulations.council_bodies import BODY_KINDS, MENTORS_COUNCIL
from engine.services.council import base
from engine.services.council.protocol import stamps, verified
from engine.services.council.retention import kept_until, retention_months
from engine.services.council.sessions import tally
from engine.services.people.actor import Actor


@dataclass
class CouncilPage:
    organization_id: int
    organization: str
    organizations: list[tuple[int, str]]
    members: list[tuple[int, str]]
    chair_id: int | None
    sessions: list[dict[str, Any]]
    candidates: list[tuple[int, str]] = field(default_factory=list)
    may_form: bool = False
    may_schedule: bool = False
    retention_months: int = 12
    body: str = MENTORS_COUNCIL
    body_label: str = "Совет наставников"
    body_clause: str = ""
    bodies: list[tuple[str, str]] = field(default_factory=list)  # (id, label): the pack's bodies and any kept one
    topics: list[tuple[str, str]] = field(default_factory=list)  # (order kind, agenda wording) the body considers


def _bodies(session: Session, organization: Organization) -> list[tuple[str, str]]:
    listed = [(b.id, b.label) for b in pack_of(organization).council_bodies]
    kept = session.scalars(select(Council.body).where(Council.organization_id == organization.id)).all()
    return listed + [(k, BODY_KINDS.get(k, (k, ""))[0]) for k in kept if k not in {b for b, _l in listed}]


def council_page(session: Session, actor: Actor, organization_id: int | None,
                 body: str | None = None) -> CouncilPage:
    visible = base.visible_organizations(session, actor)
    if not visible:
        raise PermissionDenied(f"{actor.full_name or actor.login}: совет наставников видят куратор, руководитель и "
                               "члены совета")
    chosen = next((o for o in visible if o.id == organization_id), None) if organization_id else visible[0]
    if chosen is None:
        raise PermissionDenied(f"{actor.full_name or actor.login}: совет наставников этой организации видят её "
                               "куратор, руководитель и члены совета")
    bodies = _bodies(session, chosen)
    if body is None:  # the first body the person sits on, else the pack's first
        mine = [b for b, _l in bodies if base.is_member(base.council_for(session, chosen.id, body=b), actor)]
        body = (mine or [b for b, _l in bodies] or [MENTORS_COUNCIL])[0]
    elif body not in {b for b, _l in bodies}:
        base.body_of(chosen, body)  # refused in Russian, naming the pack's bodies
    spec = next((b for b in pack_of(chosen).council_bodies if b.id == body), None)
    council = base.council_for(session, chosen.id, body=body)
    members = [(m.person_id, base.person_name(session, m.person_id)) for m in council.members] if council else []
    rows = session.scalars(select(CouncilSession).where(CouncilSession.council_id == council.id)
                           .order_by(CouncilSession.held_on.desc(), CouncilSession.id.desc())).all() if council else []
    may_form = actor.has_role(chosen.id, Role.CURATOR) and spec is not None
    candidates: list[tuple[int, str]] = []
    if may_form:
        taken = {p for p, _n in members}
        # the people with a role here, each once (by id and name only: a person's JSON columns have no equality on
        # PostgreSQL, so no DISTINCT over whole rows)
        candidates = [(pid, name) for pid, name in session.execute(
            select(Person.id, Person.full_name).join(RoleAssignment, RoleAssignment.person_id == Person.id)
            .where(RoleAssignment.organization_id == chosen.id, RoleAssignment.active.is_(True),
                   Person.is_active.is_(True)).distinct().order_by(Person.full_name, Person.id)) if pid not in taken]
    return CouncilPage(
        organization_id=chosen.id, organization=chosen.name, organizations=[(o.id, o.name) for o in visible],
        members=members, chair_id=council.chair_id if council else None,
        sessions=[{"id": r.id, "number": r.number, "held_on": r.held_on, "place": r.place,
                   "status": SESSION_STATUS_LABELS.get(r.status, r.status), "state": r.status}
                  for r in rows],
        candidates=candidates, may_form=may_form,
        may_schedule=bool(members) and spec is not None and (may_form or base.is_chair(council, actor)),
        retention_months=retention_months(chosen, body), body=body,
        body_label=spec.label if spec else BODY_KINDS.get(body, (body, ""))[0],
        body_clause=(spec.clause or "") if spec else "", bodies=bodies,
        topics=[(c.order, c.title) for c in spec.considers] if spec else [])


def session_page(session: Session, actor: Actor, session_id: int) -> dict[str, Any]:
    found = base.get_session(session, actor, session_id)
    council = found.council
    organizer = actor.has_role(council.organization_id, Role.CURATOR) or base.is_chair(council, actor)
    present = {a.person_id for a in found.attendance}
    me = actor.person_id
    items = []
    for item in found.items:
        counted = tally(found, item) if found.status != "planned" else None
        mine = next((v.choice for v in item.votes if v.person_id == me), None)
        items.append({"id": item.id, "position": item.position, "title": item.title, "considers": item.considers,
                      "key_points": item.key_points, "proposals": item.proposals, "decision": item.decision, "responsible": item.responsible,
                      "tally": counted, "mine": mine, "result": item.result, "agreement": item.agreement,
                      "agreement_note": item.agreement_note})
    status = found.status
    return {
        "session": found, "organization": council.organization.name, "status_label": SESSION_STATUS_LABELS[status],
        "agenda": items, "vote_labels": VOTE_LABELS,
        "members": [(m.person_id, base.person_name(session, m.person_id)) for m in council.members],
        "present": present, "chair": base.person_name(session, council.chair_id),
        "secretary": base.person_name(session, found.secretary_id),
        "may_add_item": organizer and status == "planned", "may_hold": organizer and status == "planned",
        "may_vote": status == "held" and me in present, "may_record": status == "held" and me == found.secretary_id,
        "may_sign": status == "signing" and me is not None and (
            (me == council.chair_id and found.chair_signed_at is None)
            or (me == found.secretary_id and found.secretary_signed_at is None)),
        "may_agree": status == "signed" and council.body == MENTORS_COUNCIL
                     and actor.has_role(council.organization_id, Role.HEAD),
        "body": council.body, "body_label": base.body_label(council),
        "stamps": stamps(session, found), "verified": verified(found),
        "kept_until": kept_until(found.signed_on, council.organization, council.body) if found.signed_on else None,
    }
