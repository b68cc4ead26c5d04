"""The orders of a program's course on its workflow (003 §7, appendices 1–4): completion with its ground
(§7.1), extension (§7.2), mentor replacement (§5.1) and release (§4.1) — what each order states and what its
signature does."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    Consent,
    MentorAppointment,
    Order,
    Program,
    Role,
    WorkflowInstance,
    is_appointed,
    record_audit,
)
from engine.db.models.mentorship import AppointmentStatus, ConsentKind, MenteeStatus
from engine.db.models.program import CompletionGround
from engine.errors import ConflictError, NastavnikError
from engine.regulations import form_label
from engine.services.mentorship import bonus, content_correction, lifecycle, plan_order_rows, programs
from engine.services.mentorship.records import grant_role
from engine.services.orders import in_workflows as process_orders
from engine.services.orders.in_workflows import OrderKind
from engine.services.people.actor import Actor
from engine.services.process.hooks import StepHook

# 003 §7.1, first ground, verbatim: the completion order states it only when every roadmap event is done
PLAN_COMPLETED_QUOTE = ("завершения плана мероприятий персонализированной программы наставничества в полном "
                        "объеме (в течение 24 месяцев)")


def _planned_end_on(program: Program) -> date:
    """The program's planned end (set when it is created, moved by an extension)."""
    if program.planned_end_on is None:
        raise ConflictError(f"у программы №{program.id} нет планового срока окончания")
    return program.planned_end_on


# -- orders --------------------------------------------------------------------------------------

def _ground(data: dict) -> str:
    early = data.get("early_completion") or {}
    return data.get("completion_ground") or early.get("ground") or "plan_completed"


def _early_reason(data: dict) -> str | None:
    """Why the program ends early (003 §7.1 second and third grounds): the petitioner's words, which the
    completion order states and the program keeps as its completion note. None for the first ground (a reason
    left from an earlier, refused early completion is not this order's)."""
    if _ground(data) == CompletionGround.PLAN_COMPLETED:
        return None
    return str((data.get("early_completion") or {}).get("reason") or "").strip() or None


def _completion_data(session: Session, instance: WorkflowInstance, data: dict) -> dict:
    program = lifecycle.program_of(session, instance)
    ground = _ground(data)
    done, total = programs.roadmap_progress(program)
    if ground == CompletionGround.PLAN_COMPLETED and done < total:
        raise NastavnikError(
            f"план мероприятий выполнен не в полном объёме ({programs.events_done_text(done, total)}): основание "
            f"«{PLAN_COMPLETED_QUOTE}» (003 §7.1) неприменимо. Выберите другое основание или верните программу "
            "к последнему этапу", where="completion_ground")
    early = _early_reason(data)
    return {"program": program.id, "ground": ground, "completed_on": process_orders.step_day(instance).isoformat(),
            **({"note": early} if early else {})}


def _complete(session: Session, instance: WorkflowInstance, data: dict, order: Order, actor: Actor) -> None:
    program = lifecycle.program_of(session, instance)
    note = _early_reason(data) or data.get("final_report")
    programs.finish_program(session, program, _ground(data), on=process_orders.step_day(instance), note=note)
    if not isinstance(data.get("bonus_decision"), dict):  # ended without the bonus rule task: decide here
        bonus.recompute(session, actor, program, final=True)
    for member in program.group.members:
        if member.mentee is not None:
            member.mentee.status = MenteeStatus.COMPLETED.value


def _extension_months(data: dict) -> int:
    """The months the order adds: 0 for a content-only correction (003 §7.2 «или корректировка ее содержания»)."""
    months = data.get("extension_months")
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise NastavnikError("срок продления — целое неотрицательное число месяцев", where="extension_months")
    return months


def _new_form(data: dict) -> str | None:
    """The form of mentorship the petition changes the program to (its ``extension`` message), if any."""
    found = data.get("extension")
    value = found.get("new_form") if isinstance(found, dict) else None
    return value if isinstance(value, str) and value else None


def _extension_data(session: Session, instance: WorkflowInstance, data: dict) -> dict:
    program = lifecycle.program_of(session, instance)
    asked = content_correction.check_request(session, program, _extension_months(data), _new_form(data))
    rows = plan_order_rows.order_rows(session, program)  # 003 §7.2: the corrected plan, event by event
    out: dict = {"program": program.id, **({"plan_changes": rows} if rows else {}),
                 "basis": str(data.get("justification") or "ходатайство куратора")}
    if asked.months:
        _planned_end_on(program)
        _, new_end_on = programs.moved_schedule(program, asked.months, from_stage_id=lifecycle.current_stage(program),
                                                stages=data.get("stages"))
        out.update({"new_end_on": new_end_on.isoformat(),
                    "changes": f"срок реализации программы продлён на {asked.months} мес."})
    if asked.new_form:  # as the organization's pack words the forms (002 §4.1.5, 003 §2.4)
        out["new_form"] = form_label(program.group.organization, asked.new_form)
    return out


