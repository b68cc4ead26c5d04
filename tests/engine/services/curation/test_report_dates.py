"""The organization's administrator sets the dates its mentors report by (003 п. 3: «до 10 июня, 10 декабря» are the
pack's): she adds, changes or removes a date on the organization's page, each change audited old → new, a day that
does not exist refused naming the field; the worker opens the reports by her dates; a date moved after its reports
opened opens none again, and no opened report is lost; across 10 December each mentor reports once, is reminded and
escalated, a mentor appointed after the opening day waits for the next date (engine.regulations.report_dates,
mentor_reports)."""
from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from engine.db.models import AuditEntry, MentorPeriodReport
from engine.forms import FormId
from engine.regulations import report_dates
from engine.services.administration import organizations
from engine.services.administration.organization_details import OrganizationDataError
from engine.services.curation import mentor_report_overview, mentor_reports
from engine.services.people.actor import load_actor
from tests.engine.services.mentorship.test_petition_packs import TOMSK_MENTOR
from tests.engine.services.pack_world import PackWorld

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


@pytest.fixture
def tomsk(db_session):
    world = PackWorld(db_session, "tomsk", datetime(2025, 1, 15, 9, 0, tzinfo=UTC))
    admin = world.person("Белова Анна Сергеевна", "admin", position="специалист")
    mentors = [world.person(name, position="директор", **TOMSK_MENTOR)
               for name in ("Волков Андрей Николаевич", "Орлов Пётр Ильич")]
    for mentor in mentors:
        world.appoint(mentor)
    db_session.commit()
    return world, load_actor(db_session, admin.login), mentors


def run_worker(world, day: date) -> int:
    world.advance_to(day)
    opened = mentor_reports.open_due_reports(world.session, world.clock.now())
    world.session.commit()
    return opened


def dues(world) -> list[tuple[str, date]]:
    return [(r.calendar_id, r.due_on) for r in world.session.scalars(
        select(MentorPeriodReport).order_by(MentorPeriodReport.due_on, MentorPeriodReport.mentor_id))]


def test_a_day_that_does_not_exist_is_refused_naming_the_field(db_session, tomsk):
    world, admin, _ = tomsk
    for typed, said in (("31.02", "«31.02»: такой даты нет — в феврале 28 дней"),
                        ("10.06, 31.04", "«31.04»: такой даты нет — в апреле 30 дней"),
                        ("29.02", "«29.02» бывает не каждый год"), ("10/06", "«10/06» — не дата вида «10.06»"),
                        ("10.06, 10.06", "дата «10.06» указана дважды"), ("5.13", "месяца 13 нет")):
        with pytest.raises(OrganizationDataError) as refused:
            organizations.update_organization(db_session, admin, world.organization.id, {"report_dates": typed})
        db_session.rollback()
        [problem] = refused.value.problems
        assert problem.field == "report_dates" and said in problem.message, typed
        assert str(problem).startswith("«Даты отчётов наставников»:")


def test_the_pack_names_no_dates_the_administrator_cannot_add_them(db_session):
    world = PackWorld(db_session, "school", datetime(2025, 1, 15, 9, 0, tzinfo=UTC))
    admin = load_actor(db_session, world.person("Белова Анна Сергеевна", "admin").login)
    db_session.commit()
    with pytest.raises(OrganizationDataError, match="не называет дат отчётов наставников"):
        organizations.update_organization(db_session, admin, world.organization.id, {"report_dates": "10.06"})


@BOTH
def test_the_worker_opens_the_reports_by_the_administrator_s_dates(db_session, tomsk):
    world, admin, mentors = tomsk
    changes = organizations.update_organization(db_session, admin, world.organization.id,
                                                {"report_dates": "25.06, 10.12"})
    db_session.commit()
    assert changes == [{"field": "report_dates", "label": "Даты отчётов наставников", "old": "—",
                        "new": "25.06, 10.12"}]
    assert world.organization.report_dates == ["06-25", "12-10"]
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "organization.changed"))
    assert entry.details["changes"][0]["new"] == "25.06, 10.12"
    assert [(d.id, d.label) for d in report_dates.report_dates(world.organization)] == [
        ("mentor_report_0625", "Отчёт руководителя, осуществляющего функции наставника (до 25 июня)"),
        ("mentor_report_december", "Отчёт руководителя, осуществляющего функции наставника (до 10 декабря)")]

    assert run_worker(world, date(2025, 5, 27)) == 0  # 10 June is no longer a date
    assert run_worker(world, date(2025, 6, 10)) == 0
    assert run_worker(world, date(2025, 6, 11)) == 2  # two weeks before 25 June
    assert run_worker(world, date(2025, 6, 12)) == 0
    assert dues(world) == [("mentor_report_0625", date(2025, 6, 25))] * 2
    row = db_session.scalar(select(MentorPeriodReport).limit(1))
    assert row.period_from == date(2024, 12, 11)
    task = world.task(mentors[0], FormId.MENTOR_PERIOD_REPORT)
    assert task.due_at.date() == date(2025, 6, 25)
    view = mentor_report_overview.period_overview(db_session, world.actor(world.curator), world.organization.id)
    assert view.label.endswith("(до 25 июня)") and view.periods == (date(2025, 6, 25),)

    # the pack's dates typed again: nothing of her own is kept
    organizations.update_organization(db_session, admin, world.organization.id, {"report_dates": "10.12, 10.06"})
    assert world.organization.report_dates is None


