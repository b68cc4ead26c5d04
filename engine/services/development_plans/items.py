"""The items of an ИППР's sections (000 §2.2 «включающих разделы»): the teacher and the mentor add, change and
remove them while the plan is a draft, and mark each done or not, with its result, once the plan is approved.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from engine.db.models import DevelopmentPlan, DevelopmentPlanItem
from engine.errors import ConflictError, NotFound
from engine.services.development_plans.permissions import require_writer
from engine.services.development_plans.plans import (
    LONG_TEXT,
    OUTCOME_LABELS,
    SHORT_TEXT,
    STATE_LABELS,
    PlanDataError,
    audit,
    clean_text,
    item_name,
    parse_date,
    require_state,
    sections_of,
)
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today


@dataclass(frozen=True)
class ItemData:
    section: Any
    what: Any
    due_on: Any
    expected_result: Any


def checked_item(plan: DevelopmentPlan, data: ItemData) -> tuple[str, str, date, str]:
    section = next((s for s in sections_of(plan) if s.id == data.section), None)
    if section is None:
        known = "; ".join(f"«{s.label}»" for s in sections_of(plan))
        raise PlanDataError(f"в ИППР нет раздела «{data.section}»; разделы (000 §2.2): {known}", where="section")
    heading = f"Раздел «{section.label}»"
    what = clean_text(data.what, f"{heading}: что планируется", "what", limit=SHORT_TEXT) or ""
    due_on = parse_date(data.due_on, f"{heading}: планируемый срок", "due_on")
    if not plan.starts_on <= due_on <= plan.ends_on:
        raise PlanDataError(f"{heading}: срок {due_on:%d.%m.%Y} — вне учебного года плана "
                            f"({plan.starts_on:%d.%m.%Y}–{plan.ends_on:%d.%m.%Y})", where="due_on")
    expected = clean_text(data.expected_result, f"{heading}: ожидаемый результат", "expected_result",
                     limit=SHORT_TEXT) or ""
    return section.id, what, due_on, expected


def add_item(session: Session, actor: Actor, plan_id: int, data: ItemData) -> DevelopmentPlanItem:
    plan = require_writer(session, actor, plan_id, "вносить пункты ИППР")
    require_state(plan, "draft", "вносить пункты")
    section, what, due_on, expected = checked_item(plan, data)
    item = DevelopmentPlanItem(plan_id=plan.id, section=section, what=what, due_on=due_on, expected_result=expected,
                               created_by_id=actor.person_id)
    session.add(item)
    session.flush()
    session.refresh(plan)
    audit(session, "ippr.item_added", actor, plan, item=item.id, section=section)
    return item


def item_of(plan: DevelopmentPlan, item_id: Any) -> DevelopmentPlanItem:
    found = next((i for i in plan.items if i.id == item_id), None)
    if found is None:
        raise NotFound(f"в ИППР № {plan.id} нет пункта № {item_id}", where="item")
    return found


def change_item(session: Session, actor: Actor, plan_id: int, item_id: Any, data: ItemData) -> DevelopmentPlanItem:
    plan = require_writer(session, actor, plan_id, "менять пункты ИППР")
    item = item_of(plan, item_id)
    if plan.state != "draft":
        raise ConflictError(f"{item_name(plan, item)}: план — {STATE_LABELS[plan.state]}, менять пункты можно только "
                            "в черновике", where="state")
    item.section, item.what, item.due_on, item.expected_result = checked_item(plan, data)
    session.flush()
    audit(session, "ippr.item_changed", actor, plan, item=item.id, section=item.section)
    return item


def remove_item(session: Session, actor: Actor, plan_id: int, item_id: Any) -> None:
    plan = require_writer(session, actor, plan_id, "удалять пункты ИППР")
    item = item_of(plan, item_id)
    if plan.state != "draft":
        raise ConflictError(f"{item_name(plan, item)}: план — {STATE_LABELS[plan.state]}, удалять пункты можно только "
                            "в черновике", where="state")
    plan.items.remove(item)
    session.flush()
    audit(session, "ippr.item_removed", actor, plan, item=item_id, section=item.section)


def mark_item(session: Session, actor: Actor, plan_id: int, item_id: Any, outcome: Any, result: Any,
              ) -> DevelopmentPlanItem:
    """The teacher or the mentor marks an item of the approved plan done or not, with its result."""
    plan = require_writer(session, actor, plan_id, "отмечать выполнение пунктов ИППР")
    item = item_of(plan, item_id)
    if plan.state != "approved":
        raise ConflictError(f"{item_name(plan, item)}: выполнение отмечается в утверждённом плане, а план — "
                            f"{STATE_LABELS[plan.state]}", where="state")
    if outcome not in OUTCOME_LABELS:
        raise PlanDataError(f"{item_name(plan, item)}: отметьте «выполнено» или «не выполнено»", where="outcome")
    named = item_name(plan, item)
    item.result = clean_text(result, f"{named[:1].upper()}{named[1:]}: результат", "result", limit=LONG_TEXT)
    item.outcome, item.marked_by_id = str(outcome), actor.person_id
    item.marked_on = organization_today(session, plan.organization)
    session.flush()
    audit(session, "ippr.item_marked", actor, plan, item=item.id, outcome=item.outcome)
    return item
