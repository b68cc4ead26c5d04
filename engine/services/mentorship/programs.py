"""A program's own records: roadmap events with due dates, stage reports and their review, due-date
shifts on extension (003 §7.2) and completion (003 §7.1). The lifecycle workflow drives these."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Integer, Select, String, bindparam, func, select
from sqlalchemy.orm import Session

from engine import regulations
from engine.db.models import MentoringGroup, Program, RoadmapEventRecord, Role, StageReport, record_audit
from engine.db.models.program import PROGRAM_LIFECYCLE, CompletionGround, EventStatus, ProgramStatus, ReportStatus
from engine.domain_time import scheduled_stages, term_last_day
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.regulations.pack import RegulationPack
from engine.regulations.roadmaps import Roadmap, events_done_text
from engine.services.mentorship import program_notices
from engine.services.people.actor import Actor

COMPLETION_STATUS = {
    CompletionGround.PLAN_COMPLETED: ProgramStatus.COMPLETED,
    CompletionGround.PARTICIPANTS_INITIATIVE: ProgramStatus.COMPLETED_EARLY,
    CompletionGround.IMPROPER_EXECUTION: ProgramStatus.TERMINATED,
}


def roadmap(roadmap_id: str) -> Roadmap:
    return regulations.roadmap(roadmap_id)


def stage_plan(roadmap_id: str) -> list[dict]:
    """Id, name and planned months of each stage of the roadmap."""
    return [{"id": stage.id, "name": stage.title, "planned_months": stage.planned_months}
            for stage in roadmap(roadmap_id).stages]


def schedule(roadmap_id: str, started_on: date) -> list[dict]:
    """The lifecycle workflow's ``stages`` start data: the stage plan with each stage's due date counted from
    the program's start (``engine.domain_time.scheduled_stages``) — the process's timers and the database's
    due dates are the same dates."""
    return scheduled_stages(started_on.isoformat(), stage_plan(roadmap_id))


def planned_end(regulation: RegulationPack, roadmap_id: str, started_on: date, *, extra_months: int = 0) -> date:
    """The program's planned last day: the pack's program term (003 §1.2.6: 24 months; the stage plan fits
    inside it), else the stage plan's months; an extension (003 §7.2) adds its months."""
    ends_on = regulation.program_ends_on(started_on, extra_months=extra_months)
    if ends_on is not None:
        return ends_on
    months = sum(stage["planned_months"] or 0 for stage in stage_plan(roadmap_id))
    return term_last_day(started_on, months + extra_months)


def create_program(session: Session, group: MentoringGroup, roadmap_id: str, started_on: date) -> Program:
    """A program with every roadmap event due at the end of its stage (stages run one after another, due dates
    counted from the start: ``schedule``) and its planned end (``planned_end``)."""
    plan = roadmap(roadmap_id)
    ends_on = planned_end(regulations.pack_of(group.organization), roadmap_id, started_on)
    program = Program(group=group, roadmap_id=roadmap_id, status=ProgramStatus.ACTIVE.value,
                      started_on=started_on, planned_end_on=ends_on, current_stage_id=plan.stages[0].id)
    dues = {item["id"]: date.fromisoformat(item["due_at"]) for item in schedule(roadmap_id, started_on)}
    seq = 0
    for stage in plan.stages:
        for event in stage.events:
            seq += 1
            program.events.append(RoadmapEventRecord(
                stage_id=stage.id, seq=seq, number=event.number, name=event.name, due_on=dues[stage.id],
                report_form=event.report_form or stage.report_form))
    session.add(program)
    session.flush()
    record_audit(session, "program.created", obj=program, organization=group.organization_id,
                 details={"roadmap_id": roadmap_id, "started_on": started_on.isoformat()})
    return program


def _participant(actor: Actor, program: Program) -> None:
    if actor.person_id not in program.group.participant_ids():
        raise PermissionDenied("отмечать мероприятия и сдавать отчёт могут только наставник и наставляемые программы")


