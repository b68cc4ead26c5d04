"""The curator's calendar on the organization's days (001 §2.4: monitoring «до 20 декабря и до 20 мая»; the base
review by 15 September — the school's choice): across 20 December and 20 May the curator gets one monitoring task per
date per year; the school's administrator moves 20.12 to 25.12 — before the task opens, the waiting process is
replaced and the task opens 14 days before 25.12, due 25.12; while it is open, this year's keeps 20.12 and next
year's is due 25.12; a day that does not exist is refused naming the field and the entry; only the organization's
administrator may (engine.regulations.calendar_days, calendar.follow_calendar_days)."""
from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, CalendarReport, WorkflowInstance
from engine.errors import PermissionDenied
from engine.forms import FormId
from engine.regulations.calendar_days import calendar_entries
from engine.services.administration import organizations
from engine.services.administration.organization_details import OrganizationDataError
from engine.services.curation import calendar
from engine.services.notifications import calendar_deadlines
from engine.services.people.actor import load_actor
from tests.engine.services.pack_world import PackWorld

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
CONCLUSIONS = "Пары работают по планам; отставаний нет."


def school(session, start: datetime) -> tuple[PackWorld, object]:
    world = PackWorld(session, "school", start, name="МАОУ Кунарская СОШ", short_name="Кунарская СОШ")
    admin = world.person("Белова Анна Сергеевна", "admin", position="специалист")
    calendar.start_calendar(session, world.actor(world.curator), world.organization.id)
    session.commit()
    return world, load_actor(session, admin.login)


def running(world: PackWorld, calendar_id: str) -> list[WorkflowInstance]:
    return [i for i in world.session.scalars(select(WorkflowInstance).where(
        WorkflowInstance.kind == "calendar", WorkflowInstance.status == "running").order_by(WorkflowInstance.id))
        if i.subject["calendar_id"] == calendar_id]


def due_of(world: PackWorld, calendar_id: str) -> date | None:
    return {slot.day.id: slot.due_on for slot in calendar.calendar_slots(world.session, world.organization)}[calendar_id]


def monitoring_tasks(world: PackWorld) -> list:
    return [t for t in world.tasks(world.curator) if t.form_id == FormId.MONITORING_REPORT]


def file_monitoring(world: PackWorld) -> CalendarReport:
    [task] = monitoring_tasks(world)
    calendar.file_monitoring_report(world.session, world.actor(world.curator), task.instance_id, task.task_id,
                                    CONCLUSIONS)
    world.session.commit()
    return world.session.scalars(select(CalendarReport).order_by(CalendarReport.id.desc())).first()


def move(world: PackWorld, admin, **days: str) -> list[dict]:
    changes = organizations.update_organization(world.session, admin, world.organization.id, {"calendar_days": days})
    world.session.commit()
    return changes


@BOTH
def test_across_20_december_and_20_may_one_monitoring_task_per_date_per_year(db_session):
    world, _admin = school(db_session, datetime(2025, 11, 1, 9, 0, tzinfo=UTC))
    for year in (2025, 2026):
        world.advance_to(date(year, 12, 5))
        assert monitoring_tasks(world) == []
        world.advance_to(date(year, 12, 6))
        [task] = monitoring_tasks(world)
        assert task.due_at.date() == date(year, 12, 20)
        world.advance_to(date(year, 12, 19))
        assert file_monitoring(world).due_on == date(year, 12, 20)
        world.advance_to(date(year, 12, 21))  # past the date: nothing opens again
        assert monitoring_tasks(world) == [] and due_of(world, "monitoring_december") == date(year + 1, 12, 20)
        world.advance_to(date(year + 1, 5, 6))
        [task] = monitoring_tasks(world)
        assert task.due_at.date() == date(year + 1, 5, 20)
        world.advance_to(date(year + 1, 5, 20))
        file_monitoring(world)
        world.advance_to(date(year + 1, 5, 21))
        assert monitoring_tasks(world) == []
    filed = db_session.execute(select(CalendarReport.calendar_id, CalendarReport.due_on, func.count())
                               .group_by(CalendarReport.calendar_id, CalendarReport.due_on)
                               .order_by(CalendarReport.due_on)).all()
    assert [tuple(row) for row in filed] == [
        ("monitoring_december", date(2025, 12, 20), 1), ("monitoring_may", date(2026, 5, 20), 1),
        ("monitoring_december", date(2026, 12, 20), 1), ("monitoring_may", date(2027, 5, 20), 1)]
    assert [len(running(world, key)) for key in ("monitoring_december", "monitoring_may", "base_review")] == [1, 1, 1]


