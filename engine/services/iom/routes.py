"""The teacher's individual educational route (ИОМ, 002 §1.2: «долгосрочная (4-5 лет) образовательная программа
профессионального самосовершенствования педагогического работника»): the curator opens it for a teacher of the
organization and names the tutor (002 §4.2.2: «Тьютор оказывает методическую помощь при разработке и реализации
индивидуальных образовательных маршрутов … во взаимосвязи с кураторами»); the teacher and the tutor record the seven
steps of 002 §4.2.2 strictly in order; the curator attaches a personalized program (3 months to 1 year, 002 §1.2)
to it; the yearly review the worker opens (``reviews``) is closed by the tutor or the curator.

Who sees a route: its teacher, its tutor, and the curator, head and methodologist of its organization."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    IOM_DONE,
    GroupMember,
    IomProgram,
    IomReview,
    IomRoute,
    IomStep,
    MentoringGroup,
    Organization,
    Person,
    Program,
    Role,
    record_audit,
)
from engine.domain_time import add_months, term_last_day
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.regulations import pack
from engine.services.iom.steps import BY_NUMBER, checked_body, spec
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today

YEARS = (4, 5)  # 002 §1.2: «долгосрочная (4-5 лет)»
SEEING_ROLES = (Role.CURATOR, Role.HEAD, Role.METHODOLOGIST)
MAX_REVIEW_TEXT = 8000


def tutor_label(organization: Organization) -> str | None:
    """The pack's name of the tutor (``roles.tutor``), or None: the organization's regulation knows no ИОМ."""
    cited = pack(organization.regulation).roles.get("tutor")
    return cited.label if cited else None


def _organization(session: Session, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"нет организации с номером {organization_id}")
    return organization


def open_route(session: Session, actor: Actor, organization_id: int, teacher_id: int, *, years: Any,
               tutor_id: int | None = None) -> IomRoute:
    """The curator opens a route of ``years`` (4 or 5) for a teacher of the organization, with its tutor."""
    require_curator(actor, organization_id)
    organization = _organization(session, organization_id)
    if tutor_label(organization) is None:
        raise NastavnikError(f"положение организации «{pack(organization.regulation).title}» не предусматривает "
                             "индивидуальных образовательных маршрутов педагогов (002 §4.2.2)", where="organization")
    if isinstance(years, str) and years.strip().isdigit():
        years = int(years.strip())
    if years not in YEARS:
        raise NastavnikError("срок ИОМ — 4 или 5 лет (002 §1.2: «долгосрочная (4-5 лет)»)", where="years")
    teacher = _member(session, organization, teacher_id, "teacher", "педагог")
    tutor = _member(session, organization, tutor_id, "tutor", "тьютор") if tutor_id is not None else None
    if tutor is not None and tutor.id == teacher.id:
        raise NastavnikError("тьютор сопровождает маршрут другого педагога: выберите не самого педагога", where="tutor")
    current = session.scalar(select(IomRoute).where(IomRoute.teacher_id == teacher.id, IomRoute.step < IOM_DONE))
    if current is not None:
        raise ConflictError(f"у педагога {teacher.full_name} уже есть незавершённый ИОМ № {current.id} "
                            f"({current.starts_on:%d.%m.%Y}–{current.ends_on:%d.%m.%Y})", where="teacher")
    today = organization_today(session, organization)
    route = IomRoute(organization_id=organization.id, teacher_id=teacher.id, tutor_id=tutor.id if tutor else None,
                     years=years, starts_on=today, ends_on=term_last_day(today, 12 * years), step=1,
                     created_by_id=actor.person_id)
    session.add(route)
    session.flush()
    record_audit(session, "iom.opened", actor=actor.person_id, obj=route, organization=organization.id,
                 details={"teacher": teacher.id, "tutor": route.tutor_id, "years": years})
    return route


def _member(session: Session, organization: Organization, person_id: Any, where: str, who: str) -> Person:
    person = session.get(Person, person_id) if isinstance(person_id, int) else None
    if person is None or person.organization_id != organization.id:
        raise NastavnikError(f"{who}: нет такого сотрудника организации «{organization.name}»", where=where)
    if not person.is_active:
        raise NastavnikError(f"{who}: {person.full_name} — доступ закрыт администратором", where=where)
    return person


def can_see(actor: Actor, route: IomRoute) -> bool:
    return actor.person_id in (route.teacher_id, route.tutor_id) or any(
        actor.has_role(route.organization_id, role) for role in SEEING_ROLES)


def route_for(session: Session, actor: Actor, route_id: int) -> IomRoute:
    """The route, if ``actor`` may see it (else PermissionDenied)."""
    route = session.get(IomRoute, route_id)
    if route is None:
        raise NotFound(f"нет индивидуального образовательного маршрута № {route_id}")
    if not can_see(actor, route):
        raise PermissionDenied(f"ИОМ № {route_id} видят педагог, его тьютор, куратор, руководитель и методист "
                               "организации")
    return route


def require_curator(actor: Actor, organization_id: int) -> None:
    actor.require(organization_id, Role.CURATOR, action="открыть индивидуальный образовательный маршрут")


def require_writer(session: Session, actor: Actor, route_id: int) -> IomRoute:
    """The route, if ``actor`` records its steps: its teacher or its tutor."""
    route = route_for(session, actor, route_id)
    if actor.person_id not in (route.teacher_id, route.tutor_id):
        raise PermissionDenied("шаги ИОМ записывают педагог и его тьютор")
    return route


def require_reviewer(session: Session, actor: Actor, route_id: int) -> IomRoute:
    """The route, if ``actor`` closes its yearly reviews: its tutor or the curator of its organization."""
    route = route_for(session, actor, route_id)
    if actor.person_id != route.tutor_id and not actor.has_role(route.organization_id, Role.CURATOR):
        raise PermissionDenied("ежегодный пересмотр ИОМ проводят тьютор педагога или куратор")
    return route


def record_step(session: Session, actor: Actor, route_id: int, number: Any, body: Any) -> IomStep:
    """The teacher or the tutor records step ``number`` of the route — only the step it is at (002 §4.2.2 lists
    the positions in order: a roadmap is not made before the diagnostics, the reflection not before the roadmap)."""
    route = require_writer(session, actor, route_id)
    number = int(number) if isinstance(number, str) and number.isdigit() else number
    step = spec(number) if isinstance(number, int) else spec(0)
    if route.step >= IOM_DONE:
        raise ConflictError(f"ИОМ № {route.id} завершён: все семь шагов записаны", where="step")
    if step.number < route.step:
        raise ConflictError(f"{step.heading} уже записан; маршрут — на шаге {route.step} «{spec(route.step).title}»",
                            where="step")
    if step.number > route.step:
        raise NastavnikError(f"{step.heading} — не по порядку: сначала шаг {route.step} «{spec(route.step).title}» "
                             "(алгоритм разработки ИОМ, 002 §4.2.2)", where="step")
    row = IomStep(route_id=route.id, step=step.number, body=checked_body(step, body), done_by_id=actor.person_id,
                  done_on=organization_today(session, route.organization))
    session.add(row)
    route.step = step.number + 1
    session.flush()
    record_audit(session, "iom.step_recorded", actor=actor.person_id, obj=route, organization=route.organization_id,
                 details={"step": step.number, "clause": step.clause})
    return row


def _months_limits(route: IomRoute) -> tuple[int, int]:
    return pack(route.organization.regulation).program_term_limits or (3, 12)  # 002 §1.2


def attach_program(session: Session, actor: Actor, route_id: int, program_id: Any, *, note: str | None = None,
                   ) -> IomProgram:
    """The curator attaches a personalized program of the route's teacher (as mentee) to the route; its term must
    lie within the regulation's limits (002 §1.2: от 3 месяцев до 1 года)."""
    route = route_for(session, actor, route_id)
    actor.require(route.organization_id, Role.CURATOR, action="прикрепить программу к ИОМ")
    program = session.get(Program, program_id) if isinstance(program_id, int) else None
    if program is None:
        raise NastavnikError(f"нет программы наставничества № {program_id}", where="program")
    group = session.get(MentoringGroup, program.group_id)
    mentees = {m.person_id for m in session.scalars(select(GroupMember).where(GroupMember.group_id == program.group_id))}
    if group is None or group.organization_id != route.organization_id or route.teacher_id not in mentees:
        raise NastavnikError(f"программа № {program.id} — не программа педагога {route.teacher.full_name} как "
                             "наставляемого в этой организации", where="program")
    low, high = _months_limits(route)
    if program.started_on and program.planned_end_on and not (
            term_last_day(program.started_on, low) <= program.planned_end_on <= term_last_day(program.started_on, high)):
        raise NastavnikError(f"программа № {program.id} длится с {program.started_on:%d.%m.%Y} по "
                             f"{program.planned_end_on:%d.%m.%Y}: персонализированная программа — от {low} до "
                             f"{high} месяцев (002 §1.2)", where="program")
    taken = session.scalar(select(IomProgram).where(IomProgram.program_id == program.id))
    if taken is not None:
        raise ConflictError(f"программа № {program.id} уже прикреплена к ИОМ № {taken.route_id}", where="program")
    text = (note or "").strip() or None
    if text and len(text) > 500:
        raise NastavnikError("примечание длиннее 500 символов", where="note")
    link = IomProgram(route_id=route.id, program_id=program.id, attached_by_id=actor.person_id,
                      attached_on=organization_today(session, route.organization), note=text)
    session.add(link)
    session.flush()
    record_audit(session, "iom.program_attached", actor=actor.person_id, obj=route, organization=route.organization_id,
                 details={"program": program.id})
    return link