def record_stage_work(session: Session, actor: Actor, program: Program, stage_id: str,
                      events_done: list[str], report_body: str, *, on: date) -> StageReport:
    """Marks the stage's events done and submits the stage report (a new attempt after a return)."""
    _participant(actor, program)
    if program.status not in (ProgramStatus.ACTIVE, ProgramStatus.EXTENDED):
        raise ConflictError(f"программа №{program.id} не выполняется: она {PROGRAM_LIFECYCLE.label(program.status)}")
    stage_events = {event.number: event for event in program.events if event.stage_id == stage_id}
    if not stage_events:
        raise NotFound(f"в программе №{program.id} нет такого этапа ({stage_id})")
    unknown = [number for number in events_done if number not in stage_events]
    if unknown:
        raise NastavnikError(f"мероприятия {', '.join(unknown)} не относятся к этапу «{roadmap(program.roadmap_id).stage(stage_id).title}»",
                             where="events_done")
    if not report_body or not report_body.strip():
        raise NastavnikError("отчёт об этапе не может быть пустым", where="report")
    for number in events_done:
        event = stage_events[number]
        if event.status != EventStatus.DONE:  # listed in the report and not marked before: held by the report's day
            event.status, event.done_on, event.marked_by_id = EventStatus.DONE.value, on, actor.person_id
    previous = [r for r in program.reports if r.stage_id == stage_id]
    if previous and previous[-1].status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        raise ConflictError(f"отчёт об этапе «{stage_id}» уже {'принят' if previous[-1].status == 'approved' else 'на проверке'}")
    stage = roadmap(program.roadmap_id).stage(stage_id)
    if previous and previous[-1].status == ReportStatus.DRAFT:  # its review was withdrawn: submitted again
        if actor.person_id is None:
            raise PermissionDenied("отчёт об этапе сдаёт наставник программы")
        report = previous[-1]
        report.body, report.submitted_by_id = report_body.strip(), actor.person_id
        report.submitted_at, report.status = datetime.now(UTC), ReportStatus.SUBMITTED.value
    else:
        report = StageReport(program=program, stage_id=stage_id, form_name=stage.report_name,
                             body=report_body.strip(), submitted_by_id=actor.person_id,
                             submitted_at=datetime.now(UTC), status=ReportStatus.SUBMITTED.value,
                             attempt=len(previous) + 1)
        session.add(report)
    session.flush()
    record_audit(session, "stage_report.submitted", actor=actor.person_id, obj=program,
                 details={"stage_id": stage_id, "attempt": report.attempt, "events_done": list(events_done)})
    return report


def roadmap_progress(program: Program, stage_id: str | None = None) -> tuple[int, int]:
    """(events done, events in all) of the program's roadmap, or of one stage of it."""
    events = [e for e in program.events if stage_id is None or e.stage_id == stage_id]
    return sum(e.status == EventStatus.DONE for e in events), len(events)


def _waiting_report_statement() -> Select:
    program_id, stage_id = bindparam("program_id", type_=Integer), bindparam("stage_id", type_=String)
    events = select(func.count()).where(RoadmapEventRecord.program_id == program_id,
                                        RoadmapEventRecord.stage_id == stage_id)
    done = events.where(RoadmapEventRecord.status == EventStatus.DONE.value).scalar_subquery()
    return (select(StageReport, done, events.scalar_subquery())
            .where(StageReport.program_id == program_id, StageReport.stage_id == stage_id,
                   StageReport.status == ReportStatus.SUBMITTED.value)
            .order_by(StageReport.attempt.desc()).limit(1))


_WAITING_REPORT = _waiting_report_statement()  # built once: the step only fills in its program and stage


