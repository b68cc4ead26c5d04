"""Who may do what with a correction of a program's plan (003 §4.2, §5.1, §7.2), and finding the corrections.

The mentor or a mentee composes and proposes (``require_participant``), the curator of the program's organization
approves or returns (``require_curator``); every other participant agrees, and ``waiting_for`` says whose
agreement a proposed correction still waits for (003 §7.2 «по обоюдному согласию наставника и наставляемого»).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import CorrectionStatus, PlanCorrection, Program, Role
from engine.errors import ConflictError, NotFound, PermissionDenied
from engine.services.mentorship import lifecycle
from engine.services.mentorship.participant_views import RUNNING
from engine.services.people.actor import Actor

OPEN = (CorrectionStatus.DRAFT.value, CorrectionStatus.PROPOSED.value, CorrectionStatus.AGREED.value,
        CorrectionStatus.RETURNED.value)


def _program(session: Session, program_id: int) -> Program:
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"нет программы №{program_id}")
    return program


def participant_role(actor: Actor, program: Program) -> str | None:
    """«mentor» or «mentee» for a participant of the program (the curator's role does not count), else None."""
    roles = lifecycle.roles_in_program(actor, program)
    return Role.MENTOR if Role.MENTOR in roles else Role.MENTEE if Role.MENTEE in roles else None


def require_participant(session: Session, actor: Actor, program_id: int) -> tuple[Program, str]:
    program = _program(session, program_id)
    role = participant_role(actor, program)
    if role is None:
        raise PermissionDenied(f"{actor.full_name or actor.login}: корректировку плана программы №{program.id} "
                               "предлагают только её наставник и наставляемые (003 §4.2, §5.1)")
    if program.status not in RUNNING:
        raise ConflictError(f"программа №{program.id} не выполняется; её план не корректируется")
    return program, role


def is_curator(actor: Actor, program: Program) -> bool:
    return actor.has_role(program.group.organization_id, Role.CURATOR)


def require_curator(session: Session, actor: Actor, program_id: int) -> Program:
    """The program, if ``actor`` is the curator of its organization (who approves or returns a correction)."""
    program = _program(session, program_id)
    if not is_curator(actor, program):
        raise PermissionDenied(f"{actor.full_name or actor.login}: корректировку плана утверждает куратор "
                               "организации программы")
    return program


def corrections(session: Session, program: Program) -> list[PlanCorrection]:
    """Every correction of the program, newest first."""
    return list(session.scalars(select(PlanCorrection).where(PlanCorrection.program_id == program.id)
                                .order_by(PlanCorrection.id.desc())))


def open_correction(session: Session, program: Program) -> PlanCorrection | None:
    """The one correction of the program still in work (draft, on agreement, at the curator, returned)."""
    return session.scalar(select(PlanCorrection).where(PlanCorrection.program_id == program.id,
                                                       PlanCorrection.status.in_(OPEN)))


def correction_of(session: Session, program: Program, correction_id: int) -> PlanCorrection:
    """Correction ``correction_id`` if it is one of the program's (ids from the client are not trusted)."""
    correction = session.get(PlanCorrection, correction_id)
    if correction is None or correction.program_id != program.id:
        raise NotFound(f"в программе №{program.id} нет корректировки плана №{correction_id}")
    return correction


def waiting_for(correction: PlanCorrection, program: Program) -> list[int]:
    """The participants whose agreement the proposed correction still waits for."""
    if correction.status != CorrectionStatus.PROPOSED:
        return []
    return [pid for pid in program.group.participant_ids() if pid not in correction.agreed_by]


def agree_if_all_did(correction: PlanCorrection, program: Program) -> None:
    """Move the proposed correction on to the curator once every participant has agreed (003 §7.2)."""
    if set(program.group.participant_ids()) <= set(correction.agreed_by):
        correction.status = CorrectionStatus.AGREED.value
