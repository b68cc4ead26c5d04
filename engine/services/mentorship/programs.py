"""A program's own records: roadmap events with due dates, stage reports and their review, due-date
shifts on extension (003 §7.2) and completion (003 §7.1). The lifecycle workflow drives these."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from engine import regulations
from engine.db.models import MentoringGroup, Program, RoadmapEventRecord, Role, StageReport, add_months, record_audit
from engine.db.models.program import PROGRAM_LIFECYCLE, CompletionGround, EventStatus, ProgramStatus, ReportStatus
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.regulations.roadmaps import Roadmap
from engine.services.people.actor import Actor

COMPLETION_STATUS = {
    CompletionGround.PLAN_COMPLETED: ProgramStatus.COMPLETED,
    CompletionGround.PARTICIPANTS_INITIATIVE: ProgramStatus.COMPLETED_EARLY,
    CompletionGround.IMPROPER_EXECUTION: ProgramStatus.TERMINATED,
}


def roadmap(roadmap_id: str) -> Roadmap:
    return regulations.roadmap(roadmap_id)


def stage_plan(roadmap_id: str) -> list[dict]:
    """The lifecycle workflow's ``stages`` start data: id, name and planned months of each stage."""
    return [{"id": stage.id, "name": stage.title, "planned_months": stage.planned_months}
            for stage in roadmap(roadmap_id).stages]


def create_program(session: Session, group: MentoringGroup, roadmap_id: str, started_on: date) -> Program:
    """A program with every roadmap event due at the end of its stage (stages run one after another)."""
    plan = roadmap(roadmap_id)
    program = Program(group=group, roadmap_id=roadmap_id, status=ProgramStatus.ACTIVE.value,
                      started_on=started_on, current_stage_id=plan.stages[0].id)
    stage_end = started_on
    seq = 0
    for stage in plan.stages:
        stage_end = add_months(stage_end, stage.planned_months or 0)
        for event in stage.events:
            seq += 1
            program.events.append(RoadmapEventRecord(
                stage_id=stage.id, seq=seq, number=event.number, name=event.name, due_on=stage_end,
                report_form=event.report_form or stage.report_form))
    program.planned_end_on = stage_end
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
        if event.status != EventStatus.DONE:
            event.status, event.done_on = EventStatus.DONE.value, on
    previous = [r for r in program.reports if r.stage_id == stage_id]
    if previous and previous[-1].status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        raise ConflictError(f"отчёт об этапе «{stage_id}» уже {'принят' if previous[-1].status == 'approved' else 'на проверке'}")
    stage = roadmap(program.roadmap_id).stage(stage_id)
    report = StageReport(program=program, stage_id=stage_id, form_name=stage.report_form or "Информационная справка",
                         body=report_body.strip(), submitted_by_id=actor.person_id,
                         submitted_at=datetime.now(UTC), status=ReportStatus.SUBMITTED.value,
                         attempt=len(previous) + 1)
    session.add(report)
    session.flush()
    record_audit(session, "stage_report.submitted", actor=actor.person_id, obj=program,
                 details={"stage_id": stage_id, "attempt": report.attempt, "events_done": list(events_done)})
    return report


def review_stage_report(session: Session, actor: Actor, program: Program, stage_id: str, *, approved: bool,
                        comment: str | None) -> StageReport:
    """The curator approves the stage report or returns it with a required comment."""
    actor.require(program.group.organization_id, Role.CURATOR, action="проверка отчёта об этапе")
    submitted = [r for r in program.reports if r.stage_id == stage_id and r.status == ReportStatus.SUBMITTED]
    if not submitted:
        raise NotFound(f"нет отчёта об этапе «{stage_id}», ожидающего проверки")
    if not approved and not (comment and comment.strip()):
        raise NastavnikError("при возврате отчёта нужен комментарий: что исправить", where="comment")
    report = submitted[-1]
    report.status = (ReportStatus.APPROVED if approved else ReportStatus.RETURNED).value
    report.reviewer_id, report.reviewed_at = actor.person_id, datetime.now(UTC)
    report.review_comment = (comment or "").strip() or None
    if approved:
        stages = [stage.id for stage in roadmap(program.roadmap_id).stages]
        index = stages.index(stage_id)
        program.current_stage_id = stages[index + 1] if index + 1 < len(stages) else stage_id
    session.flush()
    record_audit(session, "stage_report." + report.status, actor=actor.person_id, obj=program,
                 details={"stage_id": stage_id, "attempt": report.attempt, "comment": report.review_comment})
    return report


def shift_due_dates(session: Session, program: Program, months: int, *, from_stage_id: str) -> None:
    """Extension (003 §7.2): the current stage's and later events' due dates move by ``months``."""
    if months <= 0:
        raise NastavnikError("срок продления — положительное число месяцев", where="extension_months")
    stages = [stage.id for stage in roadmap(program.roadmap_id).stages]
    moving = set(stages[stages.index(from_stage_id):])
    for event in program.events:
        if event.stage_id in moving and event.status == EventStatus.PLANNED and event.due_on:
            event.due_on = add_months(event.due_on, months)
    if program.planned_end_on:
        program.planned_end_on = add_months(program.planned_end_on, months)
    program.status = ProgramStatus.EXTENDED.value
    session.flush()
    record_audit(session, "program.extended", obj=program,
                 details={"months": months, "from_stage_id": from_stage_id})


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
