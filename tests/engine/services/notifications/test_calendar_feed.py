"""A person subscribes their calendar to the secret address of their deadlines: what is theirs is in it on the
organization's local dates, nothing of other people; the address is stored only as a hash and stops working
when revoked or reissued (engine.services.notifications.calendar_feed)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import select

from engine.db.models import AuditEntry, CalendarFeed, CalendarReport, RoadmapEventRecord, StageReport
from engine.errors import NotFound, PermissionDenied
from engine.services.notifications import calendar_feed as feeds
from engine.services.people.actor import SYSTEM, load_actor
from tests import factories as f

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
TOMSK = {"time_zone": "Asia/Tomsk"}


def _text(ics: bytes) -> str:
    return ics.decode("utf-8").replace("\r\n ", "")  # long lines unfolded (RFC 5545 §3.1)


def _events(ics: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(ics)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _school_world(session):
    """A school in Tomsk (the «school» pack: monitoring by 20 May) with a pair whose program runs, its curator
    and head, and a stranger's pair in the same school."""
    school = f.make_organization(session, regulation="school", document_settings=TOMSK)
    mentor = f.make_person(session, full_name="Волков Андрей Сергеевич", organization=school)
    mentee = f.make_person(session, full_name="Орлова Дарья Игоревна", organization=school)
    curator = f.make_person(session, full_name="Смирнова Елена Викторовна", organization=school)
    head = f.make_person(session, full_name="Петров Иван Ильич", organization=school)
    for person, role in ((mentor, "mentor"), (mentee, "mentee"), (curator, "curator"), (head, "head")):
        f.make_role(session, person, school, role)
    group = f.make_group(session, mentor=mentor, mentees=[mentee], organization=school)
    program = f.make_program(session, group=group, current_stage_id="diagnosis")
    for seq, (stage, number, due) in enumerate((("diagnosis", "1.1", date(2024, 11, 30)),
                                                ("consultation", "2.1", date(2025, 2, 28)),
                                                ("activity", "3.1", date(2025, 8, 31)))):
        session.add(RoadmapEventRecord(program=program, stage_id=stage, seq=seq, number=number,
                                       name=f"Мероприятие {number}", due_on=due))
    session.add(StageReport(program=program, stage_id="diagnosis", form_name="Отчёт", submitted_by_id=mentor.id,
                            submitted_at=NOW, status="approved", reviewer_id=curator.id, reviewed_at=NOW))
    stranger = f.make_person(session, full_name="Чужой Наставник Петрович", organization=school)
    other_group = f.make_group(session, mentor=stranger, organization=school)
    other = f.make_program(session, group=other_group)
    session.add(RoadmapEventRecord(program=other, stage_id="diagnosis", seq=1, number="1.1", name="Чужое",
                                   due_on=date(2025, 4, 15)))
    session.flush()
    return school, mentor, mentee, curator, head, program, stranger, other


def test_the_mentor_subscribes_and_sees_only_their_deadlines_on_tomsk_dates(db_session):
    school, mentor, mentee, curator, head, program, stranger, _other = _school_world(db_session)
    instance = f.make_instance(db_session, organization=school)
    # a late-evening UTC moment: 20:00 UTC on 1 March is 03:00 on 2 March in Tomsk
    f.make_open_task(db_session, instance=instance, role="mentor", assignee_id=mentor.id, name="Ответить куратору",
                     due_at=datetime(2025, 3, 1, 20, 0, tzinfo=UTC))
    f.make_open_task(db_session, instance=instance, role="mentor", assignee_id=stranger.id,
                     name="Чужая задача", due_at=datetime(2025, 3, 5, tzinfo=UTC))
    f.make_open_task(db_session, instance=instance, role="curator", name="Без срока")
    f.make_appointment(db_session, person=mentor, organization=school, starts_on=date(2024, 9, 1),
                       ends_on=date(2026, 8, 31))
    db_session.commit()

    path = feeds.issue_feed(db_session, load_actor(db_session, mentor.login), now=NOW)
    db_session.commit()
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    ics = feeds.feed_for_token(db_session, token, NOW, base_url="https://nastavnik.example.ru/")
    calendar = Calendar.from_ical(ics)
    assert calendar.calendar_name == "Наставник — сроки (Волков Андрей Сергеевич)"
    text = _text(ics)
    assert "X-WR-CALNAME:Наставник — сроки (Волков Андрей Сергеевич)" in text
    assert "X-WR-TIMEZONE:Asia/Tomsk" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text and "X-PUBLISHED-TTL:PT1H" in text
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tomsk"]

    events = _events(ics)
    assert set(events) == {f"stage-{program.id}-consultation@nastavnik", f"stage-{program.id}-activity@nastavnik",
                           f"task-{instance.id}-{_task_id(db_session, 'Ответить куратору')}@nastavnik",
                           f"mentor-term-{_appointment_id(db_session, mentor.id)}@nastavnik"}
    stage = events[f"stage-{program.id}-consultation@nastavnik"]
    assert stage["DTSTART"].dt == date(2025, 2, 28) and stage["DTEND"].dt == date(2025, 3, 1)
    assert "Орлова Дарья Игоревна" in str(stage["DESCRIPTION"])
    assert str(stage["URL"]) == f"https://nastavnik.example.ru/my/programs/{program.id}"
    task = next(event for uid, event in events.items() if uid.startswith("task-"))
    assert task["DTSTART"].dt.date() == date(2025, 3, 2) and task["DTSTART"].dt.hour == 3
    assert "DTSTART;TZID=Asia/Tomsk:20250302T030000" in text
    assert "Чуж" not in text and "Смирнова" not in text and "Петров" not in text

    assert set(_events(feeds.feed_for_token(db_session, token, NOW))) == set(events)  # stable between fetches


