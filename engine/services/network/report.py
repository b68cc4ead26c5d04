"""The effectiveness indicator of a network mentor — the share of the mentor's trainees who fulfilled their
individual professional development plan (004 III.8), counted from the mentors' reviews (004 IV.1) — and the
year's report of the Coordination Centre for the department's staff: mentors and their directions, trainees,
plans agreed and fulfilled, reviews, the work in the regulation's forms (004 III.6), trainees whose direction no
mentor covers. A trainee without a review has not been shown to fulfil the plan: counted, not fulfilled."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    READINESS_LABELS,
    CompetenceDiagnosis,
    Mentee,
    MentorAppointment,
    NetworkGroup,
    NetworkMember,
    Organization,
    OrganizationKind,
    Person,
    log_access,
)
from engine.db.models.mentorship import AppointmentStatus, MenteeStatus
from engine.errors import PermissionDenied
from engine.regulations import RegulationPack
from engine.services.network import basics, trainees
from engine.services.people.actor import Actor, staff_organizations
from engine.vocabulary import Readiness

PLAN_STATES = {"none": "не представлен", "submitted": "на согласовании у наставника",
               "returned": "возвращён на доработку", "agreed": "согласован наставником"}


def plan_state(member: NetworkMember) -> str:
    """Where the development plan is: none yet, awaiting the mentor, returned with a comment, agreed."""
    if member.plan_accepted_at is not None:
        return "agreed"
    if member.plan_submitted_at is not None:
        return "submitted"
    return "returned" if member.plan_comment else "none"


def share_percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class TraineeLine:
    mentee: Mentee
    member: NetworkMember | None
    category: str
    diagnosis: CompetenceDiagnosis | None

    @property
    def person(self) -> Person:
        return self.mentee.person

    @property
    def school(self) -> str:
        org = self.mentee.person.organization
        return (org.short_name or org.name) if org else ""

    @property
    def mentor(self) -> Person | None:
        return self.member.group.mentor if self.member else None

    @property
    def plan(self) -> str:
        return PLAN_STATES[plan_state(self.member)] if self.member else "группа не сформирована"

    @property
    def reviewed(self) -> bool:
        return bool(self.member and self.member.reviewed_at)

    @property
    def fulfilled(self) -> bool:
        return bool(self.member and self.member.reviewed_at and self.member.plan_fulfilled)

    @property
    def readiness(self) -> str:
        if not (self.member and self.member.readiness):
            return ""
        return READINESS_LABELS[Readiness(self.member.readiness)]


@dataclass
class MentorLine:
    appointment: MentorAppointment
    trainees: list[TraineeLine] = field(default_factory=list)
    work_by_form: Counter = field(default_factory=Counter)  # work form label -> records (004 III.6)

    @property
    def person(self) -> Person:
        return self.appointment.person

    @property
    def direction(self) -> str:
        return self.appointment.direction or ""

    @property
    def plans_agreed(self) -> int:
        return sum(1 for t in self.trainees if t.member and t.member.plan_accepted_at)

    @property
    def reviews(self) -> int:
        return sum(1 for t in self.trainees if t.reviewed)

    @property
    def fulfilled(self) -> int:
        return sum(1 for t in self.trainees if t.fulfilled)

    @property
    def indicator_percent(self) -> int | None:
        """004 III.8: the share of the mentor's trainees who fulfilled their development plan, %."""
        return share_percent(self.fulfilled, len(self.trainees))

    @property
    def work_records(self) -> int:
        return sum(self.work_by_form.values())


@dataclass
class YearReport:
    organization: Organization
    centre: str
    academic_year: int
    mentors: list[MentorLine]
    trainees: list[TraineeLine]
    uncovered: list[TraineeLine]  # waiting trainees whose direction no mentor of the year covers (004 II.2)

    @property
    def label(self) -> str:
        return basics.academic_year_label(self.academic_year)

    @property
    def grouped(self) -> list[TraineeLine]:
        return [t for t in self.trainees if t.member is not None]

    @property
    def fulfilled(self) -> int:
        return sum(1 for t in self.trainees if t.fulfilled)

    @property
    def reviews(self) -> int:
        return sum(1 for t in self.trainees if t.reviewed)

    @property
    def plans_agreed(self) -> int:
        return sum(1 for t in self.grouped if t.member and t.member.plan_accepted_at)

    @property
    def indicator_percent(self) -> int | None:
        return share_percent(self.fulfilled, len(self.grouped))

    @property
    def directions(self) -> list[tuple[str, list[str], int, int]]:
        """(direction, its mentors, trainees in groups, trainees waiting) by direction."""
        rows: dict[str, tuple[str, list[str], list[TraineeLine]]] = {}
        for line in self.mentors:
            entry = rows.setdefault(basics.direction_key(line.direction), (line.direction, [], []))
            entry[1].append(line.person.full_name)
        for trainee in self.trainees:
            key = basics.direction_key(trainee.mentee.direction)
            rows.setdefault(key, (trainee.mentee.direction or "", [], []))[2].append(trainee)
        return [(name, mentors, sum(1 for t in found if t.member), sum(1 for t in found if t.member is None))
                for name, mentors, found in sorted(rows.values(), key=lambda row: row[0].casefold())]