def _waiting_report(session: Session, program: Program, stage_id: str) -> tuple[StageReport, int, int] | None:
    """The stage's report waiting for review (its last attempt) and the stage's events (done, in all) — one
    statement, whatever the program's history (the reports of earlier attempts and stages are not read)."""
    row = session.execute(_WAITING_REPORT, {"program_id": program.id, "stage_id": stage_id}).first()
    return (row[0], int(row[1]), int(row[2])) if row is not None else None


def review_stage_report(session: Session, actor: Actor, program: Program, stage_id: str, *, approved: bool,
                        comment: str | None, at: datetime | None = None) -> StageReport:
    """The curator approves the stage report or returns it with a required comment; a stage whose events are
    not all done is accepted only with the reason in the comment (recorded with the counts). ``at``: the step's
    moment on the engine's clock (the mentor's period report lists the stages approved in its period)."""
    actor.require(program.group.organization_id, Role.CURATOR, action="проверка отчёта об этапе")
    waiting = _waiting_report(session, program, stage_id)
    if waiting is None:
        raise NotFound(f"нет отчёта об этапе «{stage_id}», ожидающего проверки")
    report, done, total = waiting
    if not approved and not (comment and comment.strip()):
        raise NastavnikError("при возврате отчёта нужен комментарий: что исправить", where="comment")
    incomplete = approved and done < total
    if incomplete and not (comment and comment.strip()):
        raise NastavnikError(f"этап выполнен не полностью ({events_done_text(done, total)}): чтобы принять отчёт, "
                             "укажите в комментарии, почему этап принимается без остальных мероприятий",
                             where="comment")
    report.status = (ReportStatus.APPROVED if approved else ReportStatus.RETURNED).value
    report.reviewer_id, report.reviewed_at = actor.person_id, at or datetime.now(UTC)
    report.review_comment = (comment or "").strip() or None
    if approved:
        stages = [stage.id for stage in roadmap(program.roadmap_id).stages]
        index = stages.index(stage_id)
        program.current_stage_id = stages[index + 1] if index + 1 < len(stages) else stage_id
    session.flush()
    details: dict = {"stage_id": stage_id, "attempt": report.attempt, "comment": report.review_comment}
    if approved:
        details.update(events_done=done, events_total=total, incomplete=incomplete)
    record_audit(session, "stage_report." + report.status, actor=actor.person_id, obj=program, details=details)
    program_notices.report_reviewed(session, program, report)
    return report


def withdraw_review(session: Session, program: Program, stage_id: str, *, why: str) -> StageReport | None:
    """The process withdrew the curator's review of the stage report unfinished (a petition stopped the stage,
    003 §4.1, §7.1, §7.2): the report, never reviewed, is a draft again — the mentor's to submit when the stage
    resumes, its events his to correct. None when no report of the stage waits for review."""
    submitted = [r for r in program.reports if r.stage_id == stage_id and r.status == ReportStatus.SUBMITTED]
    if not submitted:
        return None
    report = submitted[-1]
    report.status = ReportStatus.DRAFT.value
    session.flush()
    record_audit(session, "stage_report.withdrawn", obj=program,
                 details={"stage_id": stage_id, "attempt": report.attempt, "why": why})
    return report


def reopen_stage(session: Session, actor: Actor, program: Program, stage_id: str, reason: str) -> StageReport:
    """The curator sends the accepted last stage back to the mentor instead of a completion order (after the
    head refused it, 003 §7.1): the accepted report is returned with the reason, the stage's work goes on."""
    actor.require(program.group.organization_id, Role.CURATOR, action="возврат этапа на доработку")
    reason = (reason or "").strip()
    if not reason:
        raise NastavnikError("напишите, что доработать на последнем этапе", where="reopen_reason")
    approved = [r for r in program.reports if r.stage_id == stage_id and r.status == ReportStatus.APPROVED]
    if not approved:
        raise ConflictError(f"отчёт об этапе «{stage_id}» не принят: возвращать нечего")
    report = approved[-1]
    report.status = ReportStatus.RETURNED.value
    report.review_comment = "; ".join(filter(None, [report.review_comment, f"этап возвращён куратором: {reason}"]))
    report.reviewer_id, report.reviewed_at = actor.person_id, datetime.now(UTC)
    session.flush()
    record_audit(session, "stage_report.reopened", actor=actor.person_id, obj=program,
                 details={"stage_id": stage_id, "attempt": report.attempt, "comment": reason})
    return report


