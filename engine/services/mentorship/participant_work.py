"""What a mentor or a mentee does in their own programs: the stage report submitted through the workflow
(a new attempt after the curator returned it; the events it carries are marked in ``roadmap_events``), the
small workflow steps (reminder, agreeing to an extension, consent to a pair). What they see is in
``participant_views``; petitions are in ``petitions``."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    Consent,
    ConsentKind,
    OpenTask,
    Program,
    Role,
    StageReport,
    WorkflowInstance,
)
from engine.db.models.program import EventStatus
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.services.mentorship import roadmap_events
from engine.services.mentorship.participant_views import consent_group, my_program, my_tasks
from engine.services.people.actor import Actor
from engine.services.process import instances
from engine.workflow import Clock

PERSONAL_DATA_CONSENT = (
    "В соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных» даю согласие "
    "оператору — организации, реализующей программу наставничества, — на обработку моих персональных данных "
    "(фамилия, имя, отчество; должность и место работы; сведения об участии в программе наставничества, "
    "отчёты и приложенные материалы) в целях организации и сопровождения программы наставничества, "
    "включая сбор, запись, хранение, уточнение, использование и передачу куратору и руководителю. "
    "Согласие действует на срок реализации программы и может быть отозвано письменным заявлением.")


# -- the current stage: events as a draft, then the report --------------------------------------------

def _require_editable(session: Session, actor: Actor, program_id: int) -> Program:
    program, role = my_program(session, actor, program_id)
    if role != Role.MENTOR:
        raise PermissionDenied("отчёт об этапе сдаёт наставник программы")
    return roadmap_events.editable_program(session, actor, program_id)


def submit_stage_report(session: Session, actor: Actor, program_id: int, report: str, *,
                        expected_version: int | None = None, clock: Clock | None = None) -> StageReport:
    """Completes the mentor's ``stage_work`` step with the events marked done and the report text."""
    program = _require_editable(session, actor, program_id)
    task = next((t for t in my_tasks(session, actor)
                 if t.instance_id == program.workflow_instance_id and t.form_id == FormId.STAGE_WORK), None)
    if task is None:
        raise ConflictError("сейчас процесс не ждёт отчёта об этапе (например, идёт согласование продления); "
                            "отметки мероприятий сохранены")
    if not (report or "").strip():
        raise NastavnikError("напишите текст отчёта об этапе", where="report")
    events_done = [e.number for e in program.events
                   if e.stage_id == program.current_stage_id and e.status == EventStatus.DONE]
    stage_id = program.current_stage_id
    instances.complete_task(session, actor, task.instance_id, task.task_id,
                            {"events_done": events_done, "report": report.strip()},
                            expected_version=expected_version, clock=clock)
    return session.scalars(select(StageReport).where(StageReport.program_id == program.id,
                                                     StageReport.stage_id == stage_id)
                           .order_by(StageReport.attempt.desc()).limit(1)).one()


# -- small steps: reminder, extension agreement, consent ----------------------------------------------

def my_task(session: Session, actor: Actor, instance_id: int, task_id: str, form: str) -> OpenTask:
    """One of the actor's open steps with the given form (a page can complete only what it shows)."""
    task = next((t for t in my_tasks(session, actor)
                 if t.instance_id == instance_id and t.task_id == task_id), None)
    if task is None:
        raise NotFound("этот шаг уже выполнен или вам не назначен")
    if task.form_id != form:
        raise PermissionDenied(f"шаг «{task.name}» выполняется другой формой")
    return task


def acknowledge_reminder(session: Session, actor: Actor, instance_id: int, task_id: str, comment: str | None, *,
                         clock: Clock | None = None) -> WorkflowInstance:
    my_task(session, actor, instance_id, task_id, FormId.ACKNOWLEDGE_REMINDER)
    return instances.complete_task(session, actor, instance_id, task_id, {"comment": (comment or "").strip()},
                                   clock=clock)


def agree_extension(session: Session, actor: Actor, instance_id: int, task_id: str, *, agreed: bool,
                    comment: str | None, clock: Clock | None = None) -> WorkflowInstance:
    """The mentor's or mentee's answer to an extension petition (mutual consent, 003 §7.2)."""
    my_task(session, actor, instance_id, task_id, FormId.AGREE_EXTENSION)
    comment = (comment or "").strip()
    if not agreed and not comment:
        raise NastavnikError("укажите, почему вы не согласны с продлением", where="comment")
    return instances.complete_task(session, actor, instance_id, task_id, {"agreed": agreed, "comment": comment},
                                   clock=clock)


def give_consent(session: Session, actor: Actor, instance_id: int, task_id: str, *, consent: bool,
                 personal_data: bool, comment: str | None, clock: Clock | None = None) -> WorkflowInstance:
    """Consent to take part in a pair/group (003 §6.2); agreeing also records the personal data
    consent (152-ФЗ), which is required to take part."""
    task = my_task(session, actor, instance_id, task_id, FormId.GIVE_CONSENT)
    comment = (comment or "").strip()
    if consent and not personal_data:
        raise NastavnikError("без согласия на обработку персональных данных (152-ФЗ) участие в программе "
                             "невозможно: отметьте его или откажитесь от участия", where="personal_data")
    if not consent and not comment:
        raise NastavnikError("укажите причину отказа", where="comment")
    group = consent_group(session, task.instance)
    group_id = group.id if group is not None else None
    instance = instances.complete_task(session, actor, instance_id, task_id,
                                       {"consent": consent, "comment": comment}, clock=clock)
    if consent:
        session.add(Consent(person_id=actor.person_id, group_id=group_id, kind=ConsentKind.PERSONAL_DATA.value,
                            text=PERSONAL_DATA_CONSENT))
        session.flush()
    return instance