def _extend(session: Session, instance: WorkflowInstance, data: dict, order: Order, actor: Actor) -> None:
    program = lifecycle.program_of(session, instance)
    months, new_form = _extension_months(data), _new_form(data)
    if months:
        programs.shift_due_dates(session, program, months, from_stage_id=lifecycle.current_stage(program),
                                 stages=data.get("stages"))
    if new_form and new_form != program.group.form:
        record_audit(session, "program.form_changed", actor=actor.person_id, obj=program,
                     organization=program.group.organization_id,
                     details={"was": program.group.form, "becomes": new_form, "order": order.id,
                              "was_label": form_label(program.group.organization, program.group.form),
                              "becomes_label": form_label(program.group.organization, new_form)})
        program.group.form = new_form
    plan_order_rows.mark_ordered(session, program, order)


def _replacement_data(session: Session, instance: WorkflowInstance, data: dict) -> dict:
    program = lifecycle.program_of(session, instance)
    new_mentor = data.get("new_mentor_id")
    if not isinstance(new_mentor, int) or isinstance(new_mentor, bool):
        raise NastavnikError("укажите нового наставника", where="new_mentor_id")
    if not is_appointed(session, new_mentor, process_orders.step_day(instance),
                        organization_id=instance.organization_id):
        raise NastavnikError("новым наставником может быть только назначенный приказом наставник (003 §3.4)",
                             where="new_mentor_id")
    if not _consented(session, program, new_mentor):
        raise NastavnikError("нет письменного согласия нового наставника (003 §3.2, §6.2)", where="new_mentor_id")
    on = process_orders.step_day(instance).isoformat()
    released = program.group.mentor_released_on
    if released is not None:  # after the release order (003 §4.1): the curator proposes the new mentor (003 §3.3)
        return {"program": program.id, "new_mentor": new_mentor, "on": on, "petition_by": "curator",
                "released_on": released.isoformat(), "reason": str(data.get("comment") or "")}
    request = data.get("replacement") or {}
    return {"program": program.id, "new_mentor": new_mentor, "on": on,
            "reason": str(request.get("reason") or "ходатайство")}


def _consented(session: Session, program: Program, person_id: int) -> bool:
    return session.scalar(select(Consent.id).where(
        Consent.person_id == person_id, Consent.group_id == program.group_id,
        Consent.kind == ConsentKind.PARTICIPATION.value, Consent.withdrawn_at.is_(None)).limit(1)) is not None


def _replace(session: Session, instance: WorkflowInstance, data: dict, order: Order, actor: Actor) -> None:
    program = lifecycle.program_of(session, instance)
    program.group.mentor_id, program.group.mentor_released_on = data["new_mentor_id"], None
    grant_role(session, data["new_mentor_id"], program.group.organization_id, Role.MENTOR)
    subject = dict(instance.subject or {})
    subject["assignees"] = {**subject.get("assignees", {}), Role.MENTOR: data["new_mentor_id"]}
    instance.subject = subject
    for task in instance.open_tasks:  # work already waiting for the old mentor passes to the new one
        if task.role == Role.MENTOR:
            task.assignee_id = data["new_mentor_id"]


def _release_reason(data: dict) -> str:
    """The mentor's reason for leaving (003 §4.1), one reading for the order and the appointment record."""
    return str((data.get("release") or {}).get("reason") or "по просьбе наставника")


def _release_data(session: Session, instance: WorkflowInstance, data: dict) -> dict:
    program = lifecycle.program_of(session, instance)
    return {"mentor": program.group.mentor_id, "released_on": process_orders.step_day(instance).isoformat(),
            "reason": _release_reason(data), "mentees": [m.person_id for m in program.group.members]}


def _release(session: Session, instance: WorkflowInstance, data: dict, order: Order, actor: Actor) -> None:
    program = lifecycle.program_of(session, instance)
    for appointment in session.scalars(select(MentorAppointment).where(
            MentorAppointment.person_id == program.group.mentor_id,
            MentorAppointment.organization_id == program.group.organization_id,
            MentorAppointment.status == AppointmentStatus.ACTIVE.value)):
        appointment.status = AppointmentStatus.RELEASED.value
        appointment.released_on = process_orders.step_day(instance)
        appointment.release_reason = _release_reason(data)
    program.group.mentor_released_on = process_orders.step_day(instance)  # the program waits for a new mentor


# -- what the workflow names (collected by engine.bootstrap) ---------------------------------------

HOOKS: dict[str, StepHook] = {}  # the steps of the program's process: ``lifecycle``
ORDER_KINDS: dict[str, OrderKind] = {
    "completion": OrderKind(_completion_data, _complete),
    "extension": OrderKind(_extension_data, _extend),
    "mentor_replacement": OrderKind(_replacement_data, _replace),
    "mentor_release": OrderKind(_release_data, _release),
}