@BOTH
def test_a_date_moved_after_its_reports_opened_opens_none_again_and_loses_none(db_session, tomsk):
    world, admin, _ = tomsk
    assert run_worker(world, date(2025, 5, 27)) == 2  # the pack's 10 June
    organizations.update_organization(db_session, admin, world.organization.id, {"report_dates": "20.06, 10.12"})
    db_session.commit()
    for day in (date(2025, 6, 6), date(2025, 6, 11), date(2025, 6, 20)):
        assert run_worker(world, day) == 0, day  # the reports of 10 June count for 20 June
    assert dues(world) == [("mentor_report_june", date(2025, 6, 10))] * 2

    organizations.update_organization(db_session, admin, world.organization.id, {"report_dates": "05.06"})  # one
    db_session.commit()
    assert run_worker(world, date(2025, 11, 26)) == 0  # 10 December removed: nothing then
    assert run_worker(world, date(2026, 5, 22)) == 2  # 5 June 2026: a year's period
    assert dues(world)[-2:] == [("mentor_report_0605", date(2026, 6, 5))] * 2
    assert [r.period_from for r in world.session.scalars(select(MentorPeriodReport).where(
        MentorPeriodReport.due_on == date(2026, 6, 5)))] == [date(2025, 6, 6)] * 2


def test_the_covering_window_keeps_the_unchanged_calendar_s_reports_apart():
    dates = report_dates.report_dates(SimpleNamespace(regulation="tomsk", report_dates=None))
    assert report_dates.covering_window(dates, date(2025, 6, 10)) == (date(2025, 3, 11), date(2025, 9, 9))
    assert report_dates.covering_window(dates, date(2025, 12, 10)) == (date(2025, 9, 9), date(2026, 3, 11))


@BOTH
def test_across_10_december_each_mentor_reports_once_reminded_and_escalated(db_session, tomsk):
    """003 п. 3 «до 10 декабря»: the worker was down through 10 June (nothing opened late for it); two weeks before
    10 December one task per mentor however often it runs; a mentor appointed after the opening day gets none for
    December but one for the next June; three days before, each is reminded; on the date the curator is asked to act
    for each report not filed."""
    world, _, mentors = tomsk
    assert run_worker(world, date(2025, 11, 25)) == 0
    assert run_worker(world, date(2025, 11, 26)) == 2
    assert mentor_reports.open_due_reports(db_session, world.clock.now()) == 0  # the same day again
    assert dues(world) == [("mentor_report_december", date(2025, 12, 10))] * 2  # none for June: the worker was down
    late = world.person("Лебедев Игорь Петрович", position="директор", **TOMSK_MENTOR)
    world.advance_to(date(2025, 11, 28))
    world.appoint(late)
    assert run_worker(world, date(2025, 11, 29)) == 0

    run_worker(world, date(2025, 12, 7))
    rows = {r.mentor_id: r for r in db_session.scalars(select(MentorPeriodReport))}
    for mentor in mentors:
        world.task(mentor, FormId.ACKNOWLEDGE_REMINDER, rows[mentor.id].workflow_instance_id)  # reminded
    assert not [t for t in world.tasks(world.curator) if t.form_id == FormId.MENTOR_REPORT_OVERDUE]  # not yet
    run_worker(world, date(2025, 12, 10))
    db_session.expire_all()
    overdue = [t.instance_id for t in world.tasks(world.curator) if t.form_id == FormId.MENTOR_REPORT_OVERDUE]
    assert sorted(overdue) == sorted(r.workflow_instance_id for r in rows.values())
    assert {r.escalated_on for r in db_session.scalars(select(MentorPeriodReport))} == {date(2025, 12, 10)}
    assert late.id not in rows

    assert run_worker(world, date(2026, 5, 27)) == 3  # June 2026: the late mentor too
    june = [r for r in db_session.scalars(select(MentorPeriodReport)) if r.due_on == date(2026, 6, 10)]
    assert sorted(r.mentor_id for r in june) == sorted([*(m.id for m in mentors), late.id])
    assert {r.period_from for r in june} == {date(2025, 12, 11)}
