"""Create and read back every model, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engine.db import Base, InvalidValue
from engine.db.models import (
    AccessLogEntry,
    AccountLink,
    AgendaItem,
    AnalyticReport,
    ApiToken,
    Attachment,
    Attendance,
    AuditEntry,
    CalendarFeed,
    CalendarReport,
    ChainHead,
    ChainLink,
    CompetenceDiagnosis,
    Consent,
    ContestJuror,
    ContestNomination,
    ContestVote,
    Council,
    CouncilMember,
    CouncilSession,
    Decision,
    DesignedForm,
    DesignedFormAnswer,
    DesignedFormPin,
    DevelopmentPlan,
    DevelopmentPlanItem,
    GroupMember,
    Incentive,
    IomProgram,
    IomReview,
    IomRoute,
    IomStep,
    Job,
    Mentee,
    MentorAppointment,
    MentorBonus,
    MentorContest,
    MentoringGroup,
    MentorPeriodReport,
    MentorshipForm,
    MonitoringSnapshot,
    NetworkGroup,
    NetworkMember,
    NetworkWorkRecord,
    Notification,
    NotificationPreference,
    OpenTask,
    Order,
    Organization,
    OutgoingEmail,
    Person,
    PlanCorrection,
    Practice,
    PracticeFile,
    ProcessDefinition,
    Program,
    RegulationPackVersion,
    RoadmapEventComment,
    RoadmapEventRecord,
    RoadmapYear,
    RoadmapYearItem,
    RoleAssignment,
    RuleFileVersion,
    ScriptIncident,
    StageReport,
    Vote,
    WorkerHeartbeat,
    WorkflowInstance,
    WorkflowTimer,
    add_months,
    due_timers,
    latest_definition,
    log_access,
    record_audit,
)
from engine.errors import NotFound
from engine.regulations import pack
from tests import factories as f


def _reload(session, obj):
    """Forget everything the session knows and read ``obj`` back from the database."""
    session.commit()
    session.expunge_all()
    return session.get(type(obj), obj.id)


def test_every_table_is_covered_by_this_module():
    covered = {
        AccessLogEntry, AuditEntry, Consent, Decision, GroupMember, Mentee, MentorAppointment, MentoringGroup,
        OpenTask, Order, Organization, Person, ProcessDefinition, Program, RoadmapEventRecord, RoleAssignment,
        StageReport, WorkflowInstance, WorkflowTimer, Attachment, ApiToken, RuleFileVersion, RegulationPackVersion,
        AccountLink,
        RoadmapYear, RoadmapYearItem, CompetenceDiagnosis, NetworkGroup, NetworkMember, NetworkWorkRecord, CalendarReport,
        RoadmapEventComment, MentorBonus, ScriptIncident, ChainLink, ChainHead,
        Job, WorkerHeartbeat, Notification, NotificationPreference, OutgoingEmail, CalendarFeed, MentorPeriodReport,
        AnalyticReport, MonitoringSnapshot, DesignedForm, DesignedFormPin, DesignedFormAnswer, PlanCorrection,
        Council, CouncilMember, CouncilSession, AgendaItem, Attendance, Vote, IomRoute, IomStep, IomReview, IomProgram,
        Incentive, MentorContest, ContestNomination, ContestJuror, ContestVote, Practice, PracticeFile,
        DevelopmentPlan, DevelopmentPlanItem,
    }
    assert {c.__table__.name for c in covered} == set(Base.metadata.tables)


def test_a_mentor_has_one_periodic_report_per_date(db_session):
    """003 п. 3: one report per mentor, calendar date and year; a worker that runs twice cannot open a second."""
    org = f.make_department(db_session)
    mentor = f.make_person(db_session)

    def report(due_on=date(2025, 6, 10)):
        return MentorPeriodReport(organization_id=org.id, calendar_id="mentor_report_june", clause="003 п. 3",
                                  period_from=due_on - timedelta(days=181), due_on=due_on,
                                  opened_on=due_on - timedelta(days=14), mentor_id=mentor.id)

    db_session.add(report())
    db_session.flush()
    db_session.add(report(due_on=date(2026, 6, 10)))  # next year's is another
    db_session.flush()
    db_session.add(report())
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_an_analytic_report_keeps_one_text_per_organization_kind_and_period(db_session):
    """003 §3.3: the curator's conclusions of the analytic report — one per organization, kind and period."""
    org = f.make_department(db_session)
    db_session.add(AnalyticReport(organization_id=org.id, kind="semiannual", period="2026-1", conclusions="Выводы"))
    db_session.add(AnalyticReport(organization_id=org.id, kind="final", period="2026", conclusions=""))
    db_session.flush()
    db_session.add(AnalyticReport(organization_id=org.id, kind="semiannual", period="2026-1", conclusions="Ещё"))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_an_analytic_report_is_semiannual_or_final(db_session):
    org = f.make_department(db_session)
    db_session.add(AnalyticReport(organization_id=org.id, kind="monthly", period="2026-1", conclusions=""))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_an_organization_keeps_its_own_report_dates_or_none_for_the_pack_s(db_session):
    """The dates its mentors report by, set by its administrator (month-day); None — the pack's (003 п. 3)."""
    org = f.make_department(db_session)
    assert org.report_dates is None
    org.report_dates = ["06-25", "12-10"]
    db_session.flush()
    db_session.expire_all()
    assert db_session.get(type(org), org.id).report_dates == ["06-25", "12-10"]


