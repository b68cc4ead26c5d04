"""Monitoring of a school's mentorship (001 §2.4: «Мониторинг и оценка результатов … организуется 1 раз в
полгода до 20 декабря и до 20 мая ежегодно»; 001 §4.2: the curator's monitoring and the involvement of the
students in the forms of mentorship): the summary of the organization's pairs and groups on a day — by form,
mentees by kind (teachers, students), programs on time and overdue, petitions filed and replacements ordered —
and the page the curator and the head see: the summary, the calendar and the reports filed."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from engine.db.models import (
    AuditEntry,
    CalendarReport,
    GroupMember,
    MentoringGroup,
    Order,
    OrderStatus,
    Organization,
    Program,
    Role,
)
from engine.db.models.mentorship import GroupStatus
from engine.db.models.program import FINISHED_PROGRAM_STATUSES, ReportStatus
from engine.errors import NotFound, PermissionDenied
from engine.regulations import RegulationPack, pack_of
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today

FORMED = (GroupStatus.APPROVED.value, GroupStatus.CLOSED.value)  # pairs and groups approved by order
VIEWERS = (Role.CURATOR, Role.HEAD)


def _overdue(program: Program, on: date) -> bool:
    """The current stage's date has passed and its report is not approved yet."""
    stage = program.current_stage_id
    dues = [e.due_on for e in program.events if e.stage_id == stage and e.due_on is not None]
    approved = any(r.stage_id == stage and r.status == ReportStatus.APPROVED for r in program.reports)
    return bool(dues) and max(dues) < on and not approved


def school_summary(session: Session, organization_id: int, on: date) -> dict:
    """The organization's pairs and groups on day ``on`` (a JSON object: the monitoring report keeps it)."""
    groups = list(session.scalars(
        select(MentoringGroup).where(MentoringGroup.organization_id == organization_id,
                                     MentoringGroup.status.in_(FORMED))
        .options(selectinload(MentoringGroup.members).selectinload(GroupMember.person),
                 selectinload(MentoringGroup.programs).selectinload(Program.events),
                 selectinload(MentoringGroup.programs).selectinload(Program.reports))))
    programs = [p for g in groups for p in g.programs]
    running = [p for p in programs if p.status not in FINISHED_PROGRAM_STATUSES]
    finished = [p for p in programs if p.status in FINISHED_PROGRAM_STATUSES]
    overdue = [p for p in running if _overdue(p, on)]
    members = [m.person for g in groups for m in g.members if m.left_on is None]
    kinds = Counter(person.participant_kind or "unknown" for person in members)
    instance_ids = [p.workflow_instance_id for p in programs if p.workflow_instance_id is not None]
    filed = Counter(str((entry.details or {}).get("message")) for entry in session.scalars(
        select(AuditEntry).where(AuditEntry.action == "workflow.message",
                                 AuditEntry.object_type == "workflow_instance",
                                 AuditEntry.object_id.in_([str(i) for i in instance_ids])))) if instance_ids else Counter()
    replacements = session.scalars(select(Order.id).where(
        Order.organization_id == organization_id, Order.type == "mentor_replacement",
        Order.status == OrderStatus.SIGNED.value)).all()
    return {
        "on": on.isoformat(),
        "pairs": sum(1 for g in groups if len(g.members) == 1),
        "groups": sum(1 for g in groups if len(g.members) > 1),
        "by_form": dict(sorted(Counter(g.form for g in groups).items())),
        "mentors": len({g.mentor_id for g in groups}),
        "mentees": len(members),
        "mentees_by_kind": dict(sorted(kinds.items())),
        "programs": {"total": len(programs), "running": len(running), "on_time": len(running) - len(overdue),
                     "overdue": len(overdue), "finished": len(finished),
                     "finished_on_time": sum(1 for p in finished if p.completed_on and p.planned_end_on
                                             and p.completed_on <= p.planned_end_on),
                     "overdue_ids": sorted(p.id for p in overdue)},
        "petitions": {"filed": dict(sorted(filed.items())), "replacements_ordered": len(replacements)},
    }


@dataclass
class MonitoringPage:
    organization: Organization
    regulation: RegulationPack
    on: date
    summary: dict
    reports: list[CalendarReport] = field(default_factory=list)

    @property
    def form_labels(self) -> dict[str, str]:
        return {f.id: f.label for f in self.regulation.mentorship_forms}


def viewable_organizations(session: Session, actor: Actor) -> list[Organization]:
    """The organizations where the actor is curator or head (those whose regulation keeps a calendar first)."""
    ids = sorted({org for role in VIEWERS for org in actor.organizations(role)})
    found = list(session.scalars(select(Organization).where(Organization.id.in_(ids)).order_by(Organization.id)))
    if not found:
        raise PermissionDenied(f"{actor.full_name or actor.login}: мониторинг ведут куратор и руководитель организации")
    return sorted(found, key=lambda o: (not pack_of(o).calendar_tasks(), o.id))


def organization_for(session: Session, actor: Actor, organization_id: int | None) -> Organization:
    """The organization the page is about: the one asked for (the actor must be its curator or head), else the
    first the actor may see."""
    return organization_among(session, actor, viewable_organizations(session, actor), organization_id,
                              refusal="мониторинг этой организации вам не доступен")


def organization_among(session: Session, actor: Actor, organizations: list[Organization], organization_id: int | None,
                       *, refusal: str) -> Organization:
    """The one of ``organizations`` asked for (the first when none is): NotFound for an id that names none,
    PermissionDenied (``refusal`` after the actor's name) for one outside them."""
    if organization_id is None:
        return organizations[0]
    found = next((o for o in organizations if o.id == organization_id), None)
    if found is None:
        if session.get(Organization, organization_id) is None:
            raise NotFound(f"нет организации №{organization_id}")
        raise PermissionDenied(f"{actor.full_name or actor.login}: {refusal}")
    return found


def monitoring_page(session: Session, actor: Actor, organization_id: int | None, on: date | None = None
                    ) -> MonitoringPage:
    """The organization's monitoring on ``on`` (default: its local day by the domain's clock)."""
    organization = organization_for(session, actor, organization_id)
    on = on or organization_today(session, organization)
    reports = list(session.scalars(select(CalendarReport).where(CalendarReport.organization_id == organization.id)
                                   .order_by(CalendarReport.due_on.desc(), CalendarReport.id.desc())))
    return MonitoringPage(organization, pack_of(organization), on, school_summary(session, organization.id, on),
                          reports)


def calendar_report(session: Session, actor: Actor, report_id: int) -> CalendarReport:
    report = session.get(CalendarReport, report_id)
    if report is None:
        raise NotFound(f"нет отчёта №{report_id}")
    organization_for(session, actor, report.organization_id)
    return report

