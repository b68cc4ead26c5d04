"""The semi-annual and final analytic reports (003 §3.3, 001 §2.4, 002 §5): a department with two schools; the
curator of the department reads the first half of 2025 on 15 July — every figure counted by the database equals the
records of the world, its schools counted with it and another department's records not; a school's curator sees her
school only; the head reads, the curator of the organization writes the conclusions; the workbook and the PDF show
the page's figures."""
from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from engine.db.models import AccessLogEntry, AuditEntry, MentorPeriodReport, RoadmapEventRecord, StageReport
from engine.db.models import AnalyticReport as ConclusionsRow
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.monitoring import analytic_exports, analytic_report
from engine.services.people.actor import load_actor
from tests import factories as f

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
TODAY = date(2025, 7, 15)
H1 = (2025, 1)


class World:
    pass


def build(session) -> World:
    w = World()
    w.department, w.other = f.make_department(session), f.make_department(session)
    w.school_a = f.make_organization(session, parent=w.department)
    w.school_b = f.make_organization(session, parent=w.department)
    for login, org, role in (("an_curator", w.department, "curator"), ("an_head", w.department, "head"),
                             ("an_school_curator", w.school_a, "curator"), ("an_other", w.other, "curator")):
        f.make_role(session, f.make_person(session, login=login), org, role)
    m1, m2, m3, m4 = (f.make_person(session, full_name=name) for name in (
        "Волков Пётр Ильич", "Зайцева Анна Петровна", "Лебедев Олег Сергеевич", "Чужой Наставник Иванович"))
    teacher, student = "pedagogue", "student"

    def program(org, mentor, kinds, *, form="head_head", **kw):
        mentees = [f.make_person(session, participant_kind=kind) for kind in kinds]
        group = f.make_group(session, organization=org, mentor=mentor, mentees=mentees, form=form, status="approved")
        instance = f.make_instance(session, organization=org, kind="program")
        return f.make_program(session, group=group, workflow_instance_id=instance.id, **kw)

    # school A: a pair formed in February, its diagnosis overdue; a group completed in April; an extended pair
    w.p1 = program(w.school_a, m1, [teacher], started_on=date(2025, 2, 1))
    session.add(RoadmapEventRecord(program=w.p1, stage_id="diagnosis", number="1.1", name="Диагностика",
                                     due_on=date(2025, 3, 1)))
    w.p2 = program(w.school_a, m2, [student, teacher], form="group", status="completed", completed_on=date(2025, 4, 10),
                   completion_ground="plan_completed")
    w.p3 = program(w.school_a, m1, [None], form="reservist_head", status="extended", current_stage_id="consultation")
    session.add(RoadmapEventRecord(program=w.p3, stage_id="consultation", number="2.1", name="Консультации",
                                     due_on=date(2025, 12, 1)))
    f.make_signed_order(session, organization=w.school_a, type="extension", subject="О продлении программы",
                        issued_on=date(2025, 3, 15), workflow_instance_id=w.p3.workflow_instance_id)
    # school B: a pair formed in May and terminated in June; one starting in August; one completed last year
    w.p4 = program(w.school_b, m3, [student], started_on=date(2025, 5, 1), status="terminated",
                   completed_on=date(2025, 6, 20), completion_ground="improper_execution")
    program(w.school_b, m3, [student], started_on=date(2025, 8, 1))
    program(w.school_b, m3, [student], status="completed", completed_on=date(2024, 12, 1),
            completion_ground="plan_completed")
    # the other department: a pair formed in February, a report submitted, a mentor's report overdue
    w.p7 = program(w.other, m4, [teacher], started_on=date(2025, 2, 1))

    def stage_report(program, status, submitted, reviewed=None, attempt=1, stage="diagnosis"):
        session.add(StageReport(program_id=program.id, stage_id=stage, form_name="Информационная справка",
                                submitted_by_id=program.group.mentor_id, submitted_at=submitted, status=status,
                                attempt=attempt, reviewer_id=program.group.mentor_id if reviewed else None,
                                reviewed_at=reviewed))

    stage_report(w.p1, "returned", datetime(2025, 3, 2, 5, tzinfo=UTC), datetime(2025, 3, 5, 5, tzinfo=UTC))
    stage_report(w.p1, "submitted", datetime(2025, 6, 25, 5, tzinfo=UTC), attempt=2)
    stage_report(w.p3, "approved", datetime(2024, 12, 20, 5, tzinfo=UTC), datetime(2025, 1, 10, 5, tzinfo=UTC))
    # 31.12.2024 20:00 UTC is 01.01.2025 03:00 in Tomsk: submitted in the half-year
    stage_report(w.p2, "submitted", datetime(2024, 12, 31, 20, tzinfo=UTC))
    stage_report(w.p7, "submitted", datetime(2025, 3, 2, 5, tzinfo=UTC))

    def mentor_report(org, mentor, due, filed=None, body=None, escalated=None):
        session.add(MentorPeriodReport(organization_id=org.id, calendar_id="mentor_report_june", clause="003 п. 3",
                                       period_from=date(due.year - 1, 12, 11), due_on=due, opened_on=due.replace(day=1),
                                       mentor_id=mentor.id, filed_on=filed, body=body, escalated_on=escalated))

    mentor_report(w.school_a, m1, date(2025, 6, 10), date(2025, 6, 5), {"programs": [
        {"program_id": w.p1.id, "results": "…", "indicators": {"vpr_share": 80, "projects": 2,
                                                               "activity": "выступил на семинаре"}},
        {"program_id": w.p3.id, "results": "…", "indicators": {"vpr_share": 60}}], "comment": ""})
    mentor_report(w.school_a, m2, date(2025, 6, 10), date(2025, 6, 12), {"programs": [
        {"program_id": w.p2.id, "results": "…", "indicators": {"projects": 3}},
        {"program_id": w.p2.id, "results": "…"}], "comment": ""})
    mentor_report(w.school_b, m3, date(2025, 6, 10), escalated=date(2025, 6, 10))
    mentor_report(w.school_a, m1, date(2024, 12, 10), date(2024, 12, 1), {"programs": [
        {"program_id": w.p1.id, "indicators": {"projects": 100}}]})
    mentor_report(w.other, m4, date(2025, 6, 10))
    session.commit()
    w.curator, w.head = load_actor(session, "an_curator"), load_actor(session, "an_head")
    w.school_curator, w.other_curator = load_actor(session, "an_school_curator"), load_actor(session, "an_other")
    w.m3 = m3
    return w