def route_of_program(session: Session, program_id: int) -> IomRoute | None:
    """The route a program is attached to (the program's page links to it), or None."""
    link = session.scalar(select(IomProgram).where(IomProgram.program_id == program_id))
    return link.route if link else None


def visible_route_of_program(session: Session, actor: Actor, program_id: int) -> IomRoute | None:
    """The route the program is attached to, if ``actor`` may see it (the program's page links to it)."""
    route = route_of_program(session, program_id)
    return route if route is not None and can_see(actor, route) else None


def close_review(session: Session, actor: Actor, route_id: int, year: Any, *, conclusion: str,
                 corrections: str | None = None) -> IomReview:
    """The tutor (or the curator) closes the yearly review the worker opened: the conclusion of the year and the
    corrections of the route's roadmap (002 §4.2.2 (6): корректировка параллельно с реализацией)."""
    route = require_reviewer(session, actor, route_id)
    review = next((r for r in route.reviews if str(r.year) == str(year)), None)
    if review is None:
        raise NotFound(f"ежегодный пересмотр ИОМ № {route.id} за {year}-й год не открыт", where="year")
    if review.done_on is not None:
        raise ConflictError(f"пересмотр за {review.year}-й год уже проведён {review.done_on:%d.%m.%Y}", where="year")
    text = (conclusion or "").strip()
    if not text:
        raise NastavnikError("ежегодный пересмотр: напишите вывод о ходе маршрута за год", where="conclusion")
    changes = (corrections or "").strip() or None
    for field, value in (("conclusion", text), ("corrections", changes or "")):
        if len(value) > MAX_REVIEW_TEXT:
            raise NastavnikError(f"ежегодный пересмотр: текст длиннее {MAX_REVIEW_TEXT} символов", where=field)
    review.conclusion, review.corrections = text, changes
    review.done_on, review.done_by_id = organization_today(session, route.organization), actor.person_id
    session.flush()
    record_audit(session, "iom.review_closed", actor=actor.person_id, obj=route, organization=route.organization_id,
                 details={"year": review.year})
    return review