def test_an_organization_keeps_its_own_calendar_days_or_none_for_the_pack_s(db_session):
    """The days of the curator's calendar tasks its administrator moved ({entry id: month-day}); None — the pack's
    (001 §2.4)."""
    org = f.make_department(db_session)
    assert org.calendar_days is None
    org.calendar_days = {"monitoring_december": "12-25"}
    db_session.flush()
    db_session.expire_all()
    assert db_session.get(type(org), org.id).calendar_days == {"monitoring_december": "12-25"}


def test_a_script_incident_names_the_organization_version_and_element(db_session):
    org = f.make_department(db_session)
    definition = f.make_definition(db_session, organization_id=org.id)
    incident = ScriptIncident(organization_id=org.id, definition=definition, process_id=definition.process_id,
                              element_id="Script_1", bound="time",
                              message="сценарий «Распределить пары» (элемент Script_1) превысил предел времени 5 с")
    db_session.add(incident)
    loaded = _reload(db_session, incident)
    assert (loaded.organization_id, loaded.definition.organization_id, loaded.element_id, loaded.bound) == (
        org.id, org.id, "Script_1", "time")
    assert loaded.occurred_at.tzinfo is not None and loaded.instance_id is None


def test_organization_tree_and_person_with_rule_facts(db_session):
    dept = f.make_department(db_session, regulation="yakutsk", name="Управление образования г. Якутска")
    school = f.make_organization(db_session, parent=dept, name="МОБУ СОШ №5", short_name="СОШ №5")
    person = f.make_person(
        db_session, full_name="Петров Пётр Петрович", login="petrov", email="p@example.org",
        organization=school, years_as_head=7, efficiency_percent=87.5, contest_level="regional",
        contest_result="winner", has_mentorship_certificate=True, experience_years=12,
        high_result_directions=["математика", "ГИА"], communication_skills=True, ready_to_share=True,
        is_head=True,
    )
    bare = f.make_person(db_session, login="bare")
    db_session.commit()
    db_session.expunge_all()

    school = db_session.get(Organization, school.id)
    assert school.parent.name == "Управление образования г. Якутска"
    assert school.regulation == "yakutsk" and school.kind == "school"
    assert [c.id for c in school.parent.children] == [school.id]
    person = db_session.scalars(select(Person).where(Person.login == "petrov")).one()
    assert person.organization_id == school.id
    assert person.efficiency_percent == pytest.approx(87.5)
    assert person.high_result_directions == ["математика", "ГИА"]
    assert person.created_at.tzinfo is not None and person.created_at.utcoffset() == timedelta(0)
    facts = person.rule_facts()
    assert facts["years_as_head"] == 7 and facts["in_management_reserve"] is None
    bare = db_session.get(Person, bare.id)
    assert set(bare.rule_facts().values()) == {None}  # missing data stays missing
    assert bare.password_hash is None and bare.is_active is True


def test_a_school_participant_kind_birth_date_and_age_on_a_day(db_session):
    student = f.make_person(db_session, participant_kind="student", birth_date=date(2014, 3, 1))
    db_session.commit()
    student = _reload(db_session, student)
    assert student.rule_facts(on=date(2024, 2, 29))["age_years"] == 9  # 001 §1.1: from 10
    assert student.rule_facts(on=date(2024, 3, 1))["age_years"] == 10
    assert student.rule_facts()["age_years"] is None and student.rule_facts()["participant_kind"] == "student"
    with pytest.raises(IntegrityError):
        f.make_person(db_session, participant_kind="parent")
    db_session.rollback()


def test_a_calendar_report_keeps_what_the_curator_filed(db_session):
    school, curator = f.make_organization(db_session, regulation="school"), f.make_person(db_session)
    report = CalendarReport(organization=school, kind="monitoring", calendar_id="monitoring_december",
                            clause="001 §2.4", due_on=date(2025, 12, 20), filed_on=date(2025, 12, 15),
                            filed_by=curator, body={"pairs": 2, "by_form": {"teacher_teacher": 1}},
                            conclusions="Пары работают по плану.")
    db_session.add(report)
    db_session.commit()
    report = _reload(db_session, report)
    assert (report.kind, report.due_on, report.body["by_form"], report.filed_by_id) == (
        "monitoring", date(2025, 12, 20), {"teacher_teacher": 1}, curator.id)
    db_session.add(CalendarReport(organization=school, kind="party", calendar_id="x", clause="001 §2.4",
                                  due_on=date(2025, 12, 20), filed_on=date(2025, 12, 20), filed_by=curator, body={}))
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_login_is_unique(db_session):
    f.make_person(db_session, login="same")
    with pytest.raises(IntegrityError):
        f.make_person(db_session, login="same")


def test_role_assignment_unique_per_person_org_role(db_session):
    org, person = f.make_department(db_session), f.make_person(db_session)
    for role in ("curator", "mentor", "head"):
        f.make_role(db_session, person, org, role)
    db_session.commit()
    db_session.expunge_all()
    person = db_session.get(Person, person.id)
    assert sorted((r.role, r.active, r.organization_id) for r in person.roles) == [
        ("curator", True, org.id), ("head", True, org.id), ("mentor", True, org.id)]
    org = person.roles[0].organization
    with pytest.raises(IntegrityError):
        f.make_role(db_session, person, org, "curator")
    db_session.rollback()
    with pytest.raises(IntegrityError):
        f.make_role(db_session, f.make_person(db_session), org, "janitor")


