"""Petitions of a program's participants (003 §4.1 release of the mentor, §5.1 replacement of the mentor,
§7.1 (2) early completion at the participants' initiative, §7.2 extension; 001 §6.2 replacement of the mentor
when no personal contact with the mentor can be established), sent to the program's process through
``lifecycle.petition``: which ones a person may file now — only those the organization's regulation pack
lists (``petitions``: 003 four, 004 none, 001 one), with the pack's clause and grounds — and filing one (a
kind the pack does not list is refused naming the regulation; a petition of the same kind still being
considered, or a moment the process does not take it, is a ConflictError)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.db.models import InstanceStatus, Program, Role, WorkflowInstance
from engine.db.models.program import ProgramStatus
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.regulations import pack_of
from engine.services.mentorship import lifecycle
from engine.services.people.actor import Actor
from engine.services.process import instances
from engine.workflow import Clock

RUNNING = (ProgramStatus.ACTIVE.value, ProgramStatus.EXTENDED.value)
LANES = {Role.MENTOR, Role.MENTEE}
REASON_MAX = 4000

# a petition is "pending" while one of these steps of it is open (the shipped program_lifecycle.bpmn)
PENDING_STEPS = {
    "early_completion": {"Task_decide_early_completion", "Task_sign_early_order"},
    "extension": {"Task_agree_extension_mentor", "Task_agree_extension_mentee", "Task_petition_extension",
                  "Task_sign_extension_order"},
    "mentor_replacement": {"Task_decide_replacement", "Task_sign_replacement_order"},
    "mentor_release": {"Task_decide_release", "Task_sign_release_order"},
}


@dataclass
class PetitionOption:
    name: str
    clause: str
    state: str  # "available" | "pending" (one like it is being considered) | "closed" (not now)
    decided_by: str = Role.CURATOR  # who decides it (the pack's petitions[].decided_by)
    grounds: str | None = None  # the regulation's words for when it may be filed (001 §6.2)


def petition_options(session: Session, actor: Actor, program: Program) -> list[PetitionOption]:
    """The petitions the actor may file in this program (by their role in it), each with its state now."""
    roles = lifecycle.roles_in_program(actor, program) & LANES
    regulation = pack_of(program.group.organization)
    names = [name for name, (allowed, _clause) in lifecycle.PETITIONS.items()
             if roles & allowed and regulation.petition(name) is not None]
    if not names:
        return []
    waiting: set[str] = set()
    open_steps: set[str] = set()
    instance = program.workflow_instance
    running = (program.status in RUNNING and instance is not None
               and instance.status == InstanceStatus.RUNNING.value)
    if running and instance is not None:
        waiting = set(instances.snapshot(session, instance.id).waiting_messages)
        open_steps = {t.element_id for t in instance.open_tasks}
    options = []
    for name in names:
        allowed = lifecycle.allowed_petition(program, name)
        # 003 §7.1 lists its grounds as dashes: the second one, «по инициативе наставника или наставляемого»
        clause = f"{allowed.clause} (2)" if name == "early_completion" and allowed.clause == "003 §7.1" else allowed.clause
        if running and open_steps & PENDING_STEPS.get(name, set()):
            state = "pending"
        elif running and name in waiting:
            state = "available"
        else:
            state = "closed"
        options.append(PetitionOption(name, clause, state, allowed.decided_by, allowed.grounds))
    return options


def _petition_payload(actor: Actor, name: str, reason: str, months: int | None) -> dict:
    if name == "extension":
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 12:
            raise NastavnikError("срок продления — целое число месяцев от 1 до 12", where="months")
        return {"reason": reason, "extension_months": months}
    if name == "early_completion":
        return {"ground": "participants_initiative", "reason": reason}  # 003 §7.1 (2)
    if name == "mentor_release":
        return {"reason": reason, "mentor_id": actor.person_id}
    return {"reason": reason}


def file_petition(session: Session, actor: Actor, program_id: int, name: str, *, reason: str,
                  months: int | None = None, clock: Clock | None = None) -> WorkflowInstance:
    """A participant's petition (``months``: the extension asked for, 1–12)."""
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"нет программы №{program_id}")
    if not lifecycle.roles_in_program(actor, program) & LANES:
        raise PermissionDenied(f"{actor.full_name or actor.login}: вы не участник программы №{program_id}")
    if name not in lifecycle.PETITIONS:
        raise NotFound(f"нет ходатайства «{name}»")
    lifecycle.allowed_petition(program, name)  # a kind the organization's regulation does not list is refused
    option = next((o for o in petition_options(session, actor, program) if o.name == name), None)
    if option is None:
        raise PermissionDenied(f"{actor.full_name or actor.login}: это ходатайство в программе №{program.id} "
                               f"подаёт другой участник ({lifecycle.allowed_petition(program, name).clause})")
    reason = (reason or "").strip()
    if not reason:
        raise NastavnikError("укажите обоснование ходатайства", where="reason")
    if len(reason) > REASON_MAX:
        raise NastavnikError(f"обоснование длиннее {REASON_MAX} символов", where="reason")
    payload = _petition_payload(actor, name, reason, months)
    if option.state == "pending":
        raise ConflictError("такое ходатайство уже подано и ещё рассматривается; дождитесь решения")
    if option.state == "closed":
        raise ConflictError("сейчас процесс программы не принимает это ходатайство: программа не выполняется "
                            "или уже рассматривается другое ходатайство")
    try:
        return lifecycle.petition(session, actor, program.id, name, payload, clock=clock)
    except NotFound as error:  # the process stopped waiting between the page and the click
        raise ConflictError(f"ходатайство не принято: {error.message}") from None
