"""What a program's participants and curators are told, in the transaction of the step (issue 13):

    stage_due_soon    the stage's reminder appeared (effect ``stage_reminder``): to the mentor, with the due date
    stage_overdue     the escalation appeared (effect ``stage_escalation``): to the mentor and the curator(s)
    consent_requested a consent task appeared (any process): to whoever gives it
    report_returned / report_accepted   ``report_reviewed`` (called by ``programs.review_stage_report``)
    petition_decided  the decider completed a petition's decision, or the curator refused an extension petition

These tasks are not told again as «новая задача» (``TOLD_TASKS``), nor the stage's work given back with a returned
report (``TASK_SKIPS``); a participant's other tasks of a program are done
on its page «Мои программы» (``TASK_LINKS``). Each notice has a ``key``: a step retried tells nobody twice.
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from engine import regulations
from engine.db.models import Program, Role, StageReport, WorkflowInstance
from engine.db.models.program import ReportStatus
from engine.errors import NotFound
from engine.forms import FormId
from engine.regulations.pack import PETITION_KINDS
from engine.services.mentorship.basics import program_with_people
from engine.services.notifications import kinds
from engine.services.notifications.outbox import notify, notify_many
from engine.services.process.hooks import Step, StepHook
from engine.services.process.task_notifications import recipients, task_due_on, task_key
from engine.workflow import UserTaskView

_STAGE_PREFIX = re.compile(r"^\s*\d+\s*\.?\s*этап\s*[.:]?\s*", re.IGNORECASE)
REMINDER, ESCALATION = "stage_reminder", "stage_escalation"  # the effects the tasks carry (engine.workflow.effects)
# petition kind -> the process variable its message payload is stored in (program_lifecycle.bpmn, «Messages»)
PETITION_PAYLOAD_KEYS = {"mentor_replacement": "replacement", "mentor_release": "release",
                         "early_completion": "early_completion", "extension": "extension"}


def program_link(program: Program) -> str:
    """The participant's page of the program: its current stage, its report and the curator's comment."""
    return f"/my/programs/{program.id}"


def _program(session: Session, instance: WorkflowInstance) -> Program | None:
    subject = instance.subject if isinstance(instance.subject, dict) else {}
    program_id = subject.get("program_id")
    return program_with_people(session, program_id) if isinstance(program_id, int) else None


def program_title(program: Program) -> str:
    """«программа № 7 (Петров Пётр)»: the program and its mentee(s), as the participants know it."""
    mentees = ", ".join(m.person.full_name for m in program.group.members if m.left_on is None and m.person)
    return f"программа № {program.id} ({mentees})" if mentees else f"программа № {program.id}"


def stage_title(program: Program, stage_id: str | None) -> str:
    try:
        stages = {stage.id: stage for stage in regulations.roadmap(program.roadmap_id).stages}
    except NotFound:
        stages = {}
    stage = stages.get(stage_id or "")
    if stage is None:
        return "этап"
    title = _STAGE_PREFIX.sub("", stage.title).strip() or stage.title  # «1 ЭТАП. ОРГАНИЗАЦИОННЫЙ» → «Организационный»
    if title.isupper():
        title = title.capitalize()
    return f"этап {stage.number} «{title}»"


def _due_text(due: date | None) -> str:
    return f" Срок этапа — {due:%d.%m.%Y}." if due is not None else ""


def _stage_due_soon(step: Step, program: Program, view: UserTaskView) -> None:
    mentor = program.group.current_mentor_id
    if mentor is None:
        return
    due = task_due_on(step.instance, view)
    stage = stage_title(program, program.current_stage_id)
    notify(step.session, mentor, kinds.STAGE_DUE_SOON, f"Скоро срок: {stage}, {program_title(program)}",
           body=f"Приближается срок отчёта: {stage}, {program_title(program)}.{_due_text(due)} "
                "Отметьте проведённые мероприятия и отправьте отчёт куратору.",
           link=program_link(program), organization_id=step.instance.organization_id, instance_id=step.instance.id,
           due_on=due, key=f"{task_key(step.instance, view)}:{mentor}")


def _stage_overdue(step: Step, program: Program, view: UserTaskView) -> None:
    due = task_due_on(step.instance, view)
    stage = stage_title(program, program.current_stage_id)
    title = f"Срок прошёл: {stage}, {program_title(program)}"
    same = {"organization_id": step.instance.organization_id, "instance_id": step.instance.id, "due_on": due}
    mentor = program.group.current_mentor_id
    if mentor is not None:
        notify(step.session, mentor, kinds.STAGE_OVERDUE, title, link=program_link(program),
               body=f"Отчёт не принят в срок: {stage}, {program_title(program)}.{_due_text(due)} "
                    "Куратор примет меры; отправьте отчёт как можно скорее.",
               key=f"{task_key(step.instance, view)}:{mentor}", **same)  # type: ignore[arg-type]
    curators = [p for p in recipients(step.session, step.instance, view) if p != mentor]
    notify_many(step.session, curators, kinds.STAGE_OVERDUE, title, link=f"/tasks/{step.instance.id}/{view.task_id}",
                body=f"Отчёт наставника не принят в срок: {stage}, {program_title(program)}.{_due_text(due)} "
                     "Примите меры.", key=task_key(step.instance, view), **same)


def _consent_requested(step: Step, view: UserTaskView) -> None:
    name = view.element_name or view.element_id
    notify_many(step.session, recipients(step.session, step.instance, view), kinds.CONSENT_REQUESTED,
                f"Нужно ваше согласие: «{name}»", body=f"Дайте согласие или откажитесь с указанием причины: «{name}».",
                link=f"/my/consents/{step.instance.id}/{view.task_id}", organization_id=step.instance.organization_id,
                instance_id=step.instance.id, key=task_key(step.instance, view))


def petition_decided(session: Session, program: Program, instance: WorkflowInstance, petition: str, payload: dict,
                     *, approved: bool, reason: str, key: str) -> None:
    """Tell the petitioner (``payload["petitioner_id"]``) the decision on ``petition`` and its reason."""
    petitioner = payload.get("petitioner_id")
    if not isinstance(petitioner, int) or isinstance(petitioner, bool):
        return
    label = PETITION_KINDS.get(petition, petition)
    title = (f"Ходатайство удовлетворено: «{label}»" if approved
             else f"В удовлетворении ходатайства отказано: «{label}»")
    body = f"Ходатайство «{label}», {program_title(program)}: " + ("удовлетворено." if approved else "отказано.")
    if reason.strip():
        body += f" {'Комментарий' if approved else 'Причина'}: {reason.strip()}"
    link = f"/programs/{program.id}" if payload.get("initiator") == Role.CURATOR else program_link(program)
    notify(session, petitioner, kinds.PETITION_DECIDED, title, body=body, link=link,
           organization_id=instance.organization_id, instance_id=instance.id, key=f"{key}:{petitioner}")


def _petition_decision(step: Step, program: Program) -> None:
    done = step.completed
    if done is None or done.form != FormId.DECIDE_PETITION or not done.petition:
        return
    payload = done.data.get(PETITION_PAYLOAD_KEYS.get(done.petition, done.petition))
    petition_decided(step.session, program, step.instance, done.petition, payload if isinstance(payload, dict) else {},
                     approved=done.data.get("approved") is True, reason=str(done.data.get("comment") or ""),
                     key=f"petition:{task_key(step.instance, done)}")


def tell(step: Step) -> None:
    """After every step: the stage's reminder and escalation, the consents it asks, the petition it decided."""
    program = _program(step.session, step.instance)
    for view in step.opened:
        if view.form == FormId.GIVE_CONSENT:
            _consent_requested(step, view)
        elif program is not None and REMINDER in view.effects:
            _stage_due_soon(step, program, view)
        elif program is not None and ESCALATION in view.effects:
            _stage_overdue(step, program, view)
    if program is not None:
        _petition_decision(step, program)