def _require(session: Session, actor: Actor, organization_id: int) -> None:
    if organization_id not in staff_organizations(session, actor):
        raise PermissionDenied(f"{actor.full_name}: отчёт координационного центра доступен специалистам, начальнику "
                               "и методистам управления образования (004 III.7)")


def _centre_name(found: Organization) -> str:
    centres = [o for o in found.children if o.kind == OrganizationKind.CENTRE.value]
    return centres[0].name if centres else "Координационный центр сетевых наставников (педагогов-лидеров)"


def _line(regulation: RegulationPack, session: Session, mentee: Mentee, member: NetworkMember | None) -> TraineeLine:
    labels = {c.id: c.label for c in regulation.mentee_categories}
    return TraineeLine(mentee, member, labels.get(mentee.category, mentee.category),
                       trainees.latest_diagnosis(session, mentee.id))


def year_report(session: Session, actor: Actor, organization_id: int, academic_year: int) -> YearReport:
    """The Coordination Centre's report for ``academic_year`` (its first calendar year: 2025 = 2025/2026)."""
    found = basics.organization(session, organization_id)
    regulation = basics.network_pack(found)
    _require(session, actor, organization_id)
    first, last = date(academic_year, 9, 1), date(academic_year + 1, 8, 31)
    appointments = session.scalars(select(MentorAppointment).where(
        MentorAppointment.organization_id == organization_id, MentorAppointment.direction.is_not(None),
        MentorAppointment.status.in_([AppointmentStatus.ACTIVE.value, AppointmentStatus.RELEASED.value]),
        MentorAppointment.starts_on <= last, MentorAppointment.ends_on >= first)
        .order_by(MentorAppointment.direction, MentorAppointment.id))
    mentors = {a.id: MentorLine(a) for a in appointments}
    groups = session.scalars(select(NetworkGroup).where(NetworkGroup.organization_id == organization_id,
                                                        NetworkGroup.academic_year == academic_year)
                             .order_by(NetworkGroup.id))
    lines: list[TraineeLine] = []
    for group in groups:
        line = mentors.setdefault(group.appointment_id, MentorLine(group.appointment))
        for record in group.records:
            line.work_by_form[regulation.work_form(record.form).label] += 1
        for member in group.members:
            trainee = _line(regulation, session, member.mentee, member)
            line.trainees.append(trainee)
            lines.append(trainee)
    waiting = session.scalars(select(Mentee).where(
        Mentee.organization_id == organization_id, Mentee.direction.is_not(None),
        Mentee.status == MenteeStatus.WAITING.value, Mentee.registered_on <= last).order_by(Mentee.id))
    covered = {basics.direction_key(line.direction) for line in mentors.values()}
    waiting_lines = [_line(regulation, session, m, None) for m in waiting]
    lines += waiting_lines
    for person_id in sorted({t.person.id for t in lines}):
        log_access(session, person_id, f"отчёт координационного центра за {basics.academic_year_label(academic_year)}",
                   viewer=actor.person_id, fields=["direction", "category", "plan", "review"])
    return YearReport(found, _centre_name(found), academic_year, list(mentors.values()), lines,
                      [t for t in waiting_lines if basics.direction_key(t.mentee.direction) not in covered])


def report_rows(report: YearReport) -> list[list[str]]:
    """The report's trainees as table rows (a header first), for a CSV export."""
    rows = [["Стажёр", "Место работы", "Категория (004 I.3)", "Направление", "Сетевой наставник",
             "Индивидуальный план (004 IV.1)", "Отзыв представлен", "План выполнен (004 III.8)",
             "Готовность к самостоятельной работе"]]
    for t in report.trainees:
        rows.append([t.person.full_name, t.school, t.category, t.mentee.direction or "",
                     t.mentor.full_name if t.mentor else "", t.plan, "да" if t.reviewed else "нет",
                     ("да" if t.fulfilled else "нет") if t.reviewed else "", t.readiness])
    return rows