def test_appointment_mentee_group_members_consents(db_session):
    dept = f.make_department(db_session)
    order = f.make_signed_order(db_session, organization=dept, type="appointment_of_mentors")
    appt = f.make_appointment(db_session, organization=dept, order=order, starts_on=date(2024, 3, 1),
                              direction="управление")
    decision = f.make_decision(db_session, verdict="new_head")
    mentee = f.make_mentee(db_session, organization=dept, category="new_head", decision={"verdict": "new_head"},
                           decision_record=decision)
    group = f.make_group(db_session, mentor=appt.person, mentees=[mentee.person], organization=dept,
                         form=MentorshipForm.HEAD_HEAD)
    assert group.missing_consents() == [appt.person_id, mentee.person_id]
    db_session.add(Consent(person=appt.person, group=group, text="Согласен"))
    db_session.add(Consent(person=mentee.person, group=group, document_ref="scan/consent-17.pdf"))
    db_session.add(Consent(person=mentee.person, kind="personal_data", text="Согласие на обработку ПДн"))
    group.members[0].mentee = mentee
    db_session.commit()
    db_session.expunge_all()

    appt = db_session.get(MentorAppointment, appt.id)
    assert (appt.starts_on, appt.ends_on, appt.order.number) == (date(2024, 3, 1), date(2026, 2, 28), order.number)
    group = db_session.get(MentoringGroup, group.id)
    assert group.is_pair and group.form == "head_head" and group.missing_consents() == []
    assert group.members[0].mentee.decision == {"verdict": "new_head"}
    assert group.members[0].mentee.decision_record.verdict == "new_head"
    assert MentorshipForm(group.form).label == "«руководитель – руководитель»"
    assert {c.kind for c in db_session.scalars(select(Consent))} == {"participation", "personal_data"}


def test_open_vocabularies_are_validated_in_python(db_session):
    with pytest.raises(InvalidValue, match="mentees.category"):
        Mentee(category="Никто")
    with pytest.raises(InvalidValue, match="mentoring_groups.form"):
        MentoringGroup(form="telepathic form")
    with pytest.raises(InvalidValue, match="orders.type"):
        Order(type="decree")
    with pytest.raises(InvalidValue):
        WorkflowInstance(kind="unknown")


def test_consent_needs_text_or_document(db_session):
    group = f.make_group(db_session)
    db_session.add(Consent(person=group.mentor, group=group))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_program_events_reports_decisions(db_session):
    program = f.make_program(db_session)
    curator = f.make_person(db_session)
    program.events = [
        RoadmapEventRecord(stage_id="diagnosis", seq=1, number="1.1", name="Диагностика затруднений",
                           due_on=date(2024, 9, 30), report_form="Информационная справка"),
        RoadmapEventRecord(stage_id="activity", seq=2, number="3.8", name="Стажировка", status="done",
                           done_on=date(2025, 3, 1), note="проведена"),
    ]
    db_session.add(StageReport(program=program, stage_id="diagnosis", form_name="Информационная справка",
                               body="Текст", submitted_by=program.group.mentor, status="returned",
                               submitted_at=datetime(2024, 10, 1, 9, tzinfo=UTC), reviewer=curator,
                               reviewed_at=datetime(2024, 10, 2, 9, tzinfo=UTC), review_comment="Доработать"))
    db_session.add(StageReport(program=program, stage_id="diagnosis", form_name="Информационная справка",
                               body="Текст 2", submitted_by=program.group.mentor, attempt=2))
    f.make_decision(db_session, program=program, ruleset_id="tomsk.completion", verdict="plan_completed",
                    body={"verdict": "plan_completed", "clause": "003 §7.1 (1)", "facts": {"events_done": 2}})
    program = _reload(db_session, program)
    assert [e.number for e in program.events] == ["1.1", "3.8"]
    assert program.events[1].done_on == date(2025, 3, 1)
    assert [(r.attempt, r.status) for r in program.reports] == [(1, "returned"), (2, "draft")]
    assert program.reports[0].reviewed_at == datetime(2024, 10, 2, 9, tzinfo=UTC)
    assert program.reports[0].reviewer_id == curator.id
    decision = db_session.scalars(select(Decision).where(Decision.program_id == program.id)).one()
    assert decision.body["facts"] == {"events_done": 2}
    assert decision.made_at.tzinfo is not None


def test_an_event_names_who_marked_it_and_keeps_participants_comments(db_session):
    program = f.make_program(db_session)
    mentee = f.make_person(db_session)
    event = RoadmapEventRecord(stage_id="diagnosis", seq=1, number="1.1", name="Диагностика", status="done",
                               done_on=date(2025, 1, 20), marked_by=mentee)
    event.comments.append(RoadmapEventComment(author=mentee, body="Предлагаю перенести на февраль"))
    program.events = [event]
    event = _reload(db_session, event)
    assert event.marked_by_id == mentee.id
    assert [(c.author_id, c.body) for c in event.comments] == [(mentee.id, "Предлагаю перенести на февраль")]


def test_a_mentor_bonus_is_one_per_mentor_and_term_and_revocation_names_the_head_and_reason(db_session):
    mentor, head = f.make_person(db_session), f.make_person(db_session)
    school = f.make_organization(db_session)
    bonus = MentorBonus(mentor=mentor, organization_id=school.id, term_starts_on=date(2025, 1, 10),
                        ruleset_id="mentor_bonus_tomsk", mentee_count=2, salaries=4)
    db_session.add(bonus)
    bonus = _reload(db_session, bonus)
    assert (bonus.mentee_count, bonus.salaries, bonus.revoked) == (2, 4, None)
    bonus.revoked, bonus.decided_by_id, bonus.decided_at = True, head.id, datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(IntegrityError):  # revoked without a reason
        db_session.flush()
    db_session.rollback()
    db_session.add(MentorBonus(mentor_id=mentor.id, organization_id=school.id, term_starts_on=date(2025, 1, 10),
                               ruleset_id="mentor_bonus_tomsk"))
    with pytest.raises(IntegrityError):  # one record per mentor and term
        db_session.flush()
    db_session.rollback()


