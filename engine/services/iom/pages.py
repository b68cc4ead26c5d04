"""What the ИОМ pages show: the list (as teacher, as tutor, the organization's for its curator, head and
methodologist) and one route with its recorded steps' sections, the step it waits for and who may write it, the
yearly reviews, the attached programs and, for the curator, the teacher's programs that may still be attached.
Reading a route of another person is logged (152-ФЗ: who saw what)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    GroupMember,
    IomProgram,
    IomReview,
    IomRoute,
    MentoringGroup,
    Organization,
    Person,
    Program,
    Role,
    log_shown,
)
from engine.services.iom import routes
from engine.services.iom.steps import AREAS, STEPS, StepSpec, sections, spec
from engine.services.people.actor import Actor


@dataclass(frozen=True)
class StepView:
    spec: StepSpec
    sections: list[tuple[str, str]]
    done_by: str | None
    done_on: object


@dataclass
class RoutePage:
    route: IomRoute
    tutor_label: str
    steps: list[StepView]
    waiting: StepSpec | None  # the step the route is at (None: all seven recorded)
    may_write: bool  # the teacher or the tutor
    may_review: bool  # the tutor or the curator
    may_attach: bool  # the curator
    open_reviews: list[IomReview]
    done_reviews: list[IomReview]
    programs: list[IomProgram]
    attachable: list[Program] = field(default_factory=list)
    areas: dict[str, str] = field(default_factory=lambda: dict(AREAS))


def route_page(session: Session, actor: Actor, route_id: int) -> RoutePage:
    route = routes.route_for(session, actor, route_id)
    recorded = {row.step: row for row in route.steps}
    views = []
    for step in STEPS:
        row = recorded.get(step.number)
        if row is not None:
            views.append(StepView(step, sections(step, row.body), row.done_by.full_name if row.done_by else None,
                                  row.done_on))
    curator = actor.has_role(route.organization_id, Role.CURATOR)
    page = RoutePage(
        route=route, tutor_label=routes.tutor_label(route.organization) or "Тьютор", steps=views,
        waiting=None if route.finished else spec(route.step),
        may_write=actor.person_id in (route.teacher_id, route.tutor_id),
        may_review=actor.person_id == route.tutor_id or curator, may_attach=curator,
        open_reviews=[r for r in route.reviews if r.done_on is None],
        done_reviews=[r for r in route.reviews if r.done_on is not None], programs=list(route.programs))
    if curator:
        attached = set(session.scalars(select(IomProgram.program_id)))
        page.attachable = [p for p in session.scalars(
            select(Program).join(MentoringGroup, MentoringGroup.id == Program.group_id)
            .join(GroupMember, GroupMember.group_id == MentoringGroup.id)
            .where(GroupMember.person_id == route.teacher_id,
                   MentoringGroup.organization_id == route.organization_id).order_by(Program.id))
            if p.id not in attached]
    log_shown(session, [route.teacher_id], "iom", viewer=actor.person_id, fields=["iom"])
    return page


@dataclass(frozen=True)
class Choice:
    id: int
    label: str


def staff_choices(session: Session, actor: Actor, organization_id: int) -> list[Choice]:
    """The active people of an organization the actor curates: whom a route may be opened for, who may tutor it."""
    if not actor.has_role(organization_id, Role.CURATOR):
        return []
    people = session.scalars(select(Person).where(Person.organization_id == organization_id,
                                                  Person.is_active.is_(True)).order_by(Person.full_name))
    return [Choice(p.id, p.full_name + (f" ({p.position})" if p.position else "")) for p in people]


def organizations(session: Session, ids: list[int]) -> list[Organization]:
    return [o for o in (session.get(Organization, i) for i in ids) if o is not None]