def moved_schedule(program: Program, months: int, *, from_stage_id: str,
                   stages: list[dict] | None = None) -> tuple[list[dict], date]:
    """An extension by ``months`` from the stage ``from_stage_id`` on (003 §7.2): the stages with their moved due
    dates and the moved planned end, both counted from the program's start (``engine.domain_time``) — the
    extension order states them, ``shift_due_dates`` records them, the lifecycle process's «move the due dates»
    step makes the same ``scheduled_stages`` call on the same ``stages`` (its data before the move; default:
    the schedule as created)."""
    if isinstance(months, bool) or not isinstance(months, int) or months <= 0:
        raise NastavnikError("срок продления — целое положительное число месяцев", where="extension_months")
    if program.started_on is None:
        raise ConflictError(f"у программы №{program.id} нет даты начала")
    current = stages if stages is not None else schedule(program.roadmap_id, program.started_on)
    ids = [stage["id"] for stage in current]
    if from_stage_id not in ids:
        raise NotFound(f"в программе №{program.id} нет этапа «{from_stage_id}»")
    moved = scheduled_stages(program.started_on.isoformat(), current, from_index=ids.index(from_stage_id),
                             extra_months=months)
    extra = moved[-1]["months_from_start"] - sum(int(stage.get("planned_months") or 0) for stage in moved)
    return moved, planned_end(regulations.pack_of(program.group.organization), program.roadmap_id,
                              program.started_on, extra_months=extra)


def shift_due_dates(session: Session, program: Program, months: int, *, from_stage_id: str,
                    stages: list[dict] | None = None) -> list[dict]:
    """Extension (003 §7.2): the current and later stages' due dates and the planned end move
    (``moved_schedule``). Returns the moved stages."""
    moved, ends_on = moved_schedule(program, months, from_stage_id=from_stage_id, stages=stages)
    ids = [stage["id"] for stage in moved]
    dues = {stage["id"]: date.fromisoformat(stage["due_at"]) for stage in moved[ids.index(from_stage_id):]}
    ends = {stage_id: max((e.due_on for e in program.events if e.stage_id == stage_id and e.due_on), default=None)
            for stage_id in dues}
    for event in program.events:
        if event.stage_id in dues:  # an event a plan correction dated earlier in its stage keeps its distance
            end = ends[event.stage_id]
            event.due_on = (dues[event.stage_id] - (end - event.due_on) if end and event.due_on
                            else dues[event.stage_id])
    program.planned_end_on = ends_on
    program.status = ProgramStatus.EXTENDED.value
    session.flush()
    record_audit(session, "program.extended", obj=program,
                 details={"months": months, "from_stage_id": from_stage_id,
                          "due_dates": {stage_id: due.isoformat() for stage_id, due in dues.items()},
                          "planned_end_on": ends_on.isoformat()})
    return moved


def finish_program(session: Session, program: Program, ground: str, *, on: date, note: str | None = None) -> None:
    try:
        ground_value = CompletionGround(ground)
    except ValueError as error:
        allowed = ", ".join(g.value for g in CompletionGround)
        raise NastavnikError(f"неизвестное основание завершения «{ground}»; допустимы: {allowed} (003 §7.1)",
                             where="ground") from error
    program.status = COMPLETION_STATUS[ground_value].value
    program.completion_ground, program.completed_on, program.completion_note = ground_value.value, on, note
    session.flush()
    record_audit(session, "program.finished", obj=program,
                 details={"ground": ground_value.value, "clause": ground_value.clause})