def test_program_completion_needs_a_ground(db_session):
    program = f.make_program(db_session)
    program.status = "completed"
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()
    program = f.make_program(db_session)
    program.status, program.completion_ground, program.completed_on = "completed_early", "participants_initiative", date(2025, 1, 1)
    assert _reload(db_session, program).completion_ground == "participants_initiative"


def test_report_attempts_are_unique_per_stage(db_session):
    program = f.make_program(db_session)
    for _ in range(2):
        db_session.add(StageReport(program=program, stage_id="diagnosis", form_name="Справка",
                                   submitted_by=program.group.mentor))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_datetimes_are_utc_aware_and_naive_is_refused(db_session):
    tomsk = timezone(timedelta(hours=7))
    entry = record_audit(db_session, "test.done", object_type="x", object_id=1)
    entry.at = datetime(2023, 2, 27, 10, 0, 55, tzinfo=tomsk)
    entry = _reload(db_session, entry)
    assert entry.at == datetime(2023, 2, 27, 3, 0, 55, tzinfo=UTC) and entry.at.tzinfo == UTC
    record_audit(db_session, "test.naive", object_type="x").at = datetime(2024, 1, 1)
    with pytest.raises(Exception, match="часового пояса"):
        db_session.flush()


def test_audit_and_access_log_round_trip(db_session):
    viewer, subject = f.make_person(db_session), f.make_person(db_session)
    org = f.make_department(db_session)
    record_audit(db_session, "person.viewed", actor=viewer, obj=subject, organization=org, details={"why": "тест"})
    log_access(db_session, subject, "profile", viewer=viewer, fields=["full_name", "email"])
    db_session.commit()
    db_session.expunge_all()
    audit = db_session.scalars(select(AuditEntry)).one()
    assert (audit.object_type, audit.object_id, audit.actor_id, audit.details) == (
        "persons", str(subject.id), viewer.id, {"why": "тест"})
    access = db_session.scalars(select(AccessLogEntry)).one()
    assert (access.viewer.id, access.subject.id, access.fields) == (viewer.id, subject.id, ["full_name", "email"])


def test_workflow_storage_round_trip(db_session):
    d1 = f.make_definition(db_session, process_id="program", version=1, bpmn="<a/>")
    d2 = f.make_definition(db_session, process_id="program", version=2, bpmn="<b/>")
    inst = f.make_instance(db_session, definition=d1, kind="program", subject={"program_id": 5})
    mentor = f.make_person(db_session)
    f.make_open_task(db_session, instance=inst, role="mentor", assignee=mentor, form_id="stage_report",
                     due_at=datetime(2025, 6, 10, tzinfo=UTC))
    now = datetime(2025, 1, 1, tzinfo=UTC)
    inst.timers = [WorkflowTimer(element_id="t_june", fires_at=now - timedelta(days=1)),
                   WorkflowTimer(element_id="t_dec", fires_at=now + timedelta(days=1))]
    inst = _reload(db_session, inst)
    assert inst.definition.bpmn == "<a/>" and inst.version == 1 and inst.subject == {"program_id": 5}
    assert [(t.role, t.form_id, t.assignee_id) for t in inst.open_tasks] == [("mentor", "stage_report", mentor.id)]
    assert [t.element_id for t in due_timers(db_session, now)] == ["t_june"]
    assert latest_definition(db_session, "program").id == d2.id
    assert latest_definition(db_session, "nothing") is None
    # the same BPMN bytes cannot be deployed twice under one process id
    with pytest.raises(IntegrityError):
        f.make_definition(db_session, process_id="program", version=3, bpmn="<a/>")
    db_session.rollback()
    # open tasks and timers are derived rows: they go with their instance
    inst = db_session.get(WorkflowInstance, inst.id)
    db_session.delete(inst)
    db_session.commit()
    assert db_session.scalars(select(OpenTask)).all() == []
    assert db_session.scalars(select(WorkflowTimer)).all() == []


def test_term_helpers():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert pack("tomsk").mentor_term.ends_on(date(2024, 3, 1)) == date(2026, 2, 28)  # 003 §3.4: two years
    assert pack("yakutsk").mentor_term.ends_on(date(2024, 9, 1)) == date(2025, 8, 31)  # 004 III.2
    assert pack("yakutsk").mentor_term.ends_on(date(2025, 1, 15)) == date(2025, 8, 31)
    with pytest.raises(NotFound, match="moscow"):
        pack("moscow")


def test_draft_process_versions_are_not_started(db_session):
    deployed = f.make_definition(db_session, process_id="program", version=1, bpmn="<a/>")
    draft = f.make_definition(db_session, process_id="program", version=2, bpmn="<b/>", status="draft",
                              comment="новая схема эскалации")
    draft = _reload(db_session, draft)
    assert (draft.status, draft.comment, draft.activated_at) == ("draft", "новая схема эскалации", None)
    assert latest_definition(db_session, "program").id == deployed.id
    draft.status = "deployed"
    db_session.commit()
    assert latest_definition(db_session, "program").id == draft.id
    draft.status = "retired"
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()


