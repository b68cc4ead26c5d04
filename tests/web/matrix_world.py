"""The world of the permission matrix: the demo database (the Tomsk department, its staff, the
in-progress program of volkov and orlova, an order awaiting the head) plus a second organization whose
staff and participants hold the SAME roles there — so every cell "role × own/other organization" is a
real person asking for a real record.
"""
from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from cli.context import session_scope
from engine.db.models import (
    Attachment,
    CalendarReport,
    DesignedForm,
    DesignedFormPin,
    Job,
    MentorAppointment,
    MentorBonus,
    MentoringGroup,
    NetworkGroup,
    OpenTask,
    Order,
    Organization,
    Person,
    Program,
    RoadmapEventRecord,
    RoleAssignment,
    WorkflowInstance,
    latest_definition,
)
from engine.demo.world import DEMO_PASSWORD
from engine.regulations import pack_of
from engine.services.curation import mentor_reports
from engine.services.mentorship import formation as mentorship
from engine.services.mentorship import mentee_registry, school_roadmap
from engine.services.network import groups as network_groups
from engine.services.network import trainees as network_trainees
from engine.services.notifications.kinds import TASK_ASSIGNED
from engine.services.notifications.outbox import notify
from engine.services.people.accounts import set_password
from engine.services.people.actor import load_actor
from engine.workflow import FixedClock

ROLES = ("curator", "methodologist", "head", "mentor", "mentee")
# who plays each role in the demo organization (the mentor and mentee of the in-progress program)
OWN = {"curator": "curator", "methodologist": "methodologist", "head": "head", "mentor": "volkov",
       "mentee": "orlova"}
OTHER = {role: f"other_{role}" for role in ROLES}
# a mentor of the same organization who does not take part in the in-progress program; the world
# proposes them a new pair, so they (and the new mentee) have a consent step waiting
BYSTANDER_MENTOR = "lebedev"
NEW_MENTEE = "matrix_mentee"
# administrators (issue 12): of the demo department (its schools are under it), of one of its schools (the
# department is above it), and of the other department
ADMINS = {"own": "matrix_admin", "subordinate": "matrix_school_admin", "other": "other_admin"}
USERS = ("anonymous", *OWN.values(), *OTHER.values(), BYSTANDER_MENTOR, NEW_MENTEE, "nobody", *ADMINS.values())


@dataclass
class MatrixWorld:
    url: str
    ids: dict[str, object] = field(default_factory=dict)

    def __getitem__(self, key: str):
        return self.ids[key]


