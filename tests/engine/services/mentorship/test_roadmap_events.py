"""Marking the roadmap's events as the work goes: the day each took place (not in the future, not before
the stage began), several at once, by the mentor or by the mentee, with comments — issue 10 «Events»."""
from __future__ import annotations

from datetime import date

import pytest

from engine.db.models import Program
from engine.demo.story import Demo
from engine.errors import ConflictError, NastavnikError, PermissionDenied
from engine.services.audit import history as history_service
from engine.services.mentorship import participant_work as work
from engine.services.mentorship import roadmap_events as events
from engine.services.mentorship.roadmap_events import EventMark

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def pair(demo: Demo) -> Program:
    demo.appoint("volkov")
    demo.register("novikova")
    return demo.form_pair("volkov", "novikova")


def stage_events(program: Program) -> list:
    return [e for e in program.events if e.stage_id == program.current_stage_id]


@BOTH
def test_the_mentor_marks_the_whole_stage_at_once_with_the_days_the_events_took_place(demo, db_session):
    program = pair(demo)  # started 15.01.2025, the diagnosis stage due 15.02.2025
    demo.advance(20)  # 04.02.2025
    first, second, third, fourth = stage_events(program)
    days = [date(2025, 1, 16), date(2025, 1, 20), date(2025, 1, 27), date(2025, 2, 3)]
    events.mark_events(db_session, demo.actor("volkov"), program.id,
                       [EventMark(e.id, True, day) for e, day in zip((first, second, third, fourth), days, strict=True)],
                       clock=demo.clock)
    db_session.commit()
    assert [(e.status, e.done_on) for e in (first, second, third, fourth)] == [("done", day) for day in days]
    assert {e.marked_by_id for e in (first, second, third, fourth)} == {demo.person_id("volkov")}
    report = work.submit_stage_report(db_session, demo.actor("volkov"), program.id, "Справка", clock=demo.clock)
    db_session.commit()
    assert report.status == "submitted" and first.done_on == date(2025, 1, 16)  # the report keeps the days


@BOTH
def test_a_day_in_the_future_before_the_stage_or_missing_is_refused_naming_the_event(demo, db_session):
    program = pair(demo)
    demo.advance(10)  # 25.01.2025
    first, second, third, _fourth = stage_events(program)
    volkov = demo.actor("volkov")
    with pytest.raises(NastavnikError) as refused:
        events.mark_events(db_session, volkov, program.id, [
            EventMark(first.id, True, date(2025, 1, 20)),
            EventMark(second.id, True, date(2025, 3, 1)),  # a 15-month program is not done in minutes
            EventMark(third.id, True, date(2025, 1, 10)),  # before the program started
        ], clock=demo.clock)
    message = refused.value.message
    assert f"мероприятие {second.number}: дата проведения 01.03.2025 ещё не наступила" in message.lower()
    assert f"мероприятие {third.number}: дата проведения 10.01.2025 раньше начала этапа (15.01.2025)" \
        in message.lower()
    assert message.startswith("Мероприятие") and str(first.number) + ":" not in message
    with pytest.raises(NastavnikError, match=f"{first.number}: укажите дату"):
        events.mark_event(db_session, volkov, program.id, first.id, done=True, clock=demo.clock)
    db_session.rollback()
    db_session.expire_all()
    assert [e.status for e in stage_events(program)] == ["planned"] * 4  # nothing saved


@BOTH
def test_the_mentee_marks_and_comments_and_the_history_names_who(demo, db_session):
    program = pair(demo)
    demo.advance(10)
    first, second, *_ = stage_events(program)
    novikova = demo.actor("novikova")
    events.mark_events(db_session, novikova, program.id, [
        EventMark(first.id, True, date(2025, 1, 22), comment="Анкету заполнила, результаты у наставника"),
        EventMark(second.id, False, comment="Предлагаю провести собеседование после 1 февраля"),
    ], clock=demo.clock)
    db_session.commit()
    assert (first.status, first.marked_by_id) == ("done", demo.person_id("novikova"))
    assert [(c.author_id, c.body) for c in second.comments] == [
        (demo.person_id("novikova"), "Предлагаю провести собеседование после 1 февраля")]
    told = history_service.history(db_session, program_ids=[program.id])
    lines = [(entry.text, entry.details) for entry in told if "ероприяти" in entry.text]
    assert (f"Мероприятие {first.number} отмечено проведённым 22.01.2025", None) in lines
    assert (f"Комментарий к мероприятию {second.number}", "Предлагаю провести собеседование после 1 февраля") \
        in lines
    assert any(entry.actor == "Новикова Мария Андреевна" for entry in told if "ероприяти" in entry.text)
    with pytest.raises(PermissionDenied):  # the report stays the mentor's
        work.submit_stage_report(db_session, novikova, program.id, "справка", clock=demo.clock)
    with pytest.raises(PermissionDenied):
        events.mark_events(db_session, demo.actor("curator"), program.id, [EventMark(first.id, False)],
                           clock=demo.clock)


@BOTH
def test_a_later_stage_begins_when_the_previous_one_was_reported(demo, db_session):
    program = pair(demo)
    demo.stage(program, "volkov")  # the diagnosis stage reported and approved
    demo.advance(3)
    db_session.refresh(program)
    assert program.current_stage_id == "consultation"
    begun = events.stage_started_on(program, "consultation")
    event = stage_events(program)[0]
    before = date.fromordinal(begun.toordinal() - 1)
    with pytest.raises(NastavnikError, match="раньше начала этапа"):
        events.mark_event(db_session, demo.actor("volkov"), program.id, event.id, done=True, held_on=before,
                          clock=demo.clock)
    events.mark_event(db_session, demo.actor("volkov"), program.id, event.id, done=True, held_on=begun,
                      clock=demo.clock)
    with pytest.raises(ConflictError, match="текущему этапу"):
        events.mark_event(db_session, demo.actor("volkov"), program.id, program.events[0].id, done=False,
                          clock=demo.clock)
