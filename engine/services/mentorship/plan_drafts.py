"""Composing a correction of a program's plan and proposing it (003 §4.2, §5.1, §7.2).

The mentor or a mentee adds and removes changes in their own draft (or returned) correction, proposes it to the
other participants for agreement, or withdraws it; every change is checked against the plan (``plan_changes``).
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from engine.db.models import CorrectionStatus, PlanCorrection, Program, record_audit
from engine.errors import ConflictError, NotFound
from engine.services.mentorship import plan_notices
from engine.services.mentorship.plan_access import (
    agree_if_all_did,
    correction_of,
    open_correction,
    require_participant,
    waiting_for,
)
from engine.services.mentorship.plan_changes import PlanChange, check_changes
from engine.services.mentorship.roadmap_events import today_for
from engine.services.people.actor import Actor
from engine.workflow import Clock


def _own_editable(session: Session, actor: Actor, program: Program, role: str) -> PlanCorrection:
    correction = open_correction(session, program)
    if correction is None:
        correction = PlanCorrection(program=program, proposed_by_id=actor.person_id, proposer_role=role,
                                    status=CorrectionStatus.DRAFT.value, changes=[], agreed_by=[])
        session.add(correction)
        return correction
    if correction.proposed_by_id != actor.person_id:
        raise ConflictError(f"корректировка плана №{correction.id} другого участника ещё не решена: дождитесь "
                            "решения по ней")
    if correction.status not in (CorrectionStatus.DRAFT, CorrectionStatus.RETURNED):
        raise ConflictError(f"корректировка плана №{correction.id} уже на согласовании: изменения в неё не вносятся")
    return correction


def add_change(session: Session, actor: Actor, program_id: int, change: PlanChange, *,
               clock: Clock | None = None) -> PlanCorrection:
    """Add one change to the actor's draft (or returned) correction, checked with the ones already in it."""
    program, role = require_participant(session, actor, program_id)
    correction = _own_editable(session, actor, program, role)
    changes = [PlanChange.of(c) for c in correction.changes] + [change]
    check_changes(session, program, changes, today_for(program, clock))
    correction.changes = [c.as_json() for c in changes]
    session.flush()
    return correction


def remove_change(session: Session, actor: Actor, program_id: int, index: int) -> PlanCorrection:
    """Take change ``index`` (from 1) out of the actor's draft or returned correction."""
    program, role = require_participant(session, actor, program_id)
    correction = _own_editable(session, actor, program, role)
    if not 1 <= index <= len(correction.changes):
        raise NotFound(f"в корректировке плана №{correction.id} нет изменения {index}")
    correction.changes = [c for n, c in enumerate(correction.changes, start=1) if n != index]
    session.flush()
    return correction


def propose_changes(session: Session, actor: Actor, program_id: int, changes: list[PlanChange], *,
                    clock: Clock | None = None) -> PlanCorrection:
    """Compose the actor's correction of exactly ``changes`` and propose it at once (what the API sends in one
    request): the actor's draft or returned correction has its changes replaced; every change is checked first."""
    program, role = require_participant(session, actor, program_id)
    correction = _own_editable(session, actor, program, role)
    check_changes(session, program, changes, today_for(program, clock))
    correction.changes = [c.as_json() for c in changes]
    session.flush()
    return propose(session, actor, program_id, clock=clock)


def propose(session: Session, actor: Actor, program_id: int, *, clock: Clock | None = None) -> PlanCorrection:
    """The proposer sends the correction to the other participants for agreement (003 §7.2)."""
    program, role = require_participant(session, actor, program_id)
    correction = open_correction(session, program)
    if correction is None or correction.proposed_by_id != actor.person_id:
        raise NotFound("нет вашей корректировки плана, которую можно направить")
    if correction.status not in (CorrectionStatus.DRAFT, CorrectionStatus.RETURNED):
        raise ConflictError(f"корректировка плана №{correction.id} уже направлена")
    check_changes(session, program, [PlanChange.of(c) for c in correction.changes], today_for(program, clock))
    if correction.status == CorrectionStatus.RETURNED:
        correction.attempt += 1
    correction.status, correction.agreed_by = CorrectionStatus.PROPOSED.value, [actor.person_id]
    correction.proposed_at, correction.return_reason = datetime.now(UTC), None
    agree_if_all_did(correction, program)
    session.flush()
    record_audit(session, "plan_correction.proposed", actor=actor.person_id, obj=program,
                 organization=program.group.organization_id,
                 details={"correction": correction.id, "attempt": correction.attempt, "role": role,
                          "changes": len(correction.changes)})
    plan_notices.proposed(session, correction, program, waiting_for(correction, program))
    return correction


def withdraw(session: Session, actor: Actor, program_id: int, correction_id: int) -> PlanCorrection:
    program, _role = require_participant(session, actor, program_id)
    correction = correction_of(session, program, correction_id)
    if correction.proposed_by_id != actor.person_id or correction.status not in (
            CorrectionStatus.DRAFT, CorrectionStatus.PROPOSED, CorrectionStatus.RETURNED):
        raise ConflictError(f"корректировку плана №{correction.id} отозвать нельзя")
    correction.status = CorrectionStatus.WITHDRAWN.value
    session.flush()
    record_audit(session, "plan_correction.withdrawn", actor=actor.person_id, obj=program,
                 organization=program.group.organization_id, details={"correction": correction.id})
    return correction