def test_attachments_tokens_and_rule_file_versions(db_session):
    program = f.make_program(db_session)
    mentor = program.group.mentor
    db_session.add(Attachment(organization=program.group.organization, program=program, uploaded_by=mentor,
                              file_name="справка.pdf", content_type="application/pdf", size_bytes=4,
                              sha256="0" * 64, content=b"%PDF"))
    db_session.add(ApiToken(person=mentor, name="Электронный журнал", token_sha256="a" * 64, prefix="nst_abcd"))
    db_session.add(RuleFileVersion(file_name="mentor_eligibility_tomsk.yaml", version=1, content="rulesets: []",
                                   sha256="b" * 64, status="deployed"))
    db_session.commit()
    db_session.expunge_all()
    attachment = db_session.scalars(select(Attachment)).one()
    assert (attachment.file_name, attachment.size_bytes, attachment.content) == ("справка.pdf", 4, b"%PDF")
    assert attachment.uploaded_at.tzinfo is not None
    token = db_session.scalars(select(ApiToken)).one()
    assert token.person_id == mentor.id and token.revoked_at is None
    assert db_session.scalars(select(RuleFileVersion)).one().saved_at.tzinfo is not None
    # the same text cannot be stored twice as two versions of one file
    db_session.add(RuleFileVersion(file_name="mentor_eligibility_tomsk.yaml", version=2, content="rulesets: []",
                                   sha256="b" * 64))
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()


def test_regulation_pack_versions(db_session):
    person = f.make_person(db_session)
    files = {"pack.yaml": "id: tomsk\n", "roadmaps/tomsk_new_head.yaml": "id: tomsk_new_head\n"}
    db_session.add(RegulationPackVersion(pack_id="tomsk", version=1, files=files, rule_files=["x.yaml"],
                                         digest="c" * 64, status="deployed", saved_by=person))
    db_session.commit()
    db_session.expunge_all()
    row = db_session.scalars(select(RegulationPackVersion)).one()
    assert (row.files, row.rule_files, row.status_label) == (files, ["x.yaml"], "действует")
    assert row.saved_at.tzinfo is not None and row.saved_by.id == person.id and row.deployed_by is None
    db_session.add(RegulationPackVersion(pack_id="tomsk", version=1, files={}, rule_files=[], digest="d" * 64))
    with pytest.raises(IntegrityError):  # one version number per pack
        db_session.commit()
    db_session.rollback()
    db_session.add(RegulationPackVersion(pack_id="tomsk", version=2, files={}, rule_files=[], digest="d" * 64,
                                         status="retired"))
    with pytest.raises(IntegrityError):  # the statuses are draft, deployed and superseded
        db_session.commit()
    db_session.rollback()


def test_a_roadmap_year_keeps_one_row_per_school_roadmap_and_year_and_an_item_done_names_who(db_session):
    """004 п. 4.3, прил. 2: a school's roadmap year and its items (engine/services/mentorship/school_roadmap.py)."""
    school = f.make_organization(db_session, regulation="yakutsk")
    curator = f.make_person(db_session)
    year = RoadmapYear(organization=school, roadmap_id="yakutsk_school", academic_year=2025,
                       started_on=date(2025, 9, 1))
    year.items = [RoadmapYearItem(key="5.1#2", number="5.1", stage_title="Создание наставнических пар (групп)",
                                  name="Формирование наставнических пар (групп)", role="curator",
                                  due_as_printed="Ноябрь 2021, март 2022", opens_on=date(2026, 3, 1),
                                  due_on=date(2026, 3, 31))]
    db_session.add(year)
    db_session.commit()
    item = _reload(db_session, year).items[0]
    assert (item.key, item.status, item.kind, item.year.label) == ("5.1#2", "planned", "event", "2025/2026")
    item.status, item.done_on = "done", date(2026, 3, 20)  # nobody named: the database refuses
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()
    item = _reload(db_session, year).items[0]
    item.status, item.done_on, item.done_by_id = "done", date(2026, 3, 20), curator.id
    db_session.commit()
    db_session.add(RoadmapYear(organization=school, roadmap_id="yakutsk_school", academic_year=2025,
                               started_on=date(2025, 9, 2)))
    with pytest.raises(IntegrityError):  # one year per school, roadmap and academic year
        db_session.commit()
    db_session.rollback()