def shown(cell) -> str:
    if cell is None:
        return "—"
    return f"{cell:%d.%m.%Y}" if isinstance(cell, date) else " ".join(str(cell).split())


def figures(report) -> dict[str, dict[str, object]]:
    return {t.key: {row.key: row.cells[1] if len(row.cells) > 1 else row.cells[0] for row in t.rows}
            for t in report.tables}


@BOTH
def test_the_half_years_figures_count_the_department_and_its_schools(db_session):
    w = build(db_session)
    report = analytic_report.semiannual_report(db_session, w.curator, organization_id=w.department.id, half=H1,
                                               today=TODAY)
    assert (report.period.starts_on, report.period.ends_on, report.at) == (date(2025, 1, 1), date(2025, 6, 30),
                                                                           date(2025, 6, 30))
    assert report.organizations == 3 and report.may_write
    got = figures(report)
    assert got["participants"] == {
        "mentors": 3, "mentees": 5, "mentees_pedagogue": 2, "mentees_student": 2, "mentees_none": 1,
        "pairs_formed": 2, "groups_formed": 0, "pairs_working": 2, "groups_working": 0}
    forms = {row.key: row.cells[1:] for row in report.table("forms").rows}
    assert forms["head_head"] == (2, 0, 1, 0) and forms["reservist_head"] == (0, 0, 1, 0)
    assert forms["group"] == (0, 0, 0, 0) and len(forms) == 8  # every form of the pack, zeros too
    assert got["programs"] == {
        "started": 2, "completed": 2, "completed_plan_completed": 1, "completed_participants_initiative": 0,
        "completed_improper_execution": 1, "extended": 1, "running": 2, "on_time": 1, "overdue": 1}
    assert got["stage_reports"] == {"submitted": 3, "approved": 1, "returned": 1}
    assert got["mentor_reports"] == {"due": 3, "filed": 2, "filed_late": 1, "overdue": 1, "expected": 0}
    overdue = report.table("overdue_mentors").rows
    assert [row.cells[:3] for row in overdue] == [("Лебедев Олег Сергеевич", w.school_b.short_name, date(2025, 6, 10))]
    indicators = {row.key: row.cells[2:] for row in report.table("indicators").rows}
    assert indicators == {"activity": (1, None, None), "projects": (2, 2.5, 5), "vpr_share": (2, 70, 140)}
    assert db_session.scalar(select(AccessLogEntry.subject_id).where(
        AccessLogEntry.purpose == analytic_report.PURPOSE)) == w.m3.id  # the name shown is logged (152-ФЗ)


