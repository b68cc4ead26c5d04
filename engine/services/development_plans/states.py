"""The ИППР's signatures and its year's end: the mentor agrees the draft, the head approves it (000 §4.3), the mentor or
the head returns an agreed plan to draft saying why, the mentor or the curator closes the year with its conclusion.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.db.models import DevelopmentPlan
from engine.errors import ConflictError
from engine.services.development_plans.permissions import (
    require_approver,
    require_closer,
    require_mentor,
    require_returner,
)
from engine.services.development_plans.plans import (
    LONG_TEXT,
    SHORT_TEXT,
    PlanDataError,
    audit,
    clean_text,
    item_name,
    require_state,
)
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today


def agree(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """The mentor agrees the draft: it has at least one item (a section may stay empty — a teacher who is no class
    teacher plans nothing in classroom guidance)."""
    plan = require_mentor(session, actor, plan_id)
    require_state(plan, "draft", "согласовать план")
    if not plan.items:
        raise PlanDataError(f"ИППР № {plan.id} пуст: внесите хотя бы один пункт в разделы плана", where="items")
    plan.state, plan.agreed_on, plan.agreed_by_id = "agreed", organization_today(session, plan.organization), \
        actor.person_id
    session.flush()
    audit(session, "ippr.agreed", actor, plan)
    return plan


def return_to_draft(session: Session, actor: Actor, plan_id: int, note: Any) -> DevelopmentPlan:
    """The mentor or the head sends an agreed plan back to draft, saying why."""
    plan = require_returner(session, actor, plan_id)
    require_state(plan, "agreed", "вернуть план на доработку")
    plan.returned_note = clean_text(note, "Причина возврата на доработку", "note", limit=SHORT_TEXT)
    plan.state, plan.agreed_on, plan.agreed_by_id = "draft", None, None
    session.flush()
    audit(session, "ippr.returned", actor, plan)
    return plan


def approve(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """The head approves an agreed plan (000 §4.3: «согласовываются с администрацией»)."""
    plan = require_approver(session, actor, plan_id)
    if plan.state == "draft":
        raise ConflictError(f"ИППР № {plan.id} ещё не согласован наставником: утверждается согласованный план",
                            where="state")
    require_state(plan, "agreed", "утвердить план")
    plan.state, plan.approved_on, plan.approved_by_id = "approved", organization_today(session, plan.organization), \
        actor.person_id
    plan.returned_note = None
    session.flush()
    audit(session, "ippr.approved", actor, plan)
    return plan


def close(session: Session, actor: Actor, plan_id: int, conclusion: Any) -> DevelopmentPlan:
    """The mentor or the curator closes the year: every item marked, the year's conclusion written."""
    plan = require_closer(session, actor, plan_id)
    require_state(plan, "approved", "подвести итоги года")
    open_items = [i for i in plan.items if i.outcome is None]
    if open_items:
        names = "; ".join(item_name(plan, i) for i in open_items[:3]) + ("; …" if len(open_items) > 3 else "")
        raise ConflictError(f"не отмечено выполнение: {names}", where="items")
    plan.conclusion = clean_text(conclusion, "Итоги года", "conclusion", limit=LONG_TEXT)
    plan.state, plan.closed_on, plan.closed_by_id = "closed", organization_today(session, plan.organization), \
        actor.person_id
    session.flush()
    audit(session, "ippr.closed", actor, plan, done=sum(1 for i in plan.items if i.outcome == "done"),
           total=len(plan.items))
    return plan
