"""A department with two schools for the dashboard's tests, built with the factories: school A runs an overdue pair,
an extended group of two (a teacher and a student) and a program completed last year; school B a program completed
in the period and a pair still forming. Mentors' appointments, their period reports and a stage report on top.
Today is 15.05.2025 (the period by default: 01.01–30.06.2025)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from engine.db.models import MentorPeriodReport, RoadmapEventRecord, StageReport
from engine.services.people.actor import Actor, load_actor
from engine.workflow import FixedClock
from tests import factories as f

TODAY = date(2025, 5, 15)
CLOCK_AT = datetime(2025, 5, 15, 9, 0, tzinfo=UTC)


@dataclass
class DashboardWorld:
    department_id: int
    school_a: int
    school_b: int
    head: Actor  # the department's head: both schools
    curator_a: Actor  # school A's curator: school A only
    head_b: Actor
    mentor: Actor
    programs: dict[str, int]
    clock: FixedClock


def build(session) -> DashboardWorld:
    department = f.make_department(session)
    school_a = f.make_organization(session, parent=department, name="МАОУ СОШ № 1")
    school_b = f.make_organization(session, parent=department, name="МАОУ СОШ № 2")

    def staff(school, kind="pedagogue", **kw):
        return f.make_person(session, organization_id=school.id, participant_kind=kind, **kw)

    head, curator_a, head_b = (f.make_person(session) for _ in range(3))  # no workplace: not in the denominator
    f.make_role(session, head, department, "head")
    f.make_role(session, curator_a, school_a, "curator")
    f.make_role(session, head_b, school_b, "head")
    mentor_a, a1, a2, s1 = staff(school_a), staff(school_a), staff(school_a), staff(school_a, "student")
    staff(school_a)  # a teacher not involved
    staff(school_a, is_active=False)  # a deactivated account: not counted
    old_mentee = staff(school_a)  # in a program completed last year: not involved in this period
    mentor_b, b1 = staff(school_b), staff(school_b)
    staff(school_b)
    forming_mentee = staff(school_b)
    f.make_role(session, mentor_a, school_a, "mentor")

    corrected = f.make_instance(session, organization=school_a)
    overdue = f.make_program(session, group=f.make_group(session, organization=school_a, mentor=mentor_a,
                                                          mentees=[a1], status="approved"),
                             workflow_instance_id=corrected.id)
    # its content corrected by a signed order (003 §7.2, no new end date): not an extension in any figure
    f.make_signed_order(session, organization=school_a, type="extension", workflow_instance_id=corrected.id,
                        issued_on=date(2025, 4, 3), extends_term=False)
    session.add(RoadmapEventRecord(program=overdue, stage_id="diagnosis", number="1.1", name="Диагностика",
                                   due_on=date(2025, 3, 1)))
    instance = f.make_instance(session, organization=school_a)
    extended = f.make_program(session, group=f.make_group(session, organization=school_a, mentor=mentor_a,
                                                           mentees=[a2, s1], status="approved", form="group"),
                              status="extended", current_stage_id="consultation", workflow_instance_id=instance.id)
    session.add(RoadmapEventRecord(program=extended, stage_id="consultation", number="2.1", name="Консультации",
                                   due_on=date(2025, 9, 1)))
    f.make_signed_order(session, organization=school_a, type="extension", workflow_instance_id=instance.id,
                        issued_on=date(2025, 4, 2))
    last_year = f.make_program(session, group=f.make_group(session, organization=school_a, mentor=mentor_a,
                                                            mentees=[old_mentee], status="closed"),
                               status="completed", completion_ground="plan_completed", completed_on=date(2024, 11, 1),
                               current_stage_id="reflection")
    completed = f.make_program(session, group=f.make_group(session, organization=school_b, mentor=mentor_b,
                                                            mentees=[b1], status="closed"),
                               status="completed_early", completion_ground="participants_initiative",
                               completed_on=date(2025, 2, 10), current_stage_id="activity")
    forming = f.make_program(session, group=f.make_group(session, organization=school_b, mentor=mentor_b,
                                                          mentees=[forming_mentee]), status="forming",
                             current_stage_id=None, started_on=None)
    f.make_appointment(session, person=mentor_a, organization=school_a, starts_on=date(2023, 6, 1),
                       ends_on=date(2025, 6, 30))  # ends within 60 days
    f.make_appointment(session, person=mentor_b, organization=school_b, starts_on=date(2024, 9, 1))
    for organization, mentor, due, filed in ((school_a, mentor_a, date(2025, 6, 10), None),  # open
                                             (school_b, mentor_b, date(2025, 5, 10), None),  # overdue
                                             (school_a, mentor_a, date(2024, 12, 10), date(2024, 12, 5))):  # filed
        session.add(MentorPeriodReport(organization_id=organization.id, calendar_id="mentor_reports",
                                       clause="003 п. 3", period_from=date(due.year, 1, 1), due_on=due,
                                       opened_on=due, mentor_id=mentor.id, filed_on=filed))
    session.add(StageReport(program=extended, stage_id="diagnosis", form_name="Информационная справка",
                            submitted_by_id=mentor_a.id, submitted_at=datetime(2025, 3, 3, 10, tzinfo=UTC),
                            status="submitted"))
    session.commit()
    return DashboardWorld(
        department.id, school_a.id, school_b.id, load_actor(session, head.login), load_actor(session, curator_a.login),
        load_actor(session, head_b.login), load_actor(session, mentor_a.login),
        {"overdue": overdue.id, "extended": extended.id, "last_year": last_year.id, "completed": completed.id,
         "forming": forming.id}, FixedClock(CLOCK_AT))