@BOTH
def test_a_schools_curator_sees_her_school_and_the_final_report_counts_the_year_to_today(db_session):
    w = build(db_session)
    school = analytic_report.semiannual_report(db_session, w.school_curator, organization_id=None, half=H1,
                                               today=TODAY)
    assert school.organization.id == w.school_a.id and school.organizations == 1
    got = figures(school)
    assert (got["participants"]["mentors"], got["participants"]["mentees"]) == (2, 4)
    assert got["programs"]["started"] == 1 and got["programs"]["completed"] == 1
    assert got["mentor_reports"]["due"] == 2 and not school.table("overdue_mentors").rows
    final = analytic_report.final_report(db_session, w.curator, organization_id=w.department.id, year=2025,
                                         today=TODAY)
    assert final.at == TODAY and final.period.label == "2025 год"
    assert figures(final)["programs"]["started"] == 2  # August's program has not started on 15 July
    later = analytic_report.final_report(db_session, w.curator, organization_id=w.department.id, year=2025,
                                         today=date(2026, 1, 20))
    assert figures(later)["programs"]["started"] == 3 and later.at == date(2025, 12, 31)
    assert figures(later)["mentor_reports"]["due"] == 3  # the June reports; 10 December 2024 is last year's


def test_who_sees_the_report_and_bad_periods(db_session):
    w = build(db_session)
    head = analytic_report.semiannual_report(db_session, w.head, organization_id=w.school_b.id, half=H1, today=TODAY)
    assert head.organization.id == w.school_b.id and not head.may_write  # the head reads her schools' reports
    with pytest.raises(PermissionDenied):  # the school's curator: not the department's report
        analytic_report.semiannual_report(db_session, w.school_curator, organization_id=w.department.id, half=H1,
                                          today=TODAY)
    with pytest.raises(PermissionDenied):
        analytic_report.semiannual_report(db_session, w.other_curator, organization_id=w.school_a.id, half=H1,
                                          today=TODAY)
    with pytest.raises(NotFound):
        analytic_report.semiannual_report(db_session, w.curator, organization_id=999_999, half=H1, today=TODAY)
    with pytest.raises(PermissionDenied):  # a mentor has no report to read
        analytic_report.semiannual_report(db_session, load_actor(db_session, w.m3.login), organization_id=None,
                                          half=H1, today=TODAY)
    for kind, year, half, message in (("semiannual", 2025, 3, "полугодие — 1 или 2"),
                                      ("semiannual", 1999, 1, "год отчёта — от 2000"),
                                      ("semiannual", 2026, 1, "ещё не начался"),
                                      ("monthly", 2025, 1, "вид отчёта")):
        with pytest.raises(NastavnikError, match=message):
            analytic_report.analytic_report(db_session, w.curator, organization_id=w.department.id, kind=kind,
                                            year=year, half=half, today=TODAY)