def test_network_groups_members_diagnoses_and_work_records(db_session):
    """004 III.3–III.6, IV.1: a trainee's diagnosis, a group by direction, a member's plan and review, work."""
    s = db_session
    department = f.make_department(s, regulation="yakutsk", name="Управление образования г. Якутска")
    mentor, specialist = f.make_person(s), f.make_person(s)
    appointment = f.make_appointment(s, person=mentor, organization=department, direction="Функциональная грамотность")
    mentee = f.make_mentee(s, organization=department, category="newly_hired", direction="Функциональная грамотность")
    s.add(CompetenceDiagnosis(mentee=mentee, kind="self", difficulties="Смысловое чтение", help_needed="Консультации",
                              self_rating=2, recorded_by=mentee.person))
    group = NetworkGroup(organization=department, appointment=appointment, mentor=mentor, direction=appointment.direction,
                         academic_year=2024, starts_on=date(2024, 10, 1), ends_on=date(2025, 8, 31),
                         review_opens_on=date(2025, 5, 1), review_due_on=date(2025, 5, 31), formed_by=specialist)
    member = NetworkMember(group=group, mentee=mentee, person=mentee.person, plan_goals="Цели", plan_actions="Шаги",
                           plan_submitted_at=datetime(2024, 10, 5, tzinfo=UTC))
    s.add_all([group, member, NetworkWorkRecord(group=group, form="consultation", held_on=date(2024, 10, 20),
                                                topic="ИППР", trainee_ids=[mentee.person_id], recorded_by=mentor)])
    member.plan_fulfilled, member.readiness, member.reviewed_by = True, "ready", mentor
    member.reviewed_at = datetime(2025, 5, 20, tzinfo=UTC)
    back = _reload(s, group)
    assert (back.direction, back.members[0].readiness, back.records[0].trainee_ids) == (
        "Функциональная грамотность", "ready", [mentee.person_id])
    assert s.scalars(select(Mentee.direction)).one() == "Функциональная грамотность"
    with pytest.raises(InvalidValue):
        NetworkWorkRecord(form="Консультация")  # a work form id of the pack (004 III.6), checked in Python
    s.add(CompetenceDiagnosis(mentee_id=mentee.id, kind="monitoring", difficulties="…", help_needed="…",
                              recorded_by_id=specialist.id))  # monitoring: who in the school did it (004 III.3)
    with pytest.raises(IntegrityError):
        s.flush()
    s.rollback()
    reviewed = s.get(NetworkMember, back.members[0].id)
    reviewed.readiness = None  # a review without the readiness (004 IV.1)
    with pytest.raises(IntegrityError):
        s.flush()


def test_an_audit_entry_joins_its_chain_on_commit_and_the_links_are_append_only(db_session, tmp_path, monkeypatch):
    from sqlalchemy import text

    from engine.db import ImmutableRecordError
    from engine.db.models import record_audit

    monkeypatch.setenv("NASTAVNIK_SIGNING_DIR", str(tmp_path / "signing"))
    entry = record_audit(db_session, "test.chained", object_type="test")
    db_session.flush()
    assert db_session.scalar(select(ChainLink).where(ChainLink.record_id == entry.id)) is None  # not before commit
    db_session.commit()
    link = db_session.scalars(select(ChainLink).where(ChainLink.chain == "audit")).one()
    head = db_session.get(ChainHead, "audit")
    assert (link.record_id, link.seq, link.previous_hash) == (entry.id, 1, "0" * 64)
    assert (head.seq, head.chain_hash) == (1, link.chain_hash) and len(head.seal) == 64
    link.seal = "0" * 64
    with pytest.raises(ImmutableRecordError):
        db_session.flush()
    db_session.rollback()
    with pytest.raises(IntegrityError):
        db_session.execute(text("DELETE FROM chain_links"))
    db_session.rollback()
    with pytest.raises(IntegrityError):
        db_session.execute(text("UPDATE chain_links SET seq = 2"))
    db_session.rollback()
    record_audit(db_session, "test.rolled_back", object_type="test")
    db_session.flush()
    db_session.rollback()
    record_audit(db_session, "test.second", object_type="test")
    db_session.commit()
    assert list(db_session.scalars(select(ChainLink.seq).where(ChainLink.chain == "audit").order_by(ChainLink.seq))) \
        == [1, 2]


def test_savepoints_neither_chain_early_nor_lose_the_transaction_s_rows(db_session, tmp_path, monkeypatch):
    """A SAVEPOINT released does not append (the head would stay locked for the rest of the transaction); one
    rolled back loses only its own rows (assign_number retries a number in a SAVEPOINT)."""
    from engine.db.models import record_audit
    from engine.services.audit.integrity import verify_all

    monkeypatch.setenv("NASTAVNIK_SIGNING_DIR", str(tmp_path / "signing"))
    kept = record_audit(db_session, "test.before_savepoints", object_type="test")
    with db_session.begin_nested():
        record_audit(db_session, "test.released", object_type="test")
    assert db_session.scalar(select(ChainLink.id)) is None
    savepoint = db_session.begin_nested()
    record_audit(db_session, "test.rolled_back", object_type="test")
    db_session.flush()
    savepoint.rollback()
    db_session.commit()
    actions = db_session.scalars(select(AuditEntry.action).join(ChainLink, ChainLink.record_id == AuditEntry.id)
                                 .where(ChainLink.chain == "audit").order_by(ChainLink.seq)).all()
    assert actions == ["test.before_savepoints", "test.released"] and kept.id is not None
    assert verify_all(db_session).intact


def test_account_links_admin_role_and_extra_facts(db_session):
    """Issue 12's columns: an account link's purpose is one of two; the administrator's role is a role; a fact a
    rule file declares without a column is read from ``extra_facts`` (a column wins over a stale extra)."""
    from datetime import UTC, datetime, timedelta

    department = f.make_department(db_session, inn="7017000000", document_settings={"number_suffix": "р"})
    person = f.make_person(db_session, extra_facts={"pedagogical_rank": "highest", "years_as_head": 99},
                           years_as_head=3, phone="+7 3822 000000")
    f.make_role(db_session, person, department, "admin")
    expires = datetime.now(UTC) + timedelta(days=3)
    db_session.add(AccountLink(person=person, purpose="invitation", token_sha256="c" * 64, expires_at=expires))
    db_session.commit()
    facts = person.rule_facts()
    assert facts["pedagogical_rank"] == "highest" and facts["years_as_head"] == 3
    db_session.add(AccountLink(person=person, purpose="other", token_sha256="d" * 64, expires_at=expires))
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()
    with pytest.raises(IntegrityError):
        f.make_role(db_session, person, department, "superuser")
    db_session.rollback()