def build_world(demo_database: Path, target: Path) -> MatrixWorld:
    shutil.copyfile(demo_database, target)
    url = f"sqlite:///{target.as_posix()}"
    with session_scope(url) as session:
        other = Organization(kind="department", regulation="yakutsk", name="Управление образования г. Якутска",
                             short_name="УО Якутска")
        session.add(other)
        for role, login in OTHER.items():
            person = Person(login=login, full_name=f"Другой {role}", organization=other)
            set_password(person, DEMO_PASSWORD)
            session.add_all([person, RoleAssignment(person=person, organization=other, role=role)])
        other_admin = Person(login=ADMINS["other"], full_name="Другой администратор", organization=other)
        set_password(other_admin, DEMO_PASSWORD)
        session.add_all([other_admin, RoleAssignment(person=other_admin, organization=other, role="admin")])
        nobody = Person(login="nobody", full_name="Без Ролей")
        newcomer = Person(login=NEW_MENTEE, full_name="Новенькая Вера Павловна", is_head=True, months_as_head=2,
                          efficiency_percent=75, school_low_results=False, in_management_reserve=False)
        for person in (nobody, newcomer):
            set_password(person, DEMO_PASSWORD)
            session.add(person)
        session.flush()

        people = {p.login: p for p in session.scalars(select(Person))}
        curator = load_actor(session, "curator")
        department_id = next(org for org, role in curator.roles if role == "curator")
        own_school = people["volkov"].organization  # a school under the demo department
        for login, full_name, place in ((ADMINS["own"], "Администратор Департамента", department_id),
                                        (ADMINS["subordinate"], "Администратор Школы", own_school.id)):
            admin = Person(login=login, full_name=full_name, organization_id=place)
            set_password(admin, DEMO_PASSWORD)
            session.add_all([admin, RoleAssignment(person=admin, organization_id=place, role="admin")])
        session.flush()
        newcomer.organization_id = department_id  # the curator enters only her organization's people (003 §3.3)
        mentee = mentee_registry.register_mentee(session, curator, department_id, newcomer.id)
        pair = mentorship.propose_pair(session, curator, department_id, people[BYSTANDER_MENTOR].id,
                                       [mentee.person_id])
        consent = session.scalars(select(OpenTask).where(OpenTask.instance_id == pair.id,
                                                         OpenTask.assignee_id == people[BYSTANDER_MENTOR].id)).one()
        program = session.scalars(
            select(Program).join(MentoringGroup).where(MentoringGroup.mentor_id == people["volkov"].id)
            .where(Program.status.in_(("active", "extended"))).order_by(Program.id.desc())).first()
        review = session.scalars(select(OpenTask).where(OpenTask.role == "curator")
                                 .where(OpenTask.instance_id == program.workflow_instance_id)).first()
        order = session.scalars(select(Order).where(Order.status == "awaiting_signature")
                                .order_by(Order.id)).first()
        signed = session.scalars(select(Order).where(Order.status == "signed").order_by(Order.id)).first()
        attachment = Attachment(organization_id=program.group.organization_id, program=program,
                                uploaded_by=people["volkov"], file_name="справка.txt", content_type="text/plain",
                                size_bytes=5, sha256="0" * 64, content=b"hello")
        session.add(attachment)
        calendar_instance, calendar_task, head_task, report = _calendar_and_petition(session, program, department_id)
        # a school of the other (Yakutsk) department running its roadmap year (004 п. 4.3): the department's
        # staff see it, the school's director started it
        school = Organization(kind="school", regulation="yakutsk", name="МОБУ СОШ № 7 г. Якутска", parent=other)
        director = Person(login="matrix_director", full_name="Директор Школы Якутска", organization=school)
        session.add_all([school, director, RoleAssignment(person=director, organization=school, role="head")])
        session.flush()
        year = school_roadmap.start_year(session, load_actor(session, "matrix_director"), school.id)
        session.commit()
        network = _network(session, other, people)
        instance = session.get(WorkflowInstance, program.workflow_instance_id)
        event = session.scalars(select(RoadmapEventRecord).where(
            RoadmapEventRecord.program_id == program.id,
            RoadmapEventRecord.stage_id == program.current_stage_id).order_by(RoadmapEventRecord.seq)).first()
        ids = {
            "program_id": program.id,
            "bonus_id": session.scalars(select(MentorBonus.id).where(MentorBonus.organization_id == department_id)
                                        .order_by(MentorBonus.id)).first(),
            "instance_id": instance.id,
            "review_task_id": review.task_id if review else None,
            "order_id": order.id if order else None,
            "signed_order_id": signed.id if signed else None,
            "attachment_id": attachment.id,
            "person_id": people["orlova"].id,
            "mentor_person_id": people["volkov"].id,
            "group_id": program.group_id,
            "pair_instance_id": pair.id,
            "consent_task_id": consent.task_id,
            "event_id": event.id,
            "rule_file": "mentor_eligibility_tomsk",
            "process_id": instance.definition.process_id,
            "definition_version": instance.definition.version,
            "organization_id": department_id,
            "calendar_instance_id": calendar_instance.id,
            "calendar_task_id": calendar_task.task_id,
            "head_task_id": head_task.task_id,
            "calendar_report_id": report.id,
            **_mentor_report(session, program, department_id),
            "roadmap_year_id": year.id,
            "roadmap_school_id": school.id,
            # administration: the department, a school under it, the other department, and a person of each
            "school_org_id": own_school.id,
            "other_org_id": other.id,
            "school_person_id": people["volkov"].id,
            "department_person_id": people["sokolova"].id,
            "other_person_id": people[OTHER["mentor"]].id,
            # registry edits (issue 12 part 5): a mentor appointment process of the demo department
            "mentor_instance_id": session.scalars(select(WorkflowInstance.id).where(
                WorkflowInstance.kind == "mentor_appointment", WorkflowInstance.organization_id == department_id)
                .order_by(WorkflowInstance.id)).first(),
            # notifications (issue 13): one of the program's mentor
            "notification_id": notify(session, people["volkov"].id, TASK_ASSIGNED, "Матрица прав: уведомление",
                                      key="matrix:notification").id,  # type: ignore[union-attr]
            **network,
        }
        ids["incident_job_id"] = _incident(session, department_id, instance.id)
        ids["designed_task_id"] = _designed_step(session, instance, department_id)
        ids["iom_route_id"] = _iom_route(session, department_id, people["orlova"].id, people["volkov"].id)
        ids.update(_ippr_plan(session, department_id, people["orlova"].id, people["volkov"].id))
        ids.update(_recognition(session, department_id, people))
        # the program's documents (issue 15 item 5): the in-progress program's stage report waiting for review, and a
        # finished program of the same mentor (volkov) with its final report
        ids["stage_report_id"] = program.reports[-1].id
        ids.update(_council(session, department_id, people))
        ids["finished_program_id"] = session.scalars(
            select(Program.id).join(MentoringGroup).where(MentoringGroup.mentor_id == people["volkov"].id,
                                                          Program.status == "completed").order_by(Program.id)).first()
        session.commit()
    return MatrixWorld(url, ids)


