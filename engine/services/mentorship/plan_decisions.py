"""Agreeing to a proposed correction of a program's plan and the curator's decision on it (003 §7.2).

Every other participant of the program agrees or returns the correction with a reason; once all have agreed, the
curator of the program's organization approves it — only then do the program's events change, audited, in the
program's history — or returns it with a reason; ``awaiting_curator`` is the curator's inbox.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import CorrectionStatus, PlanCorrection, record_audit
from engine.errors import ConflictError, NastavnikError
from engine.services.mentorship import plan_notices
from engine.services.mentorship.participant_views import RUNNING
from engine.services.mentorship.plan_access import (
    agree_if_all_did,
    correction_of,
    is_curator,
    require_curator,
    require_participant,
    waiting_for,
)
from engine.services.mentorship.plan_changes import PlanChange, apply_changes, check_changes
from engine.services.mentorship.roadmap_events import today_for
from engine.services.people.actor import Actor
from engine.workflow import Clock

REASON_MAX = 2000


def _reason(reason: str | None, field: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise NastavnikError("укажите причину возврата (поле «Причина»)", where=field)
    if len(text) > REASON_MAX:
        raise NastavnikError(f"причина длиннее {REASON_MAX} символов", where=field)
    return text


def agree(session: Session, actor: Actor, program_id: int, correction_id: int, *, agreed: bool,
          reason: str | None = None) -> PlanCorrection:
    """Another participant agrees to the proposed correction, or returns it to the proposer with a reason."""
    program, _role = require_participant(session, actor, program_id)
    correction = correction_of(session, program, correction_id)
    if actor.person_id not in waiting_for(correction, program):
        raise ConflictError(f"корректировка плана №{correction.id} не ждёт вашего согласия")
    if agreed:
        correction.agreed_by = [*correction.agreed_by, actor.person_id]
        agree_if_all_did(correction, program)
    else:
        correction.return_reason = _reason(reason)
        correction.status, correction.decided_at = CorrectionStatus.RETURNED.value, datetime.now(UTC)
        correction.decided_by_id = actor.person_id
    session.flush()
    record_audit(session, "plan_correction.agreed" if agreed else "plan_correction.not_agreed",
                 actor=actor.person_id, obj=program, organization=program.group.organization_id,
                 details={"correction": correction.id, **({} if agreed else {"reason": correction.return_reason})})
    if correction.status == CorrectionStatus.AGREED:
        plan_notices.agreed(session, correction, program)
    elif correction.status == CorrectionStatus.RETURNED:
        plan_notices.decided(session, correction, program)
    return correction


def decide(session: Session, actor: Actor, program_id: int, correction_id: int, *, approved: bool,
           reason: str | None = None, clock: Clock | None = None) -> PlanCorrection:
    """The curator of the program's organization approves the agreed correction — the events change — or
    returns it with a reason."""
    program = require_curator(session, actor, program_id)
    correction = correction_of(session, program, correction_id)
    if correction.status != CorrectionStatus.AGREED:
        raise ConflictError(f"корректировка плана №{correction.id} не ждёт решения куратора")
    if approved:
        if program.status not in RUNNING:
            raise ConflictError(f"программа №{program.id} не выполняется; её план не корректируется")
        changes = [PlanChange.of(c) for c in correction.changes]
        check_changes(session, program, changes, today_for(program, clock))  # the plan may have moved since
        correction.applied = apply_changes(session, program, changes)
        correction.status = CorrectionStatus.APPROVED.value
    else:
        correction.return_reason = _reason(reason)
        correction.status = CorrectionStatus.RETURNED.value
    correction.decided_by_id, correction.decided_at = actor.person_id, datetime.now(UTC)
    session.flush()
    record_audit(session, "plan_correction.approved" if approved else "plan_correction.returned",
                 actor=actor.person_id, obj=program, organization=program.group.organization_id,
                 details={"correction": correction.id, **({"rows": correction.applied} if approved
                                                          else {"reason": correction.return_reason})})
    plan_notices.decided(session, correction, program)
    return correction


def awaiting_curator(session: Session, actor: Actor) -> list[PlanCorrection]:
    """Agreed corrections of programs in the organizations where the actor is the curator (the inbox)."""
    found = session.scalars(select(PlanCorrection).where(PlanCorrection.status == CorrectionStatus.AGREED.value)
                            .order_by(PlanCorrection.proposed_at, PlanCorrection.id))
    return [c for c in found if is_curator(actor, c.program)]
