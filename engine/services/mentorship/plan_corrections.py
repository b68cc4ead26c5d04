"""Corrections of a program's plan of events, from the participant's draft to the curator's decision.

Who does what (decided from the regulation):

- the mentor or a mentee composes the correction and proposes it — 003 §4.2 (the mentor «совместно с
  наставляемым составить персонализированную программу … включающую в себя план конкретных мероприятий»),
  003 §5.1 (the mentee «участвовать в составлении …», «вносить на рассмотрение предложения по
  совершенствованию персонализированных программ»); nobody else may;
- every other participant of the program agrees (or returns it with a reason): a correction of content is made
  «по обоюдному согласию наставника и наставляемого» (003 §7.2);
- the curator of the program's organization approves it — only then do the program's events change, audited,
  in the program's history — or returns it with a reason; the proposer corrects it and proposes again;
- the approved corrections not yet listed by an order go into the next extension order (003 §7.2: «на
  основании ходатайства куратора начальник департамента … корректировка ее содержания») as the list of changed
  events (``for_order``, ``mark_ordered``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    CorrectionStatus,
    Order,
    Person,
    PlanCorrection,
    Program,
    RoadmapEventRecord,
    Role,
    record_audit,
)
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.regulations.roadmaps import RoadmapStage
from engine.services.mentorship import lifecycle, plan_changes, plan_notices, programs
from engine.services.mentorship.participant_views import RUNNING
from engine.services.mentorship.plan_changes import PlanChange, apply_changes, check_changes
from engine.services.mentorship.program_views import get_program, log_view
from engine.services.mentorship.roadmap_events import today_for
from engine.services.people.actor import Actor
from engine.workflow import Clock

OPEN = (CorrectionStatus.DRAFT.value, CorrectionStatus.PROPOSED.value, CorrectionStatus.AGREED.value,
        CorrectionStatus.RETURNED.value)
REASON_MAX = 2000


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


def corrections(session: Session, program: Program) -> list[PlanCorrection]:
    """Every correction of the program, newest first."""
    return list(session.scalars(select(PlanCorrection).where(PlanCorrection.program_id == program.id)
                                .order_by(PlanCorrection.id.desc())))


def open_correction(session: Session, program: Program) -> PlanCorrection | None:
    """The one correction of the program still in work (draft, on agreement, at the curator, returned)."""
    return session.scalar(select(PlanCorrection).where(PlanCorrection.program_id == program.id,
                                                       PlanCorrection.status.in_(OPEN)))


def _correction(session: Session, program: Program, correction_id: int) -> PlanCorrection:
    correction = session.get(PlanCorrection, correction_id)
    if correction is None or correction.program_id != program.id:
        raise NotFound(f"в программе №{program.id} нет корректировки плана №{correction_id}")
    return correction


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
    _all_agreed(correction, program)
    session.flush()
    record_audit(session, "plan_correction.proposed", actor=actor.person_id, obj=program,
                 organization=program.group.organization_id,
                 details={"correction": correction.id, "attempt": correction.attempt, "role": role,
                          "changes": len(correction.changes)})
    plan_notices.proposed(session, correction, program, waiting_for(correction, program))
    return correction


def _all_agreed(correction: PlanCorrection, program: Program) -> None:
    if set(program.group.participant_ids()) <= set(correction.agreed_by):
        correction.status = CorrectionStatus.AGREED.value


def waiting_for(correction: PlanCorrection, program: Program) -> list[int]:
    """The participants whose agreement the proposed correction still waits for."""
    if correction.status != CorrectionStatus.PROPOSED:
        return []
    return [pid for pid in program.group.participant_ids() if pid not in correction.agreed_by]


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
    correction = _correction(session, program, correction_id)
    if actor.person_id not in waiting_for(correction, program):
        raise ConflictError(f"корректировка плана №{correction.id} не ждёт вашего согласия")
    if agreed:
        correction.agreed_by = [*correction.agreed_by, actor.person_id]
        _all_agreed(correction, program)
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


def require_curator(session: Session, actor: Actor, program_id: int) -> Program:
    """The program, if ``actor`` is the curator of its organization (who approves or returns a correction)."""
    program = _program(session, program_id)
    if not is_curator(actor, program):
        raise PermissionDenied(f"{actor.full_name or actor.login}: корректировку плана утверждает куратор "
                               "организации программы")
    return program


def decide(session: Session, actor: Actor, program_id: int, correction_id: int, *, approved: bool,
           reason: str | None = None, clock: Clock | None = None) -> PlanCorrection:
    """The curator of the program's organization approves the agreed correction — the events change — or
    returns it with a reason."""
    program = require_curator(session, actor, program_id)
    correction = _correction(session, program, correction_id)
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


def withdraw(session: Session, actor: Actor, program_id: int, correction_id: int) -> PlanCorrection:
    program, _role = require_participant(session, actor, program_id)
    correction = _correction(session, program, correction_id)
    if correction.proposed_by_id != actor.person_id or correction.status not in (
            CorrectionStatus.DRAFT, CorrectionStatus.PROPOSED, CorrectionStatus.RETURNED):
        raise ConflictError(f"корректировку плана №{correction.id} отозвать нельзя")
    correction.status = CorrectionStatus.WITHDRAWN.value
    session.flush()
    record_audit(session, "plan_correction.withdrawn", actor=actor.person_id, obj=program,
                 organization=program.group.organization_id, details={"correction": correction.id})
    return correction


def awaiting_curator(session: Session, actor: Actor) -> list[PlanCorrection]:
    """Agreed corrections of programs in the organizations where the actor is the curator (the inbox)."""
    found = session.scalars(select(PlanCorrection).where(PlanCorrection.status == CorrectionStatus.AGREED.value)
                            .order_by(PlanCorrection.proposed_at, PlanCorrection.id))
    return [c for c in found if is_curator(actor, c.program)]


# -- the extension order (003 §7.2) ------------------------------------------------------------------

def for_order(session: Session, program: Program) -> list[PlanCorrection]:
    """The approved corrections no order has listed yet, oldest first."""
    return list(session.scalars(select(PlanCorrection).where(
        PlanCorrection.program_id == program.id, PlanCorrection.status == CorrectionStatus.APPROVED.value,
        PlanCorrection.order_id.is_(None)).order_by(PlanCorrection.decided_at, PlanCorrection.id)))


def order_rows(session: Session, program: Program) -> list[dict[str, str]]:
    """The changed events the extension order lists: event, was, becomes, reason."""
    return [row for correction in for_order(session, program) for row in correction.applied or []]


def mark_ordered(session: Session, program: Program, order: Order) -> None:
    for correction in for_order(session, program):
        correction.order_id = order.id
    session.flush()


# -- the editor page -------------------------------------------------------------------------------------

@dataclass
class PlanEditor:
    """What the «План мероприятий» page shows the person looking."""

    program: Program
    role: str | None  # «mentor» / «mentee» for a participant
    curator: bool  # the actor may approve or return
    current: PlanCorrection | None  # the correction in work
    described: list[str]  # its changes in words
    past: list[tuple[PlanCorrection, list[str]]]  # the decided and withdrawn ones with their changes in words
    stages: list[RoadmapStage]  # the stages whose plan may still change
    events: list[RoadmapEventRecord]  # the events a change may name
    mine: bool  # the current correction is the actor's own, editable (draft / returned)
    waiting_for_me: bool  # the current correction waits for the actor's agreement
    waiting_names: list[str]


def editor(session: Session, actor: Actor, program_id: int) -> PlanEditor:
    """The page for the program's participants and staff who may see the program (else 403/404)."""
    program = get_program(session, actor, program_id)
    log_view(session, actor, program)
    role, curator = participant_role(actor, program), is_curator(actor, program)
    roadmap = programs.roadmap(program.roadmap_id)
    current = open_correction(session, program)
    stages = [s for s in roadmap.stages if not plan_changes.closed_stage(program, s.id)]
    events = [e for e in program.events if e.status == "planned" and any(s.id == e.stage_id for s in stages)]
    past = [(c, [plan_changes.describe(session, program, d) for d in c.changes])
            for c in corrections(session, program) if c.status not in OPEN]
    waiting = waiting_for(current, program) if current else []
    names = [p.full_name for p in (session.get(Person, pid) for pid in waiting) if p is not None]
    return PlanEditor(program=program, role=role, curator=curator, current=current,
                      described=[plan_changes.describe(session, program, d) for d in current.changes] if current else [],
                      past=past, stages=stages, events=events,
                      mine=bool(current and current.proposed_by_id == actor.person_id
                                and current.status in (CorrectionStatus.DRAFT, CorrectionStatus.RETURNED)),
                      waiting_for_me=actor.person_id in waiting, waiting_names=names)
