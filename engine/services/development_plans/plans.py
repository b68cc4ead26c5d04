"""The ИППР of a teacher (000 §2.2: «развития кадрового потенциала средствами ИППР (индивидуальных планов
профессионального развития педагогов) … включающих разделы»): one plan per teacher and academic year (1 September –
31 August), guided by a mentor of the management team (000 §2.2: «педагогического проекта наставника – члена
управленческой команды»). Its sections come from the organization's pack (``individual_plans``).

Who does what (000 names the plan and its sections, not its procedure; the product's reading):
* the curator (the mentor-head, 000 §4.4) or the head opens the plan and names its mentor — one who holds the role
  of mentor, curator, methodologist or head in the organization (a member of the management team);
* the teacher and the mentor add, change and remove the items of the sections while the plan is a draft;
* the mentor agrees the plan; the head approves it (000 §4.3: «Решения системы согласовываются с администрацией»);
  the mentor or the head may return an agreed plan to draft, saying why;
* in an approved plan the teacher and the mentor mark each item done or not with its result; the mentor or the
  curator closes the year when every item is marked, writing the year's conclusion.
Who sees a plan: its teacher, its mentor, and the curator, head and methodologist of its organization."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import DevelopmentPlan, DevelopmentPlanItem, Organization, Person, Role, record_audit
from engine.domain_time import academic_year_start
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.regulations import pack, shipped_packs
from engine.regulations.individual_plans import IndividualPlans
from engine.regulations.pack_parts import Cited
from engine.services.people.actor import Actor, active_with_roles
from engine.services.process.domain import organization_today

SEEING_ROLES = (Role.CURATOR, Role.HEAD, Role.METHODOLOGIST)
OPENING_ROLES = (Role.CURATOR, Role.HEAD)
# 000 §2.2 «наставника – члена управленческой команды»: whoever holds one of these roles in the organization
TEAM_ROLES = (Role.MENTOR, Role.CURATOR, Role.METHODOLOGIST, Role.HEAD)
STATE_LABELS = {"draft": "черновик", "agreed": "согласован наставником", "approved": "утверждён администрацией",
                "closed": "итоги года подведены"}
OUTCOME_LABELS = {"done": "выполнено", "not_done": "не выполнено"}
SHORT_TEXT, LONG_TEXT = 1000, 4000


class PlanDataError(NastavnikError):
    """What was sent about a plan or its item is missing or wrong (the message names the section, item or field)."""


def plans_of(organization: Organization) -> IndividualPlans | None:
    """The pack's ИППР (its clause and sections), or None: the organization's regulation names no ИППР."""
    return pack(organization.regulation).individual_plans


def all_section_labels() -> dict[str, str]:
    """The sections of every shipped pack's ИППР by id (what a personal-data export shows for a section's id)."""
    return {s.id: s.label for regulation in shipped_packs().values() if regulation.individual_plans
            for s in regulation.individual_plans.sections}


def sections_of(plan: DevelopmentPlan) -> tuple[Cited, ...]:
    found = plans_of(plan.organization)
    return found.sections if found else ()


def section_label(plan: DevelopmentPlan, section_id: str) -> str:
    found = next((s for s in sections_of(plan) if s.id == section_id), None)
    return found.label if found else section_id


def item_name(plan: DevelopmentPlan, item: DevelopmentPlanItem) -> str:
    """«пункт «Курс …» раздела «Самообразование»» — how a message names an item."""
    what = item.what if len(item.what) <= 60 else item.what[:57].rstrip() + "…"
    return f"пункт «{what}» раздела «{section_label(plan, item.section)}»"


def _text(value: Any, label: str, where: str, *, limit: int, required: bool = True) -> str | None:
    text = "\n".join(" ".join(line.split()) for line in str(value or "").strip().splitlines()).strip()
    if required and not text:
        raise PlanDataError(f"{label}: заполните поле", where=where)
    if len(text) > limit:
        raise PlanDataError(f"{label}: не длиннее {limit} символов (сейчас {len(text)})", where=where)
    return text or None


def _date(value: Any, label: str, where: str) -> date:
    if isinstance(value, date):
        return value
    raw = str(value or "").strip()
    if not raw:
        raise PlanDataError(f"{label}: укажите дату", where=where)
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise PlanDataError(f"{label}: ожидается дата в виде ГГГГ-ММ-ДД, получено «{raw[:20]}»", where=where) from None


def _organization(session: Session, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"нет организации с номером {organization_id}")
    return organization


def _member(session: Session, organization: Organization, person_id: Any, where: str, who: str) -> Person:
    person = session.get(Person, person_id) if isinstance(person_id, int) else None
    if person is None or person.organization_id != organization.id:
        raise PlanDataError(f"{who}: нет такого сотрудника организации «{organization.name}»", where=where)
    if not person.is_active:
        raise PlanDataError(f"{who}: {person.full_name} — доступ закрыт администратором", where=where)
    return person


def require_opener(actor: Actor, organization_id: int) -> None:
    if not any(actor.has_role(organization_id, role) for role in OPENING_ROLES):
        raise PermissionDenied("открыть ИППР педагога могут наставник-руководитель (куратор) и администрация "
                               "организации")


def open_plan(session: Session, actor: Actor, organization_id: int, teacher_id: Any, mentor_id: Any, *,
              academic_year: Any = None) -> DevelopmentPlan:
    """The curator or the head opens the teacher's plan for the academic year (the current one, or the next)."""
    require_opener(actor, organization_id)
    organization = _organization(session, organization_id)
    if plans_of(organization) is None:
        raise PlanDataError(f"положение организации «{pack(organization.regulation).title}» не предусматривает "
                            "индивидуальных планов профессионального развития педагогов (ИППР, 000 §2.2)",
                            where="organization")
    teacher = _member(session, organization, teacher_id, "teacher_id", "педагог")
    mentor = _member(session, organization, mentor_id, "mentor_id", "наставник")
    if mentor.id == teacher.id:
        raise PlanDataError("наставник ведёт план другого педагога: выберите не самого педагога", where="mentor_id")
    found = active_with_roles(session, mentor.id)
    if found is None or not any(found[1].has_role(organization.id, role) for role in TEAM_ROLES):
        raise PlanDataError(f"наставник ИППР — член управленческой команды (000 §2.2): у {mentor.full_name} нет роли "
                            "наставника, куратора, методиста или руководителя в организации", where="mentor_id")
    current = academic_year_start(organization_today(session, organization))
    year = current if academic_year in (None, "") else academic_year
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    if year not in (current, current + 1):
        raise PlanDataError(f"ИППР составляется на текущий ({current}/{current + 1}) или следующий "
                            f"({current + 1}/{current + 2}) учебный год", where="academic_year")
    taken = session.scalar(select(DevelopmentPlan).where(DevelopmentPlan.teacher_id == teacher.id,
                                                         DevelopmentPlan.academic_year == year))
    if taken is not None:
        raise ConflictError(f"у педагога {teacher.full_name} уже есть ИППР № {taken.id} на {taken.year_label} "
                            "учебный год", where="teacher_id")
    plan = DevelopmentPlan(organization_id=organization.id, teacher_id=teacher.id, mentor_id=mentor.id,
                           academic_year=year, starts_on=date(year, 9, 1), ends_on=date(year + 1, 8, 31),
                           state="draft", created_by_id=actor.person_id)
    session.add(plan)
    session.flush()
    _audit(session, "ippr.opened", actor, plan, teacher=teacher.id, mentor=mentor.id, year=year)
    return plan