def test_a_monitoring_view_is_kept_once_by_its_key(db_session):
    """A view's figures as last counted: one row per key (a second count replaces it), dashboard or analytic."""
    org = f.make_department(db_session)
    now = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    db_session.add(MonitoringSnapshot(key="dashboard:1", kind="dashboard", organization_id=org.id, payload={"a": 1},
                                      computed_at=now, compute_ms=5))
    db_session.flush()
    db_session.add(MonitoringSnapshot(key="dashboard:1", kind="dashboard", payload={}, computed_at=now, compute_ms=1))
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()
    db_session.add(MonitoringSnapshot(key="chart:1", kind="chart", payload={}, computed_at=now, compute_ms=1))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_designed_form_versions_pins_and_answers(db_session):
    """Issue 16 item 5: one row per (organization, key, version); a process version pins one version per key; the
    answers a step gave are kept with the instance."""
    program = f.make_program(db_session)
    org, mentor = program.group.organization, program.group.mentor
    form = DesignedForm(key="meeting", version=1, title="Встреча", schema={"components": []}, organization_id=org.id,
                        status="deployed", created_by_id=mentor.id)
    db_session.add(form)
    db_session.commit()
    instance = f.make_instance(db_session, organization=org)
    db_session.add(DesignedFormPin(definition_id=instance.definition_id, key="meeting", form_id=form.id))
    db_session.add(DesignedFormAnswer(instance_id=instance.id, form_id=form.id, task_id="t", step_name="Шаг",
                                      answers={"topic": "Уроки"}, answered_by_id=mentor.id))
    db_session.commit()
    assert db_session.scalars(select(DesignedFormAnswer)).one().answered_at.tzinfo is not None
    db_session.add(DesignedFormPin(definition_id=instance.definition_id, key="meeting", form_id=form.id))
    with pytest.raises(IntegrityError):  # one version per key and process version
        db_session.commit()
    db_session.rollback()
    assert form.created_at.tzinfo is not None
    db_session.add(DesignedForm(key="meeting", version=1, title="Ещё", schema={}, organization_id=org.id,
                                status="draft"))
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()
    db_session.add(DesignedForm(key="other", version=1, title="Ещё", schema={}, status="retired"))
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()


def test_a_plan_correction_keeps_its_changes_agreement_decision_and_order(db_session):
    """003 §7.2: the changes (old → new) of a program's plan, who agreed, the curator's decision, the order."""
    program = f.make_program(db_session)
    curator = f.make_person(db_session)
    correction = PlanCorrection(program=program, proposed_by=program.group.mentor, proposer_role="mentor",
                                status="approved", changes=[{"op": "move", "event_id": 1, "due_on": "2025-03-20",
                                                             "reason": "педсовет"}],
                                agreed_by=[program.group.mentor_id], decided_by=curator,
                                decided_at=datetime(2025, 3, 1, tzinfo=UTC),
                                applied=[{"event": "2.2 «Консультация»", "was": "срок — 15.06.2025",
                                          "becomes": "срок — 20.03.2025", "reason": "педсовет"}])
    db_session.add(correction)
    back = _reload(db_session, correction)
    assert back.changes[0]["due_on"] == "2025-03-20" and back.applied[0]["becomes"] == "срок — 20.03.2025"
    assert back.decided_by.id == curator.id and back.order is None and back.attempt == 1
    db_session.add(PlanCorrection(program_id=back.program_id, proposed_by_id=back.proposed_by_id,
                                  proposer_role="mentor", status="returned", changes=[], agreed_by=[],
                                  decided_at=datetime(2025, 3, 1, tzinfo=UTC)))
    with pytest.raises(IntegrityError):  # a return names its reason
        db_session.flush()


def test_a_council_keeps_one_membership_per_person_one_number_per_session_and_one_vote_per_item(db_session):
    """One council per organization and body; a protocol's number once per body and calendar year."""
    s = db_session
    school, person = f.make_organization(s), f.make_person(s)
    council = Council(organization=school, chair_id=person.id)
    council.members.append(CouncilMember(person_id=person.id, added_on=date(2026, 3, 1)))
    found = CouncilSession(council=council, number=1, held_on=date(2026, 3, 12), status="held",
                           items=[AgendaItem(position=1, title="Итоги")], attendance=[Attendance(person_id=person.id)])
    s.add(found)
    s.flush()
    found.items[0].votes.append(Vote(person_id=person.id, choice="for"))
    s.flush()
    with pytest.raises(IntegrityError), s.begin_nested():
        s.add(Vote(item_id=found.items[0].id, person_id=person.id, choice="against"))
    with pytest.raises(IntegrityError), s.begin_nested():
        s.add(CouncilSession(council_id=council.id, number=1, held_on=date(2026, 4, 1), status="planned"))
    # protocols are numbered per body and calendar year: № 1 again next year, a second body has its own numbers
    next_year = CouncilSession(council_id=council.id, number=1, held_on=date(2027, 1, 20), status="planned")
    pedagogical = Council(organization=school, body="pedagogical_council")
    s.add_all([next_year, pedagogical])
    s.flush()
    assert next_year.year == 2027 and found.year == 2026 and council.body == "mentors_council"
    with pytest.raises(IntegrityError), s.begin_nested():
        s.add(Council(organization=school, body="pedagogical_council"))
    with pytest.raises(InvalidValue, match="council_sessions.status"):  # the lifecycle's validator, before the CHECK
        CouncilSession(council_id=council.id, number=2, held_on=date(2026, 4, 1), status="unknown")
    assert _reload(s, found).items[0].votes[0].choice == "for"