def _iom_route(session, department_id: int, teacher_id: int, tutor_id: int) -> int:
    """An individual educational route (ИОМ, 002 §4.2.2) in the department: the program's mentee its teacher, the
    program's mentor its tutor (a row: the demo's Tomsk pack opens none through the service)."""
    from engine.db.models import IomRoute

    route = IomRoute(organization_id=department_id, teacher_id=teacher_id, tutor_id=tutor_id, years=5,
                     starts_on=date(2025, 9, 1), ends_on=date(2030, 8, 31), step=1)
    session.add(route)
    session.flush()
    return route.id


def _ippr_plan(session, department_id: int, teacher_id: int, mentor_id: int) -> dict[str, int]:
    """An individual plan of professional development (ИППР, 000 §2.2) in the department, a draft with one item: the
    program's mentee its teacher, the program's mentor its mentor (rows: the demo's Tomsk pack names no ИППР)."""
    from engine.db.models import DevelopmentPlan, DevelopmentPlanItem

    plan = DevelopmentPlan(organization_id=department_id, teacher_id=teacher_id, mentor_id=mentor_id,
                           academic_year=2025, starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31), state="draft")
    session.add(plan)
    session.flush()
    item = DevelopmentPlanItem(plan_id=plan.id, section="self_education", what="Курс", due_on=date(2025, 12, 1),
                               expected_result="Удостоверение")
    session.add(item)
    session.flush()
    return {"ippr_plan_id": plan.id, "ippr_item_id": item.id}


def _designed_step(session, instance: WorkflowInstance, department_id: int) -> str:
    """A designed form of the department's methodologist (issue 16 item 5), pinned by the program's process version,
    and a curator's step of the program waiting on it (its derived row: enough for the step page's checks)."""
    form = DesignedForm(key="matrix_form", version=1, title="Матрица прав: форма", status="deployed",
                        organization_id=department_id, schema={"components": [
                            {"type": "textfield", "key": "note", "label": "Заметка", "validate": {"required": True}}]})
    session.add(form)
    session.flush()
    session.add(DesignedFormPin(definition_id=instance.definition_id, key="matrix_form", form_id=form.id))
    task_id = str(uuid.uuid4())
    session.add(OpenTask(instance_id=instance.id, task_id=task_id, element_id="Task_matrix", name="Матрица: форма",
                         role="curator", organization_id=instance.organization_id, form_id="designed:matrix_form"))
    session.commit()
    return task_id