def report_reviewed(session: Session, program: Program, report: StageReport) -> None:
    """The curator accepted the stage report or returned it with her comment: the mentor is told."""
    mentor = program.group.current_mentor_id
    if mentor is None:
        return
    stage = stage_title(program, report.stage_id)
    comment = (report.review_comment or "").strip()
    if report.status == ReportStatus.RETURNED.value:
        kind, title = kinds.REPORT_RETURNED, f"Отчёт возвращён на доработку: {stage}, {program_title(program)}"
        body = f"Комментарий куратора: {comment}\nИсправьте отчёт и отправьте его снова."
    else:
        kind, title = kinds.REPORT_ACCEPTED, f"Отчёт принят: {stage}, {program_title(program)}"
        body = "Куратор принял отчёт." + (f" Комментарий: {comment}" if comment else "")
    notify(session, mentor, kind, title, body=body, link=program_link(program),
           organization_id=program.group.organization_id, instance_id=program.workflow_instance_id,
           key=f"stage_report:{report.id}:{report.status}:{mentor}")


def participant_link(instance: WorkflowInstance, view: UserTaskView) -> str | None:
    """A participant's task in a program is done on the program's page (a consent on its own page)."""
    subject = instance.subject if isinstance(instance.subject, dict) else {}
    program_id = subject.get("program_id")
    if view.role in (Role.MENTOR, Role.MENTEE) and isinstance(program_id, int) and view.form != FormId.GIVE_CONSENT:
        return f"/my/programs/{program_id}"
    if view.form == FormId.GIVE_CONSENT:
        return f"/my/consents/{instance.id}/{view.task_id}"
    return None


def returned_stage(step: Step, view: UserTaskView) -> bool:
    """The stage's work given back with a returned report: «report returned» (with the comment) tells of it."""
    done = step.completed
    return (view.form == FormId.STAGE_WORK and done is not None and done.form == FormId.REVIEW_STAGE_REPORT
            and done.data.get("approved") is not True)


# -- what the domain collects (engine.bootstrap) ---------------------------------------------------
HOOKS: dict[str, StepHook] = {}
ORDER_KINDS: dict = {}
EVERY_STEP: tuple[StepHook, ...] = (tell,)
TOLD_TASKS = frozenset({REMINDER, ESCALATION, FormId.GIVE_CONSENT})
TASK_LINKS = (participant_link,)
TASK_SKIPS = (returned_stage,)