def review_due_on(route: IomRoute, year: int) -> date:
    """The anniversary closing the route's year ``year``."""
    return add_months(route.starts_on, 12 * year)


@dataclass(frozen=True)
class RouteLists:
    mine: list[IomRoute]  # as the teacher
    tutored: list[IomRoute]  # as the tutor
    organization: list[IomRoute]  # of the organizations the actor curates, heads or methodologically leads
    curated: list[int]  # the organizations where the actor may open routes (curator, regulation with a tutor)


def route_lists(session: Session, actor: Actor) -> RouteLists:
    mine = list(session.scalars(select(IomRoute).where(IomRoute.teacher_id == actor.person_id).order_by(IomRoute.id)))
    tutored = list(session.scalars(select(IomRoute).where(IomRoute.tutor_id == actor.person_id)
                                   .order_by(IomRoute.id)))
    seeing = {org for role in SEEING_ROLES for org in actor.organizations(role)}
    listed = list(session.scalars(select(IomRoute).where(IomRoute.organization_id.in_(seeing))
                                  .order_by(IomRoute.organization_id, IomRoute.id))) if seeing else []
    curated = sorted(org for org in actor.organizations(Role.CURATOR)
                     if (o := session.get(Organization, org)) is not None and tutor_label(o) is not None)
    return RouteLists(mine, tutored, listed, curated)


def step_titles() -> list[tuple[int, str, str]]:
    return [(n, s.title, s.clause) for n, s in sorted(BY_NUMBER.items())]
