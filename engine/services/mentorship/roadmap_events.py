"""The roadmap's events marked by the program's participants as the work goes (a draft the stage report
then carries): the day each event took place, several events at once, by the mentor or by the mentee —
001 §6 and 003 §5.1 give the mentee the right to take part in the plan and to propose changes to it — and
comments each participant adds, kept with the author and the time.

The day an event took place is the participant's statement and is checked against what the program
knows: not after today (in the organization's time zone), not before the stage began. A stage begins on
the program's start (the first stage) or, for a later stage, on its planned start (the previous stage's due
date), or earlier when the previous stage was done early: on the day the last of its events was held, or
the day its report was first submitted, whichever is earliest — the next stage's work may start as soon as
the previous stage's work is done.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from engine.db.models import Program, RoadmapEventComment, RoadmapEventRecord, record_audit
from engine.db.models.program import EventStatus, ReportStatus
from engine.documents import settings_for
from engine.errors import ConflictError, NastavnikError, NotFound
from engine.services.mentorship import programs
from engine.services.mentorship.participant_views import RUNNING, my_program
from engine.services.people.actor import Actor
from engine.workflow import Clock, SystemClock

NOTE_MAX = 4000


@dataclass(frozen=True)
class EventMark:
    """What a participant says of one event: held (on ``held_on``) or not (yet); ``note`` replaces the
    event's note unless None; ``comment`` is added as the participant's comment unless empty."""

    event_id: int
    done: bool
    held_on: date | None = None
    note: str | None = None
    comment: str | None = None


def _ru(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def today_for(program: Program, clock: Clock | None = None) -> date:
    """Today where the program's organization is (the day a participant may state at the latest)."""
    return (clock or SystemClock()).now().astimezone(settings_for(program.group.organization).zone).date()


def stage_started_on(program: Program, stage_id: str) -> date | None:
    """The first day an event of ``stage_id`` may have taken place (see the module's docstring)."""
    stages = [stage.id for stage in programs.roadmap(program.roadmap_id).stages]
    index = stages.index(stage_id) if stage_id in stages else 0
    if index == 0:
        return program.started_on
    previous = stages[index - 1]
    candidates = [max((e.due_on for e in program.events if e.stage_id == previous and e.due_on), default=None),
                  max((e.done_on for e in program.events if e.stage_id == previous and e.done_on), default=None)]
    candidates += [report.submitted_at.astimezone(settings_for(program.group.organization).zone).date()
                   for report in program.reports if report.stage_id == previous and report.submitted_at]
    known = [day for day in candidates if day is not None]
    return min(known) if known else program.started_on


def editable_program(session: Session, actor: Actor, program_id: int) -> Program:
    """One of the actor's running programs whose current stage may still be changed (else 403/404/409)."""
    program, _role = my_program(session, actor, program_id)
    if program.status not in RUNNING:
        raise ConflictError(f"программа №{program.id} не выполняется; изменения не приняты")
    reports = [r for r in program.reports if r.stage_id == program.current_stage_id]
    if reports and reports[-1].status == ReportStatus.SUBMITTED:
        raise ConflictError("отчёт об этапе на проверке у куратора: мероприятия этапа изменить нельзя, "
                            "пока куратор не примет или не вернёт отчёт")
    if reports and reports[-1].status == ReportStatus.APPROVED:
        raise ConflictError("отчёт об этапе уже принят; мероприятия этапа не меняются")
    return program


def current_event(session: Session, actor: Actor, program_id: int, event_id: int) -> tuple[Program, RoadmapEventRecord]:
    """An event of the current stage that the actor (mentor or mentee) may change now (else 403/404/409)."""
    program = editable_program(session, actor, program_id)
    return program, _event_of(session, program, event_id)


def _event_of(session: Session, program: Program, event_id: int) -> RoadmapEventRecord:
    event = session.get(RoadmapEventRecord, event_id)
    if event is None or event.program_id != program.id:
        raise NotFound(f"в программе №{program.id} нет мероприятия №{event_id}")
    if event.stage_id != program.current_stage_id:
        raise ConflictError(f"мероприятие {event.number} не относится к текущему этапу; отмечаются только "
                            "мероприятия текущего этапа")
    return event