def test_the_curator_of_the_organization_writes_the_conclusions(db_session):
    w = build(db_session)

    def save(actor, organization, text):
        return analytic_report.save_conclusions(db_session, actor, organization_id=organization.id,
                                                kind="semiannual", year=2025, half=1, text=text, today=TODAY)

    save(w.curator, w.department, "Первые выводы")
    save(w.curator, w.department, "  Программы идут в срок.\r\nОдин наставник не отчитался.  ")
    rows = db_session.scalars(select(ConclusionsRow)).all()
    assert [(r.organization_id, r.kind, r.period, r.conclusions) for r in rows] == [
        (w.department.id, "semiannual", "2025-1", "Программы идут в срок.\nОдин наставник не отчитался.")]
    audit = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "analytic_report.conclusions")
                               .order_by(AuditEntry.id)).all()
    assert [a.details["before"] for a in audit] == [None, "Первые выводы"]
    report = analytic_report.semiannual_report(db_session, w.head, organization_id=w.department.id, half=H1,
                                               today=TODAY)
    assert report.conclusions.startswith("Программы идут") and report.conclusions_by == w.curator.full_name
    final = analytic_report.final_report(db_session, w.curator, organization_id=w.department.id, year=2025,
                                         today=TODAY)
    assert final.conclusions == ""  # the final report has its own
    for actor, organization in ((w.head, w.department), (w.curator, w.school_a), (w.other_curator, w.department)):
        with pytest.raises(PermissionDenied):
            save(actor, organization, "Чужие выводы")
    with pytest.raises(NastavnikError, match="не длиннее"):
        save(w.curator, w.department, "я" * (analytic_report.CONCLUSIONS_MAX + 1))


def test_the_workbook_and_the_pdf_show_the_pages_figures(db_session):
    w = build(db_session)
    analytic_report.save_conclusions(db_session, w.curator, organization_id=w.department.id, kind="semiannual",
                                     year=2025, half=1, text="Выводы полугодия.", today=TODAY)
    report = analytic_report.semiannual_report(db_session, w.curator, organization_id=w.department.id, half=H1,
                                               today=TODAY)
    made = analytic_exports.workbook(report)
    assert made.file_name == f"аналитический-отчёт-2025-1-org-{w.department.id}.xlsx"
    book = load_workbook(BytesIO(made.data))
    assert book.sheetnames == [t.title for t in report.tables] + ["Выводы", "Сведения"]
    for table in report.tables:
        sheet = book[table.title]
        assert sheet.freeze_panes == "A2" and tuple(c.value for c in sheet[1]) == table.headings
        read = [tuple(sheet.iter_rows(min_row=2, values_only=True))]
        expected = [tuple(tuple(datetime(c.year, c.month, c.day) if isinstance(c, date) else c for c in row.cells)
                          for row in table.rows)]
        assert read == expected
    assert book["Выводы"]["A2"].value == "Выводы полугодия."
    about = {row[0]: row[1] for row in book["Сведения"].iter_rows(min_row=2, values_only=True)}
    assert about["Период с"] == datetime(2025, 1, 1) and about["Организация"] == w.department.name

    document = analytic_exports.pdf(report)
    assert document.mimetype == "application/pdf" and document.file_name.endswith(".pdf")
    reader = PdfReader(BytesIO(document.data))
    content = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert reader.metadata.title == report.title
    assert "Сформировано: 15.07.2025" in content and w.department.name in content
    assert "I полугодие 2025 года (01.01.2025 – 30.06.2025)" in content
    for table in report.tables:
        assert table.caption in content
        for row in table.rows:  # each row as the page shows it: its label, then its figures
            assert " ".join(shown(c) for c in row.cells) in content
    assert "Наставники 3" in content and "Наставляемые — всего 5" in content
    assert "из них с просроченным этапом 1" in content and "Лебедев Олег Сергеевич" in content
    assert "Выводы полугодия." in content
