"""Petitions of a program's participants (003 §4.1 release of the mentor, §5.1 replacement of the mentor,
§7.1 (2) early completion at the participants' initiative, §7.2 extension; 001 §6.2 replacement of the mentor
when no personal contact with the mentor can be established), sent to the program's process through
``lifecycle.petition``: which ones a person may file now — only those the organization's regulation pack
lists (``petitions``: 003 four, 004 none, 001 one), with the pack's clause and grounds — and filing one (a
kind the pack does not list is refused naming the regulation; a petition of the same kind still being
considered, or a moment the process does not take it, is a ConflictError)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import AuditEntry, InstanceStatus, Person, Program, Role, WorkflowInstance
from engine.db.models.program import ProgramStatus
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.regulations import form_label, pack_of
from engine.services.mentorship import content_correction, lifecycle
from engine.services.people.actor import Actor
from engine.services.process import instances
from engine.services.process.definitions import elements_with
from engine.workflow import Clock
from engine.workflow.effects import PETITION_EFFECT

RUNNING = (ProgramStatus.ACTIVE.value, ProgramStatus.EXTENDED.value)
LANES = {Role.MENTOR, Role.MENTEE}
REASON_MAX = 4000

def pending_petitions(instance: WorkflowInstance) -> set[str]:
    """The petition kinds the process is considering now: one of its open steps carries the effect
    ``petition_<kind>`` (``engine.workflow.effects``)."""
    open_steps = {t.element_id for t in instance.open_tasks}
    if not open_steps:
        return set()
    return {name for name in lifecycle.PETITIONS
            if open_steps & elements_with(instance.definition, PETITION_EFFECT.format(name))}


@dataclass
class ExtensionRequest:
    """The extension being agreed (003 §7.2), as its petitioner filed it: what a participant consents to."""

    months: int | None  # 0: no more months, the content is corrected (003 §7.2)
    reason: str
    initiator: str  # Role.MENTOR | Role.MENTEE | Role.CURATOR
    petitioner: str | None  # the petitioner's name
    new_form: str | None = None  # the form of mentorship the program changes to, as its pack words it
    plan_changes: int = 0  # approved plan corrections the order will list


@dataclass
class PetitionRefusal:
    """A petition the curator refused, with the reason the petitioner is owed."""

    petition: str
    reason: str
    at: datetime
    by: str | None


def extension_request(session: Session, program: Program) -> ExtensionRequest | None:
    """The extension petition the program's process is considering now, if any."""
    instance = program.workflow_instance
    if instance is None or instance.status != InstanceStatus.RUNNING.value:
        return None
    if "extension" not in pending_petitions(instance):
        return None
    request = instances.snapshot(session, instance.id).data.get("extension")
    if not isinstance(request, dict):
        return None
    months = request.get("extension_months")
    petitioner = session.get(Person, request.get("petitioner_id")) if isinstance(request.get("petitioner_id"), int) else None
    new_form = request.get("new_form")
    return ExtensionRequest(months if isinstance(months, int) and not isinstance(months, bool) else None,
                            str(request.get("reason") or ""), str(request.get("initiator") or ""),
                            petitioner.full_name if petitioner is not None else None,
                            form_label(program.group.organization, new_form) if isinstance(new_form, str) else None,
                            content_correction.pending_plan_changes(session, program))


def refusals(session: Session, program: Program) -> list[PetitionRefusal]:
    """The petitions of the program the curator refused, newest first (``petition.refused`` in its history)."""
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.action == "petition.refused", AuditEntry.object_type == "programs",
        AuditEntry.object_id == str(program.id)).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    return [PetitionRefusal(str((e.details or {}).get("petition") or ""), str((e.details or {}).get("reason") or ""),
                            e.at, e.actor.full_name if e.actor is not None else None) for e in entries]


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
    pending: set[str] = set()
    instance = program.workflow_instance
    running = (program.status in RUNNING and instance is not None
               and instance.status == InstanceStatus.RUNNING.value)
    if running and instance is not None:
        waiting = set(instances.snapshot(session, instance.id).waiting_messages)
        pending = pending_petitions(instance)
    options = []
    for name in names:
        allowed = lifecycle.allowed_petition(program, name)
        # 003 §7.1 lists its grounds as dashes: the second one, «по инициативе наставника или наставляемого»
        clause = f"{allowed.clause} (2)" if name == "early_completion" and allowed.clause == "003 §7.1" else allowed.clause
        if running and name in pending:
            state = "pending"
        elif running and name in waiting:
            state = "available"
        else:
            state = "closed"
        options.append(PetitionOption(name, clause, state, allowed.decided_by, allowed.grounds))
    return options


PARTICIPANT_MONTHS = 12  # the most a participant asks for (the curator may petition for up to EXTENSION_MONTHS)