def _audit(session: Session, action: str, actor: Actor, plan: DevelopmentPlan, **details: Any) -> None:
    record_audit(session, action, actor=actor.person_id, obj=plan, organization=plan.organization_id,
                 details={"clause": "000 §2.2", **details})


def can_see(actor: Actor, plan: DevelopmentPlan) -> bool:
    return actor.person_id in (plan.teacher_id, plan.mentor_id) or any(
        actor.has_role(plan.organization_id, role) for role in SEEING_ROLES)


def plan_for(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """The plan, if ``actor`` may see it (else PermissionDenied)."""
    plan = session.get(DevelopmentPlan, plan_id)
    if plan is None:
        raise NotFound(f"нет ИППР № {plan_id}")
    if not can_see(actor, plan):
        raise PermissionDenied(f"ИППР № {plan_id} видят педагог, его наставник, куратор, руководитель и методист "
                               "организации")
    return plan


def _writer(actor: Actor, plan: DevelopmentPlan, doing: str) -> None:
    if actor.person_id not in (plan.teacher_id, plan.mentor_id):
        raise PermissionDenied(f"{doing} могут педагог и его наставник")


# Who may do what with a plan, whatever its state (the API asks before it reads a request's body; the services ask
# again). Each returns the plan, or raises PermissionDenied (NotFound: no such plan).

def require_writer(session: Session, actor: Actor, plan_id: int,
                   doing: str = "вносить пункты ИППР и отмечать их выполнение") -> DevelopmentPlan:
    """Its teacher or its mentor: the items, their marks."""
    plan = plan_for(session, actor, plan_id)
    _writer(actor, plan, doing)
    return plan


def require_mentor(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """Its mentor: agreeing the plan."""
    plan = plan_for(session, actor, plan_id)
    if actor.person_id != plan.mentor_id:
        raise PermissionDenied("ИППР согласует наставник педагога (000 §2.2)")
    return plan


def require_returner(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """Its mentor or the head of its organization: returning an agreed plan to draft."""
    plan = plan_for(session, actor, plan_id)
    if actor.person_id != plan.mentor_id and not actor.has_role(plan.organization_id, Role.HEAD):
        raise PermissionDenied("вернуть ИППР на доработку могут наставник и руководитель организации")
    return plan


def require_approver(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """The head of its organization: approving the plan (000 §4.3)."""
    plan = plan_for(session, actor, plan_id)
    if not actor.has_role(plan.organization_id, Role.HEAD):
        raise PermissionDenied("ИППР утверждает администрация — руководитель организации (000 §4.3)")
    return plan


def require_closer(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """Its mentor or the curator of its organization: closing the year."""
    plan = plan_for(session, actor, plan_id)
    if actor.person_id != plan.mentor_id and not actor.has_role(plan.organization_id, Role.CURATOR):
        raise PermissionDenied("итоги года по ИППР подводят наставник педагога или куратор")
    return plan


def _in_state(plan: DevelopmentPlan, state: str, doing: str) -> None:
    if plan.state != state:
        raise ConflictError(f"ИППР № {plan.id} — {STATE_LABELS[plan.state]}: {doing} можно, только когда план — "
                            f"{STATE_LABELS[state]}", where="state")


@dataclass(frozen=True)
class ItemData:
    section: Any
    what: Any
    due_on: Any
    expected_result: Any


def _checked(plan: DevelopmentPlan, data: ItemData) -> tuple[str, str, date, str]:
    section = next((s for s in sections_of(plan) if s.id == data.section), None)
    if section is None:
        known = "; ".join(f"«{s.label}»" for s in sections_of(plan))
        raise PlanDataError(f"в ИППР нет раздела «{data.section}»; разделы (000 §2.2): {known}", where="section")
    heading = f"Раздел «{section.label}»"
    what = _text(data.what, f"{heading}: что планируется", "what", limit=SHORT_TEXT) or ""
    due_on = _date(data.due_on, f"{heading}: планируемый срок", "due_on")
    if not plan.starts_on <= due_on <= plan.ends_on:
        raise PlanDataError(f"{heading}: срок {due_on:%d.%m.%Y} — вне учебного года плана "
                            f"({plan.starts_on:%d.%m.%Y}–{plan.ends_on:%d.%m.%Y})", where="due_on")
    expected = _text(data.expected_result, f"{heading}: ожидаемый результат", "expected_result",
                     limit=SHORT_TEXT) or ""
    return section.id, what, due_on, expected


def add_item(session: Session, actor: Actor, plan_id: int, data: ItemData) -> DevelopmentPlanItem:
    plan = require_writer(session, actor, plan_id, "вносить пункты ИППР")
    _in_state(plan, "draft", "вносить пункты")
    section, what, due_on, expected = _checked(plan, data)
    item = DevelopmentPlanItem(plan_id=plan.id, section=section, what=what, due_on=due_on, expected_result=expected,
                               created_by_id=actor.person_id)
    session.add(item)
    session.flush()
    session.refresh(plan)
    _audit(session, "ippr.item_added", actor, plan, item=item.id, section=section)
    return item


def _item(plan: DevelopmentPlan, item_id: Any) -> DevelopmentPlanItem:
    found = next((i for i in plan.items if i.id == item_id), None)
    if found is None:
        raise NotFound(f"в ИППР № {plan.id} нет пункта № {item_id}", where="item")
    return found


def change_item(session: Session, actor: Actor, plan_id: int, item_id: Any, data: ItemData) -> DevelopmentPlanItem:
    plan = require_writer(session, actor, plan_id, "менять пункты ИППР")
    item = _item(plan, item_id)
    if plan.state != "draft":
        raise ConflictError(f"{item_name(plan, item)}: план — {STATE_LABELS[plan.state]}, менять пункты можно только "
                            "в черновике", where="state")
    item.section, item.what, item.due_on, item.expected_result = _checked(plan, data)
    session.flush()
    _audit(session, "ippr.item_changed", actor, plan, item=item.id, section=item.section)
    return item


def remove_item(session: Session, actor: Actor, plan_id: int, item_id: Any) -> None:
    plan = require_writer(session, actor, plan_id, "удалять пункты ИППР")
    item = _item(plan, item_id)
    if plan.state != "draft":
        raise ConflictError(f"{item_name(plan, item)}: план — {STATE_LABELS[plan.state]}, удалять пункты можно только "
                            "в черновике", where="state")
    plan.items.remove(item)
    session.flush()
    _audit(session, "ippr.item_removed", actor, plan, item=item_id, section=item.section)


def agree(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """The mentor agrees the draft: it has at least one item (a section may stay empty — a teacher who is no class
    teacher plans nothing in classroom guidance)."""
    plan = require_mentor(session, actor, plan_id)
    _in_state(plan, "draft", "согласовать план")
    if not plan.items:
        raise PlanDataError(f"ИППР № {plan.id} пуст: внесите хотя бы один пункт в разделы плана", where="items")
    plan.state, plan.agreed_on, plan.agreed_by_id = "agreed", organization_today(session, plan.organization), \
        actor.person_id
    session.flush()
    _audit(session, "ippr.agreed", actor, plan)
    return plan


def return_to_draft(session: Session, actor: Actor, plan_id: int, note: Any) -> DevelopmentPlan:
    """The mentor or the head sends an agreed plan back to draft, saying why."""
    plan = require_returner(session, actor, plan_id)
    _in_state(plan, "agreed", "вернуть план на доработку")
    plan.returned_note = _text(note, "Причина возврата на доработку", "note", limit=SHORT_TEXT)
    plan.state, plan.agreed_on, plan.agreed_by_id = "draft", None, None
    session.flush()
    _audit(session, "ippr.returned", actor, plan)
    return plan


def approve(session: Session, actor: Actor, plan_id: int) -> DevelopmentPlan:
    """The head approves an agreed plan (000 §4.3: «согласовываются с администрацией»)."""
    plan = require_approver(session, actor, plan_id)
    if plan.state == "draft":
        raise ConflictError(f"ИППР № {plan.id} ещё не согласован наставником: утверждается согласованный план",
                            where="state")
    _in_state(plan, "agreed", "утвердить план")
    plan.state, plan.approved_on, plan.approved_by_id = "approved", organization_today(session, plan.organization), \
        actor.person_id
    plan.returned_note = None
    session.flush()
    _audit(session, "ippr.approved", actor, plan)
    return plan


def mark_item(session: Session, actor: Actor, plan_id: int, item_id: Any, outcome: Any, result: Any,
              ) -> DevelopmentPlanItem:
    """The teacher or the mentor marks an item of the approved plan done or not, with its result."""
    plan = require_writer(session, actor, plan_id, "отмечать выполнение пунктов ИППР")
    item = _item(plan, item_id)
    if plan.state != "approved":
        raise ConflictError(f"{item_name(plan, item)}: выполнение отмечается в утверждённом плане, а план — "
                            f"{STATE_LABELS[plan.state]}", where="state")
    if outcome not in OUTCOME_LABELS:
        raise PlanDataError(f"{item_name(plan, item)}: отметьте «выполнено» или «не выполнено»", where="outcome")
    named = item_name(plan, item)
    item.result = _text(result, f"{named[:1].upper()}{named[1:]}: результат", "result", limit=LONG_TEXT)
    item.outcome, item.marked_by_id = str(outcome), actor.person_id
    item.marked_on = organization_today(session, plan.organization)
    session.flush()
    _audit(session, "ippr.item_marked", actor, plan, item=item.id, outcome=item.outcome)
    return item


def close(session: Session, actor: Actor, plan_id: int, conclusion: Any) -> DevelopmentPlan:
    """The mentor or the curator closes the year: every item marked, the year's conclusion written."""
    plan = require_closer(session, actor, plan_id)
    _in_state(plan, "approved", "подвести итоги года")
    open_items = [i for i in plan.items if i.outcome is None]
    if open_items:
        names = "; ".join(item_name(plan, i) for i in open_items[:3]) + ("; …" if len(open_items) > 3 else "")
        raise ConflictError(f"не отмечено выполнение: {names}", where="items")
    plan.conclusion = _text(conclusion, "Итоги года", "conclusion", limit=LONG_TEXT)
    plan.state, plan.closed_on, plan.closed_by_id = "closed", organization_today(session, plan.organization), \
        actor.person_id
    session.flush()
    _audit(session, "ippr.closed", actor, plan, done=sum(1 for i in plan.items if i.outcome == "done"),
           total=len(plan.items))
    return plan