@BOTH
def test_a_day_moved_before_its_task_opens_replaces_the_waiting_process(db_session):
    world, admin = school(db_session, datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    [before] = running(world, "monitoring_december")
    changes = move(world, admin, monitoring_december="25.12", monitoring_may="20.05")
    assert changes == [{"field": "calendar_days", "label": "Сроки мониторинга и сверки базы", "old": "—",
                        "new": "Мониторинг и оценка результатов реализации системы наставничества (до 20 декабря): "
                               "25.12"}]
    assert world.organization.calendar_days == {"monitoring_december": "12-25"}  # the pack's day is not stored
    [after] = running(world, "monitoring_december")
    assert after.id != before.id and db_session.get(WorkflowInstance, before.id).status == "cancelled"
    assert due_of(world, "monitoring_december") == date(2026, 12, 25)
    assert due_of(world, "monitoring_may") == date(2027, 5, 20) and len(running(world, "monitoring_may")) == 1
    [slot] = [s for s in calendar.calendar_slots(db_session, world.organization) if s.day.id == "monitoring_december"]
    assert slot.day.label.endswith("(до 25 декабря)") and slot.day.clause == "001 §2.4"
    audited = {e.action: e for e in db_session.scalars(select(AuditEntry).where(AuditEntry.action.in_(
        ("workflow.cancelled", "calendar.rescheduled"))))}
    assert "20.12.2026 → 25.12.2026" in audited["workflow.cancelled"].details["reason"]
    assert audited["calendar.rescheduled"].details == {
        "calendar_id": "monitoring_december", "replaced_instance_id": before.id, "old_due_on": "2026-12-20",
        "due_on": "2026-12-25"}
    assert audited["calendar.rescheduled"].actor_id == admin.person_id

    assert move(world, admin, monitoring_december="25.12") == []  # the same again: nothing changes
    assert [i.id for i in running(world, "monitoring_december")] == [after.id]
    world.advance_to(date(2026, 12, 6))  # the old opening day: nothing
    world.advance_to(date(2026, 12, 10))
    assert monitoring_tasks(world) == []
    world.advance_to(date(2026, 12, 11))  # 14 days before 25.12
    [task] = monitoring_tasks(world)
    assert task.due_at.date() == date(2026, 12, 25) and task.instance_id == after.id
    assert file_monitoring(world).due_on == date(2026, 12, 25)
    assert due_of(world, "monitoring_december") == date(2027, 12, 25)
    assert len(running(world, "monitoring_december")) == 1


@BOTH
def test_a_day_moved_while_its_task_is_open_applies_from_next_year(db_session):
    world, admin = school(db_session, datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    world.advance_to(date(2026, 12, 6))
    [task] = monitoring_tasks(world)
    move(world, admin, monitoring_december="25.12")
    [still] = monitoring_tasks(world)  # this year's task keeps its date
    assert (still.instance_id, still.task_id, still.due_at.date()) == (task.instance_id, task.task_id, date(2026, 12, 20))
    assert [i.id for i in running(world, "monitoring_december")] == [task.instance_id]

    assert file_monitoring(world).due_on == date(2026, 12, 20)
    [next_year] = running(world, "monitoring_december")
    assert next_year.id != task.instance_id
    assert db_session.get(WorkflowInstance, task.instance_id).status == "cancelled"
    assert due_of(world, "monitoring_december") == date(2027, 12, 25)
    feed = [d.local_day for d in calendar_deadlines.deadlines(db_session, world.curator.id, now=world.clock.now())
            if d.kind == "report_date" and "-monitoring_december-" in d.uid]
    assert feed == [date(2027, 12, 25)]  # her calendar: this December filed, next year's on the new day
    world.advance_to(date(2026, 12, 26))
    assert monitoring_tasks(world) == []  # no second task for this December
    world.advance_to(date(2027, 5, 20))
    file_monitoring(world)
    world.advance_to(date(2027, 12, 10))
    assert monitoring_tasks(world) == []
    world.advance_to(date(2027, 12, 11))
    [task] = monitoring_tasks(world)
    assert task.due_at.date() == date(2027, 12, 25)
    assert db_session.scalar(select(func.count()).select_from(CalendarReport).where(
        CalendarReport.calendar_id == "monitoring_december")) == 1


def test_the_base_review_moves_too_and_back_to_the_pack_s_day(db_session):
    world, admin = school(db_session, datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    move(world, admin, base_review="01.10")
    assert due_of(world, "base_review") == date(2026, 10, 1)
    entries = {e.id: e for e in calendar_entries(world.organization)}
    assert entries["base_review"].label == "Сверка базы наставников и наставляемых (до 1 октября)"
    move(world, admin, base_review="")  # empty: the pack's day again
    assert world.organization.calendar_days is None and due_of(world, "base_review") == date(2026, 9, 15)
    assert len(running(world, "base_review")) == 1


def test_a_day_that_does_not_exist_is_refused_naming_the_field_and_the_entry(db_session):
    world, admin = school(db_session, datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    for days, field, said in (
            ({"monitoring_december": "31.02"}, "calendar_days.monitoring_december",
             "«Мониторинг и оценка результатов реализации системы наставничества (до 20 декабря)»: «31.02»: такой "
             "даты нет — в феврале 28 дней"),
            ({"base_review": "15/09"}, "calendar_days.base_review", "«15/09» — не дата вида «10.06»"),
            ({"monitoring_may": "20.12"}, "calendar_days.monitoring_may", "20.12 — уже срок «Мониторинг"),
            ({"monitoring_december": "20.05"}, "calendar_days.monitoring_december", "20.05 — уже срок «Мониторинг"),
            ({"stars": "01.01"}, "calendar_days", "в календаре нет срока «stars»"),
            ("25.12", "calendar_days", "ожидается объект")):
        with pytest.raises(OrganizationDataError) as refused:
            organizations.update_organization(db_session, admin, world.organization.id, {"calendar_days": days})
        db_session.rollback()
        [problem] = refused.value.problems
        assert problem.field == field and said in problem.message, days
        assert str(problem).startswith("«Сроки мониторинга и сверки базы»:")
    assert world.organization.calendar_days is None and due_of(world, "monitoring_december") == date(2026, 12, 20)


def test_only_the_organization_s_administrator_moves_a_day(db_session):
    world, _admin = school(db_session, datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    for person in (world.curator, world.head):
        with pytest.raises(PermissionDenied):
            organizations.update_organization(db_session, world.actor(person), world.organization.id,
                                              {"calendar_days": {"monitoring_december": "25.12"}})
        db_session.rollback()
    other = PackWorld(db_session, "tomsk", datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    stranger = load_actor(db_session, other.person("Орлова Вера Ильинична", "admin").login)
    db_session.commit()
    with pytest.raises(PermissionDenied):
        organizations.update_organization(db_session, stranger, world.organization.id,
                                          {"calendar_days": {"monitoring_december": "25.12"}})
    db_session.rollback()
    with pytest.raises(OrganizationDataError, match="не задаёт сроков мониторинга"):  # a pack with no such dates
        organizations.update_organization(db_session, stranger, other.organization.id,
                                          {"calendar_days": {"monitoring_december": "25.12"}})


def test_the_replacement_is_due_in_the_same_period_never_before_today():
    school_ = SimpleNamespace(regulation="school", calendar_days={"monitoring_december": "01-05"})
    [december] = [e for e in calendar_entries(school_) if e.id == "monitoring_december"]
    assert calendar.moved_due(december, date(2026, 12, 20), date(2026, 11, 1)) == date(2027, 1, 5)
    assert calendar.moved_due(december, date(2027, 12, 20), date(2026, 12, 21)) == date(2028, 1, 5)
    assert calendar.moved_due(december, date(2026, 1, 20), date(2026, 1, 10)) == date(2027, 1, 5)  # not in the past
