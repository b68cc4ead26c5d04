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
Who sees a plan: its teacher, its mentor, and the curator, head and methodologist of its organization.

The modules: this one (what a plan is — its states, sections, fields — and opening one), ``permissions`` (who sees
and who does what), ``items`` (the sections' items and their marks), ``states`` (agree, approve, return, close)."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import DevelopmentPlan, DevelopmentPlanItem, Organization, Person, Role, record_audit
from engine.domain_time import academic_year_start
from engine.errors import ConflictError, NastavnikError, NotFound
from engine.regulations import pack, shipped_packs
from engine.regulations.individual_plans import IndividualPlans
from engine.regulations.pack_parts import Cited
from engine.services.development_plans.permissions import require_opener
from engine.services.people.actor import Actor, active_with_roles
from engine.services.process.domain import organization_today

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


def clean_text(value: Any, label: str, where: str, *, limit: int, required: bool = True) -> str | None:
    text = "\n".join(" ".join(line.split()) for line in str(value or "").strip().splitlines()).strip()
    if required and not text:
        raise PlanDataError(f"{label}: заполните поле", where=where)
    if len(text) > limit:
        raise PlanDataError(f"{label}: не длиннее {limit} символов (сейчас {len(text)})", where=where)
    return text or None


def parse_date(value: Any, label: str, where: str) -> date:
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
    audit(session, "ippr.opened", actor, plan, teacher=teacher.id, mentor=mentor.id, year=year)
    return plan


def audit(session: Session, action: str, actor: Actor, plan: DevelopmentPlan, **details: Any) -> None:
    record_audit(session, action, actor=actor.person_id, obj=plan, organization=plan.organization_id,
                 details={"clause": "000 §2.2", **details})


def require_state(plan: DevelopmentPlan, state: str, doing: str) -> None:
    if plan.state != state:
        raise ConflictError(f"ИППР № {plan.id} — {STATE_LABELS[plan.state]}: {doing} можно, только когда план — "
                            f"{STATE_LABELS[state]}", where="state")