def test_an_individual_route_its_steps_reviews_and_programs(db_session):
    """Issue 18 item 2 (002 §1.2, §4.2.2): a route of 4 or 5 years, one row per step (1–7) and per yearly review,
    a program attached to one route only; deleting the route takes its rows."""
    program = f.make_program(db_session)
    org, teacher = program.group.organization, program.group.members[0].person
    route = IomRoute(organization_id=org.id, teacher_id=teacher.id, years=5, starts_on=date(2025, 9, 1),
                     ends_on=date(2030, 8, 31), step=2)
    route.steps.append(IomStep(step=1, body={"image": "Образ"}, done_on=date(2025, 9, 2), done_by_id=teacher.id))
    route.reviews.append(IomReview(year=1, due_on=date(2026, 9, 1), opened_on=date(2026, 9, 1)))
    route.programs.append(IomProgram(program_id=program.id, attached_on=date(2025, 9, 3)))
    db_session.add(route)
    db_session.commit()
    assert route.created_at.tzinfo is not None and not route.finished
    for bad in (IomRoute(organization_id=org.id, teacher_id=teacher.id, years=3, starts_on=date(2025, 9, 1),
                         ends_on=date(2028, 8, 31), step=1),
                IomStep(route_id=route.id, step=1, body={}, done_on=date(2025, 9, 2)),
                IomStep(route_id=route.id, step=8, body={}, done_on=date(2025, 9, 2)),
                IomReview(route_id=route.id, year=1, due_on=date(2026, 9, 1), opened_on=date(2026, 9, 1)),
                IomProgram(route_id=route.id, program_id=program.id, attached_on=date(2025, 9, 3))):
        db_session.add(bad)
        with pytest.raises(IntegrityError):
            db_session.commit()
        db_session.rollback()
    db_session.delete(route)
    db_session.commit()
    assert db_session.scalars(select(IomStep)).all() == [] and db_session.scalars(select(IomProgram)).all() == []


def test_recognition_rows_keep_their_rules(db_session):
    """Issue 18: an incentive's supplement is a percentage; one vote per juror per nominee, 0–10; a returned
    practice names why; a contest and a practice move only along their lifecycles."""
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    from engine.db.errors import InvalidStatusTransition

    org, mentor = f.make_department(db_session), f.make_person(db_session)
    incentive = Incentive(organization=org, mentor=mentor, kind="salary_supplement", kind_label="Надбавка",
                          clause="004 прил. 2 п. 9.1", basis="приказ", awarded_on=date(2026, 9, 1), percent=15)
    contest = MentorContest(organization=org, title="Лучший наставник", winners_count=1, status="nominating")
    nomination = ContestNomination(contest=contest, mentor=mentor, basis="основание")
    juror = ContestJuror(contest=contest, person=mentor)
    practice = Practice(organization=org, title="Кейс", description="текст", status="submitted", kind="case")
    db_session.add_all([incentive, contest, nomination, juror, practice,
                        PracticeFile(practice=practice, file_name="a.txt", content_type="text/plain", size_bytes=1,
                                     sha256="0" * 64, content=b"a")])
    db_session.flush()
    db_session.add(ContestVote(nomination=nomination, juror=mentor, score=7))
    db_session.flush()
    assert _reload(db_session, incentive).percent == 15
    contest = db_session.get(MentorContest, contest.id)
    with pytest.raises(InvalidStatusTransition):
        contest.status = "closed"

    def refused(change) -> None:
        savepoint = db_session.begin_nested()
        change()
        with pytest.raises(IntegrityError):
            db_session.flush()
        savepoint.rollback()

    refused(lambda: db_session.add(ContestVote(nomination_id=nomination.id, juror_id=mentor.id, score=5)))
    other = f.make_person(db_session)
    refused(lambda: db_session.add(ContestVote(nomination_id=nomination.id, juror_id=other.id, score=11)))
    practice = db_session.get(Practice, practice.id)
    refused(lambda: setattr(practice, "status", "returned"))


def test_one_individual_plan_per_teacher_and_academic_year(db_session):
    """000 §2.2: the ИППР is the teacher's plan for an academic year — a second one for the same year is refused by
    the database; a bad state or item outcome too."""
    school = f.make_organization(db_session, regulation="vsosh")
    teacher, mentor = f.make_person(db_session), f.make_person(db_session)

    def plan(**changes):
        values = {"organization_id": school.id, "teacher_id": teacher.id, "mentor_id": mentor.id,
                  "academic_year": 2025, "starts_on": date(2025, 9, 1), "ends_on": date(2026, 8, 31)} | changes
        return DevelopmentPlan(**values)

    first = plan()
    db_session.add(first)
    db_session.flush()
    assert first.state == "draft" and first.year_label == "2025/2026"
    db_session.add(DevelopmentPlanItem(plan_id=first.id, section="self_education", what="Курс", due_on=date(2025, 12, 1),
                                       expected_result="Удостоверение"))
    db_session.flush()
    bad_item = DevelopmentPlanItem(plan_id=first.id, section="contests", what="Конкурс", due_on=date(2026, 3, 1),
                                   expected_result="Участие", outcome="half")
    for bad in (plan(), plan(academic_year=2026, state="signed"), bad_item):
        with db_session.begin_nested():
            db_session.add(bad)
            with pytest.raises(IntegrityError):
                db_session.flush()