def _incident(session, organization_id: int, instance_id: int) -> int:
    """A due timer of the department's program that failed its last try (issue 13): an incident to retry or skip."""
    now = datetime.now(UTC)
    job = Job(kind="fire_timers", key="matrix:incident", payload={}, status="incident", attempts=5, max_attempts=5,
              run_after=now, created_at=now, first_tried_at=now, finished_at=now, organization_id=organization_id,
              instance_id=instance_id, last_error="таймер процесса не сработал, хотя срок наступил")
    session.add(job)
    session.commit()
    return job.id


def _mentor_report(session, program: Program, department_id: int) -> dict[str, object]:
    """The mentor's period report (003 п. 3) for the first 10 June / 10 December after his program started, opened
    as the worker opens it: his task waiting on /my/reports."""
    organization = session.get(Organization, department_id)
    day = pack_of(organization).periodic_reports()[0]
    due = day.next_on_or_after(program.started_on + timedelta(days=mentor_reports.LEAD_DAYS))
    opened = due - timedelta(days=mentor_reports.LEAD_DAYS)
    mentor_reports.open_due_reports(session, datetime(opened.year, opened.month, opened.day, 3, tzinfo=UTC))
    task = session.scalars(select(OpenTask).where(OpenTask.form_id == "mentor_period_report",
                                                  OpenTask.assignee_id == program.group.mentor_id)).one()
    return {"mentor_report_instance_id": task.instance_id, "mentor_report_task_id": task.task_id}


def _calendar_and_petition(session, program: Program, department_id: int):
    """A monitoring task of the regulation's calendar waiting for the curator, a filed monitoring report, and a
    petition decision waiting for the head (where a pack gives the head the decision, 001 §6.2)."""
    curator = session.scalar(select(Person).where(Person.login == OWN["curator"]))
    instance = WorkflowInstance(definition=latest_definition(session, "mentorship_calendar"), kind="calendar",
                                organization_id=department_id, status="running", state="{}",
                                subject={"calendar_id": "monitoring_december", "task": "monitoring"})
    session.add(instance)
    session.flush()
    task = OpenTask(instance=instance, task_id=str(uuid.uuid4()), element_id="Task_monitoring_report",
                    name="Провести мониторинг и оценку результатов реализации системы наставничества",
                    role="curator", organization_id=department_id, form_id="monitoring_report")
    head_task = OpenTask(instance_id=program.workflow_instance_id, task_id=str(uuid.uuid4()),
                         element_id="Task_decide_replacement", name="Рассмотреть ходатайство о замене наставника",
                         role="head", organization_id=department_id, form_id="decide_petition")
    report = CalendarReport(organization_id=department_id, kind="monitoring", calendar_id="monitoring_december",
                            clause="001 §2.4", due_on=program.started_on, filed_on=program.started_on,
                            filed_by_id=curator.id, body={"on": program.started_on.isoformat(), "pairs": 1, "groups": 0,
                                                          "by_form": {"head_head": 1}, "mentors": 1, "mentees": 1,
                                                          "mentees_by_kind": {"unknown": 1},
                                                          "programs": {"total": 1, "running": 1, "on_time": 1,
                                                                       "overdue": 0, "finished": 0,
                                                                       "finished_on_time": 0, "overdue_ids": []},
                                                          "petitions": {"filed": {}, "replacements_ordered": 0}},
                            conclusions="Пара работает по плану.")
    session.add_all([task, head_task, report])
    session.flush()
    return instance, task, head_task, report


