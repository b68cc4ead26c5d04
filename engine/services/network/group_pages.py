"""What a group's pages show (004 III.5, III.6, IV.1): the group for its mentor and the staff — the work plan, the
trainees' plans, the work in the regulation's forms — and one trainee's year in the group."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import CompetenceDiagnosis, NetworkGroup, NetworkMember, NetworkWorkRecord, OpenTask, Role
from engine.errors import NotFound
from engine.forms import FormId
from engine.regulations import RegulationPack, pack_of
from engine.services.network import access, basics, report, trainees, year
from engine.services.people.actor import Actor
from engine.services.people.role_labels import labels_of
from engine.workflow import Clock


@dataclass
class MemberRow:
    member: NetworkMember
    category: str
    plan_state: str
    awaits_decision: bool  # the plan waits for the mentor (004 IV.1)
    awaits_review: bool  # the review is open (004 IV.1)


@dataclass
class GroupPage:
    group: NetworkGroup
    regulation: RegulationPack
    labels: dict[str, str]
    rows: list[MemberRow]
    records: list[NetworkWorkRecord]
    is_mentor: bool
    work_plan_open: bool  # the mentor's work plan is awaited (004 III.5)
    today: date

    @property
    def year_label(self) -> str:
        return basics.academic_year_label(self.group.academic_year)

    def form_label(self, form_id: str) -> str:
        return self.regulation.work_form(form_id).label

    def names(self, record: NetworkWorkRecord) -> str:
        by_id = {row.member.person_id: row.member.person.full_name for row in self.rows}
        return ", ".join(by_id.get(i, "—") for i in record.trainee_ids)


def _open_forms(session: Session, instance_id: int | None) -> set[str]:
    if instance_id is None:
        return set()
    return {str(f) for f in session.scalars(select(OpenTask.form_id).where(OpenTask.instance_id == instance_id))}


def group_page(session: Session, actor: Actor, group_id: int, clock: Clock | None = None) -> GroupPage:
    group = session.get(NetworkGroup, group_id)
    if group is None:
        raise NotFound(f"нет группы стажёров №{group_id}")
    is_mentor = access.require_group_view(session, actor, group)
    regulation = basics.network_pack(group.organization)
    labels = {c.id: c.label for c in regulation.mentee_categories}
    rows = []
    for member in group.members:
        forms = _open_forms(session, member.workflow_instance_id)
        rows.append(MemberRow(member, labels.get(member.mentee.category, member.mentee.category),
                              report.plan_state(member), FormId.ACCEPT_DEVELOPMENT_PLAN in forms,
                              FormId.TRAINEE_REVIEW in forms))
    access.log_viewed(session, actor, [m.person_id for m in group.members], f"группа стажёров №{group.id}")
    return GroupPage(group, regulation, labels_of(session, group.organization_id), rows, list(group.records),
                     is_mentor, FormId.MENTOR_WORK_PLAN in _open_forms(session, group.workflow_instance_id),
                     basics.local_day(regulation, basics.now(session, clock)))


@dataclass
class MemberPage:
    member: NetworkMember
    group: NetworkGroup
    labels: dict[str, str]
    category: str
    plan_state: str
    diagnosis: CompetenceDiagnosis | None
    records: list[NetworkWorkRecord]
    my_role: str  # "mentee" | "mentor" | "staff"
    plan_open: bool  # the trainee may submit or correct the plan
    decision_open: bool  # the mentor may agree or return it
    review_open: bool  # the mentor may write the review

    @property
    def readiness(self) -> str:
        return report.TraineeLine(self.member.mentee, self.member, self.category, self.diagnosis).readiness

    def form_label(self, form_id: str) -> str:
        return pack_of(self.group.organization).work_form(form_id).label


def member_page(session: Session, actor: Actor, member_id: int) -> MemberPage:
    found = year.member(session, member_id)
    group = found.group
    if actor.person_id == found.person_id:
        role = Role.MENTEE.value
    elif access.require_group_view(session, actor, group):
        role = Role.MENTOR.value
    else:
        role = "staff"
    forms = _open_forms(session, found.workflow_instance_id)
    regulation = basics.network_pack(group.organization)
    category = {c.id: c.label for c in regulation.mentee_categories}.get(found.mentee.category, found.mentee.category)
    access.log_viewed(session, actor, [found.person_id], f"учебный год стажёра в группе №{group.id}")
    return MemberPage(found, group, labels_of(session, group.organization_id), category, report.plan_state(found),
                      trainees.latest_diagnosis(session, found.mentee_id),
                      [r for r in group.records if found.person_id in r.trainee_ids], role,
                      role == Role.MENTEE and FormId.DEVELOPMENT_PLAN in forms,
                      role == Role.MENTOR and FormId.ACCEPT_DEVELOPMENT_PLAN in forms,
                      role == Role.MENTOR and FormId.TRAINEE_REVIEW in forms)


def work_form_choices(regulation: RegulationPack) -> list[tuple[str, str]]:
    return [(form.id, form.label) for form in regulation.work_forms]
