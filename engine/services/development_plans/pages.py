"""What the ИППР pages show: the lists (mine as the teacher, those I guide as the mentor, my organizations' as their
curator, head or methodologist), one plan with its sections and items and what the viewer may do with it, the
choices of the opening form, and the plan as a document (DOCX/PDF). Reading another person's plan is logged
(152-ФЗ: who saw what)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import DevelopmentPlan, DevelopmentPlanItem, Organization, Person, Role, log_shown
from engine.documents.development_plan import PlanDocument, PlanDocumentItem, PlanDocumentSection, plan_docx, plan_pdf
from engine.services.development_plans.permissions import OPENING_ROLES, SEEING_ROLES, plan_for
from engine.services.development_plans.plans import OUTCOME_LABELS, STATE_LABELS, plans_of, sections_of
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today


@dataclass(frozen=True)
class SectionView:
    id: str
    label: str
    clause: str
    items: list[DevelopmentPlanItem]


@dataclass(frozen=True)
class PlanPage:
    plan: DevelopmentPlan
    state_label: str
    sections: list[SectionView]
    may_write: bool  # the teacher or the mentor, in a draft: add, change, remove items
    may_agree: bool  # the mentor, in a draft
    may_return: bool  # the mentor or the head, when agreed
    may_approve: bool  # the head, when agreed
    may_mark: bool  # the teacher or the mentor, when approved
    may_close: bool  # the mentor or the curator, when approved
    clause: str
    outcome_labels: dict[str, str]


def plan_page(session: Session, actor: Actor, plan_id: int) -> PlanPage:
    plan = plan_for(session, actor, plan_id)
    writer = actor.person_id in (plan.teacher_id, plan.mentor_id)
    head = actor.has_role(plan.organization_id, Role.HEAD)
    state = plan.state
    found = plans_of(plan.organization)
    views = [SectionView(s.id, s.label, s.clause, [i for i in plan.items if i.section == s.id])
             for s in sections_of(plan)]
    log_shown(session, [plan.teacher_id], "ippr", viewer=actor.person_id, fields=["ippr"])
    return PlanPage(
        plan=plan, state_label=STATE_LABELS[state], sections=views,
        may_write=writer and state == "draft", may_agree=actor.person_id == plan.mentor_id and state == "draft",
        may_return=(actor.person_id == plan.mentor_id or head) and state == "agreed",
        may_approve=head and state == "agreed", may_mark=writer and state == "approved",
        may_close=(actor.person_id == plan.mentor_id or actor.has_role(plan.organization_id, Role.CURATOR))
        and state == "approved",
        clause=found.clause if found else "000 §2.2", outcome_labels=dict(OUTCOME_LABELS))


@dataclass(frozen=True)
class PlanLists:
    mine: list[DevelopmentPlan]  # as the teacher
    guided: list[DevelopmentPlan]  # as the mentor
    organization: list[DevelopmentPlan]  # of the organizations the actor curates, heads or methodologically leads
    openable: list[Organization]  # where the actor may open plans (curator or head, a regulation with ИППР)


def plan_lists(session: Session, actor: Actor) -> PlanLists:
    order = (DevelopmentPlan.academic_year.desc(), DevelopmentPlan.id)
    mine = list(session.scalars(select(DevelopmentPlan).where(DevelopmentPlan.teacher_id == actor.person_id)
                                .order_by(*order)))
    guided = list(session.scalars(select(DevelopmentPlan).where(DevelopmentPlan.mentor_id == actor.person_id)
                                  .order_by(*order)))
    seeing = {org for role in SEEING_ROLES for org in actor.organizations(role)}
    listed = list(session.scalars(select(DevelopmentPlan).where(DevelopmentPlan.organization_id.in_(seeing))
                                  .order_by(DevelopmentPlan.organization_id, *order))) if seeing else []
    opening = sorted({org for role in OPENING_ROLES for org in actor.organizations(role)})
    openable = [o for o in (session.get(Organization, i) for i in opening) if o is not None and plans_of(o)]
    return PlanLists(mine, guided, listed, openable)


@dataclass(frozen=True)
class Choice:
    id: int
    label: str


def staff_choices(session: Session, actor: Actor, organization_id: int) -> list[Choice]:
    """The active people of an organization where the actor may open plans: the teacher and the mentor to choose."""
    if not any(actor.has_role(organization_id, role) for role in OPENING_ROLES):
        return []
    people = session.scalars(select(Person).where(Person.organization_id == organization_id,
                                                  Person.is_active.is_(True)).order_by(Person.full_name))
    return [Choice(p.id, p.full_name + (f" ({p.position})" if p.position else "")) for p in people]


def year_choices(session: Session, organization: Organization) -> list[tuple[int, str]]:
    current = organization_today(session, organization)
    first = current.year if current.month >= 9 else current.year - 1
    return [(year, f"{year}/{year + 1}") for year in (first, first + 1)]


@dataclass(frozen=True)
class PlanFile:
    data: bytes
    file_name: str
    mimetype: str


def plan_file(session: Session, actor: Actor, plan_id: int, kind: str) -> PlanFile:
    """The plan as DOCX or PDF: its sections and items, who agreed and approved it, and the year's results."""
    plan = plan_for(session, actor, plan_id)
    document = PlanDocument(
        organization=plan.organization.name, teacher=plan.teacher.full_name,
        position=plan.teacher.position or "", mentor=plan.mentor.full_name, year=plan.year_label,
        state=STATE_LABELS[plan.state],
        agreed=f"{plan.agreed_by.full_name}, {plan.agreed_on:%d.%m.%Y}" if plan.agreed_by and plan.agreed_on else "",
        approved=(f"{plan.approved_by.full_name}, {plan.approved_on:%d.%m.%Y}"
                  if plan.approved_by and plan.approved_on else ""),
        conclusion=plan.conclusion or "",
        sections=tuple(PlanDocumentSection(s.label, tuple(
            PlanDocumentItem(i.what, i.due_on, i.expected_result, OUTCOME_LABELS.get(i.outcome or "", ""),
                             i.result or "") for i in plan.items if i.section == s.id)) for s in sections_of(plan)))
    log_shown(session, [plan.teacher_id], "ippr", viewer=actor.person_id, fields=["ippr"])
    name = f"ippr-{plan.id}-{plan.academic_year}"
    if kind == "pdf":
        return PlanFile(plan_pdf(document), f"{name}.pdf", "application/pdf")
    return PlanFile(plan_docx(document), f"{name}.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