def _problems(program: Program, event: RoadmapEventRecord, mark: EventMark, today: date) -> list[str]:
    problems = []
    name = f"мероприятие {event.number}"
    if mark.done and event.status != EventStatus.DONE or mark.done and mark.held_on is not None:
        started = stage_started_on(program, event.stage_id)
        if mark.held_on is None:
            problems.append(f"{name}: укажите дату, когда оно проведено")
        elif mark.held_on > today:
            problems.append(f"{name}: дата проведения {_ru(mark.held_on)} ещё не наступила "
                            f"(сегодня {_ru(today)})")
        elif started is not None and mark.held_on < started:
            problems.append(f"{name}: дата проведения {_ru(mark.held_on)} раньше начала этапа ({_ru(started)})")
    for label, text in (("заметка", mark.note), ("комментарий", mark.comment)):
        if text is not None and len(text.strip()) > NOTE_MAX:
            problems.append(f"{name}: {label} длиннее {NOTE_MAX} символов")
    return problems


def mark_events(session: Session, actor: Actor, program_id: int, marks: Sequence[EventMark], *,
                clock: Clock | None = None) -> list[RoadmapEventRecord]:
    """The mentor or a mentee marks events of the current stage in one go; nothing is saved unless every
    mark is right (the error names each event that is not)."""
    program = editable_program(session, actor, program_id)
    if not marks:
        raise NastavnikError("не отмечено ни одного мероприятия", where="events")
    today = today_for(program, clock)
    pairs = [(_event_of(session, program, mark.event_id), mark) for mark in marks]
    if len({event.id for event, _mark in pairs}) != len(pairs):
        raise NastavnikError("одно мероприятие указано дважды", where="events")
    problems = [problem for event, mark in pairs for problem in _problems(program, event, mark, today)]
    if problems:
        text = "; ".join(problems)
        raise NastavnikError(text[0].upper() + text[1:], where=f"event-{pairs[0][0].id}")
    for event, mark in pairs:
        _apply(session, actor, program, event, mark)
    session.flush()
    return [event for event, _mark in pairs]


def mark_event(session: Session, actor: Actor, program_id: int, event_id: int, *, done: bool,
               held_on: date | None = None, note: str | None = None,
               clock: Clock | None = None) -> RoadmapEventRecord:
    """One event (the event's own form with its note and files)."""
    [event] = mark_events(session, actor, program_id, [EventMark(event_id, done, held_on, note)], clock=clock)
    return event


def _apply(session: Session, actor: Actor, program: Program, event: RoadmapEventRecord, mark: EventMark) -> None:
    change = None
    if mark.done and (event.status != EventStatus.DONE or mark.held_on not in (None, event.done_on)):
        event.status, event.done_on, event.marked_by_id = EventStatus.DONE.value, mark.held_on, actor.person_id
        change = "done"
    elif not mark.done and event.status == EventStatus.DONE:
        event.status, event.done_on, event.marked_by_id = EventStatus.PLANNED.value, None, actor.person_id
        change = "undone"
    if mark.note is not None and (mark.note.strip() or None) != event.note:
        event.note = mark.note.strip() or None
        change = change or "note"
    if change:
        record_audit(session, "roadmap_event.marked", actor=actor.person_id, obj=program,
                     organization=program.group.organization_id,
                     details={"event": event.number, "status": event.status, "note": event.note, "change": change,
                              "done_on": event.done_on.isoformat() if event.done_on else None})
    comment = (mark.comment or "").strip()
    if comment:
        event.comments.append(RoadmapEventComment(author_id=actor.person_id, body=comment))
        record_audit(session, "roadmap_event.commented", actor=actor.person_id, obj=program,
                     organization=program.group.organization_id,
                     details={"event": event.number, "comment": comment})