def _petition_payload(session: Session, actor: Actor, program: Program, name: str, reason: str, months: int | None,
                      new_form: str | None) -> dict:
    if name == "extension":  # months, or 0 with a content correction where the pack allows it (003 §7.2)
        try:
            asked = content_correction.check_request(session, program, months, new_form, most=PARTICIPANT_MONTHS)
        except NastavnikError as error:
            raise NastavnikError(error.message, where="months" if error.where == "extension_months"
                                 else error.where) from None
        return {"reason": reason, **asked.as_payload()}
    if name == "early_completion":
        return {"ground": "participants_initiative", "reason": reason}  # 003 §7.1 (2)
    if name == "mentor_release":
        return {"reason": reason, "mentor_id": actor.person_id}
    return {"reason": reason}


def file_petition(session: Session, actor: Actor, program_id: int, name: str, *, reason: str,
                  months: int | None = None, new_form: str | None = None,
                  clock: Clock | None = None) -> WorkflowInstance:
    """A participant's petition (``months``: the extension asked for, 1–12, or 0 correcting the content only —
    the approved plan corrections and/or ``new_form`` — where the pack allows it, 003 §7.2)."""
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
    payload = _petition_payload(session, actor, program, name, reason, months, new_form)
    if option.state == "pending":
        raise ConflictError("такое ходатайство уже подано и ещё рассматривается; дождитесь решения")
    if option.state == "closed":
        raise ConflictError("сейчас процесс программы не принимает это ходатайство: программа не выполняется "
                            "или уже рассматривается другое ходатайство")
    try:
        return lifecycle.petition(session, actor, program.id, name, payload, clock=clock)
    except NotFound as error:  # the process stopped waiting between the page and the click
        raise ConflictError(f"ходатайство не принято: {error.message}") from None


# -- the curator's own petitions (003 §7.1 third ground, §7.2) -------------------------------------

CURATOR_PETITIONS = ("early_completion", "extension")  # early completion: «по инициативе куратора»


def curator_options(session: Session, actor: Actor, program: Program) -> list[PetitionOption]:
    """What the curator of the program's organization may start herself, each with its state now: ending
    the program on her initiative (003 §7.1, third ground) and petitioning the head for an extension
    (003 §7.2); only what the organization's regulation lists."""
    if not actor.has_role(program.group.organization_id, Role.CURATOR):
        return []
    regulation = pack_of(program.group.organization)
    names = [name for name in CURATOR_PETITIONS if regulation.petition(name) is not None]
    instance = program.workflow_instance
    running = (program.status in RUNNING and instance is not None
               and instance.status == InstanceStatus.RUNNING.value)
    waiting: set[str] = set()
    pending: set[str] = set()
    if running and instance is not None:
        waiting = set(instances.snapshot(session, instance.id).waiting_messages)
        pending = pending_petitions(instance)
    options = []
    for name in names:
        state = ("pending" if running and name in pending
                 else "available" if running and name in waiting else "closed")
        clause = regulation.petition(name).clause  # type: ignore[union-attr]
        options.append(PetitionOption(name, clause, state, Role.CURATOR))
    return options


def file_curator_petition(session: Session, actor: Actor, program_id: int, name: str, *, reason: str,
                          months: int | None = None, new_form: str | None = None,
                          clock: Clock | None = None) -> WorkflowInstance:
    """The curator ends the program on her initiative (ground ``improper_execution``) or petitions the head
    for an extension of ``months``: both go to the head's order; for the extension both participants are
    asked first (003 §7.2 «по обоюдному согласию»), the curator is not asked again."""
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"нет программы №{program_id}")
    actor.require(program.group.organization_id, Role.CURATOR, action="ходатайство куратора по программе")
    if name not in CURATOR_PETITIONS:
        raise NotFound(f"нет такого действия куратора: «{name}»")
    lifecycle.allowed_petition(program, name)
    reason = (reason or "").strip()
    if not reason:
        raise NastavnikError("укажите обоснование: оно войдёт в приказ", where="reason")
    if len(reason) > REASON_MAX:
        raise NastavnikError(f"обоснование длиннее {REASON_MAX} символов", where="reason")
    payload: dict = ({"ground": "improper_execution", "reason": reason} if name == "early_completion"
                     else {"reason": reason,
                           **content_correction.check_request(session, program, months, new_form).as_payload()})
    state = next(o.state for o in curator_options(session, actor, program) if o.name == name)
    if state == "pending":
        raise ConflictError("такое ходатайство уже рассматривается; дождитесь решения")
    if state == "closed":
        raise ConflictError("сейчас процесс программы не принимает это ходатайство: программа не выполняется "
                            "или уже рассматривается другое ходатайство")
    try:
        return lifecycle.petition(session, actor, program.id, name, payload, clock=clock)
    except NotFound as error:
        raise ConflictError(f"ходатайство не принято: {error.message}") from None