def _network(session, other: Organization, people: dict[str, Person]) -> dict[str, int]:
    """The other (Yakutsk) organization's network mentoring (004 III.4): its mentor appointed for a direction,
    its mentee a trainee of that direction with a self-diagnosis, in a group formed on a fixed day."""
    direction = "Функциональная грамотность"
    session.add(MentorAppointment(person=people[OTHER["mentor"]], organization=other, direction=direction,
                                  starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31), status="active"))
    curator = load_actor(session, OTHER["curator"])
    clock = FixedClock(datetime(2025, 10, 1, 2, tzinfo=UTC))
    mentee = network_trainees.register_trainee(session, curator, other.id, people[OTHER["mentee"]].id,
                                               category="newly_hired", direction=direction, clock=clock)
    network_trainees.record_self_diagnosis(session, load_actor(session, OTHER["mentee"]), mentee.id,
                                           difficulties="Смысловое чтение", help_needed="Консультации", self_rating=2)
    network_groups.form_group(session, curator, other.id, people[OTHER["mentor"]].id, [mentee.person_id],
                              clock=clock)
    session.commit()
    group = session.scalars(select(NetworkGroup).where(NetworkGroup.organization_id == other.id)).one()
    return {"network_org_id": other.id, "network_mentee_id": mentee.id, "network_group_id": group.id,
            "network_member_id": group.members[0].id}


def _council(session, department_id: int, people: dict[str, Person]) -> dict[str, int]:
    """The department's council of mentors (000 §4–5): volkov (the chair) and lebedev (the secretary elected at the
    held sessions) with sokolova, who stays away; a planned session, a held one (voting open) and one whose protocol
    awaits the signatures."""
    from engine.services.council import base as council_base
    from engine.services.council import protocol as council_protocol
    from engine.services.council import sessions as council_sessions

    curator = load_actor(session, OWN["curator"])
    chair, secretary = people[OWN["mentor"]].id, people[BYSTANDER_MENTOR].id
    for person in (chair, secretary, people["sokolova"].id):
        council_base.add_member(session, curator, department_id, person)
    council_base.set_chair(session, curator, department_id, chair)
    made = []
    for day in (date(2026, 3, 12), date(2026, 2, 12), date(2026, 1, 15)):
        made.append(council_sessions.schedule(session, curator, department_id, held_on=day, place="актовый зал",
                                              agenda=["Итоги полугодия"]))
    planned, held, signing = made
    for found in (held, signing):
        council_sessions.hold(session, curator, found.id, present=[chair, secretary], secretary_id=secretary,
                              votes_for=2)
    item = signing.items[0]
    council_sessions.record_item(session, load_actor(session, BYSTANDER_MENTOR), signing.id, item.id,
                                 key_points="Обсудили", proposals="", decision="Одобрить")
    council_protocol.draw_up(session, load_actor(session, BYSTANDER_MENTOR), signing.id)
    session.commit()
    return {"council_member_id": people["sokolova"].id, "council_planned_id": planned.id,
            "council_held_id": held.id, "council_held_item_id": held.items[0].id,
            "council_signing_id": signing.id, "council_signing_item_id": item.id}


def _recognition(session, department_id: int, people: dict) -> dict[str, int]:
    """Issue 18 items 4, 5: volkov's letter of gratitude with its document, a contest taking nominations (the head
    on its jury), a practice the curator submitted and approved, with a file."""
    from datetime import date

    from engine.services.recognition import contests, incentives, practices
    from engine.services.recognition.basics import Upload

    curator = load_actor(session, "curator")
    incentive = incentives.record(session, curator, department_id, people["volkov"].id, incentives.IncentiveInput(
        kind="diploma", basis="итоги года", awarded_on=date(2026, 6, 1), document=Upload("письмо.txt", b"text")))
    contest = contests.announce(session, curator, department_id, "Лучший наставник", 1, [people["head"].id])
    practice = practices.submit(session, curator, department_id, practices.PracticeInput(
        title="Кейс адаптации", description="Описание кейса", files=(Upload("кейс.txt", b"case"),)))
    practices.review(session, curator, practice.id, approve=True)
    session.commit()
    return {"incentive_id": incentive.id, "contest_id": contest.id, "practice_id": practice.id,
            "practice_file_id": practice.files[0].id}
