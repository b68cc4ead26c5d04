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

The modules: who may do what (``plan_access``), composing and proposing (``plan_drafts``), agreeing and the
curator's decision (``plan_decisions``), what the extension order lists (``plan_order_rows``); this one is the
editor page «План мероприятий» over them.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.db.models import CorrectionStatus, Person, PlanCorrection, Program, RoadmapEventRecord
from engine.regulations.roadmaps import RoadmapStage
from engine.services.mentorship import plan_changes, programs
from engine.services.mentorship.plan_access import (
    OPEN,
    corrections,
    is_curator,
    open_correction,
    participant_role,
    waiting_for,
)
from engine.services.mentorship.program_views import get_program, log_view
from engine.services.people.actor import Actor


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