def test_curator_head_and_mentee_each_get_their_part(db_session):
    school, mentor, mentee, curator, head, program, stranger, other = _school_world(db_session)
    draft = f.make_order(db_session, organization=school, subject="О формировании наставнических пар")
    draft.submit_for_signature()
    f.make_order(db_session, organization=school, subject="Ещё проект")  # a draft: not awaiting anyone
    db_session.add(CalendarReport(organization_id=school.id, kind="monitoring", calendar_id="monitoring_may",
                                  clause="001 §2.4", due_on=date(2025, 5, 20), filed_on=date(2025, 2, 20),
                                  filed_by_id=curator.id, body={}))
    db_session.commit()

    curator_items = {item.uid: item for item in feeds.deadlines(db_session, curator.id, now=NOW)}
    assert f"stage-{other.id}-diagnosis@nastavnik" in curator_items  # every pair of her school
    assert curator_items[f"stage-{program.id}-consultation@nastavnik"].link == f"/programs/{program.id}"
    reports = {item.uid: item.day for item in curator_items.values() if item.kind == "report_date"}
    assert reports == {f"report-{school.id}-monitoring_december-2025-12-20@nastavnik": date(2025, 12, 20),
                       f"report-{school.id}-monitoring_may-2026-05-20@nastavnik": date(2026, 5, 20),  # filed early
                       f"report-{school.id}-base_review-2025-09-15@nastavnik": date(2025, 9, 15)}

    head_items = feeds.deadlines(db_session, head.id, now=NOW)
    assert [(item.kind, item.link, item.day) for item in head_items] == [
        ("order", f"/orders/{draft.id}", date(2025, 3, 1))]

    mentee_items = feeds.deadlines(db_session, mentee.id, now=NOW)
    assert {item.uid for item in mentee_items} == {f"stage-{program.id}-consultation@nastavnik",
                                                   f"stage-{program.id}-activity@nastavnik"}
    assert "Волков Андрей Сергеевич" in mentee_items[0].description


def test_only_a_hash_is_stored_and_a_revoked_or_reissued_address_is_gone(db_session):
    person = f.make_person(db_session)
    db_session.commit()
    actor = load_actor(db_session, person.login)
    first = feeds.issue_feed(db_session, actor, now=NOW)
    db_session.commit()
    token = first.removeprefix("/calendar/").removesuffix(".ics")
    row = db_session.scalar(select(CalendarFeed))
    assert row.token_sha256 == feeds.token_sha256(token) and token not in repr(vars(row))
    assert feeds.feed_state(db_session, actor).issued
    feeds.feed_for_token(db_session, token, NOW)  # an empty calendar is still a calendar
    assert db_session.scalar(select(CalendarFeed.last_fetched_at)) is not None

    second = feeds.issue_feed(db_session, actor, now=NOW)
    db_session.commit()
    with pytest.raises(NotFound) as old:
        feeds.feed_for_token(db_session, token, NOW)
    new_token = second.removeprefix("/calendar/").removesuffix(".ics")
    assert Calendar.from_ical(feeds.feed_for_token(db_session, new_token, NOW))

    assert feeds.revoke_feed(db_session, actor, now=NOW) is True
    assert feeds.revoke_feed(db_session, actor, now=NOW) is False
    db_session.commit()
    with pytest.raises(NotFound) as revoked:
        feeds.feed_for_token(db_session, new_token, NOW)
    with pytest.raises(NotFound) as unknown:
        feeds.feed_for_token(db_session, "nsc_" + "x" * 43, NOW)
    assert str(old.value) == str(revoked.value) == str(unknown.value)  # the same answer for all
    assert not feeds.feed_state(db_session, actor).issued
    actions = list(db_session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("calendar_feed.%"))
                                      .order_by(AuditEntry.id)))
    assert actions == ["calendar_feed.issued", "calendar_feed.issued", "calendar_feed.revoked"]


def test_a_deactivated_persons_address_stops_and_the_system_has_no_calendar(db_session):
    person = f.make_person(db_session)
    db_session.commit()
    token = feeds.issue_feed(db_session, load_actor(db_session, person.login)).split("/")[-1].removesuffix(".ics")
    person.is_active = False
    db_session.commit()
    with pytest.raises(NotFound):
        feeds.feed_for_token(db_session, token, NOW)
    with pytest.raises(PermissionDenied):
        feeds.issue_feed(db_session, SYSTEM)


def _task_id(session, name: str) -> str:
    from engine.db.models import OpenTask
    return session.scalar(select(OpenTask.task_id).where(OpenTask.name == name))


def _appointment_id(session, person_id: int) -> int:
    from engine.db.models import MentorAppointment
    return session.scalar(select(MentorAppointment.id).where(MentorAppointment.person_id == person_id))
