"""The curator's registries as XLSX (issue 15, item 4): every row the registry's search shows — the same
organizations, the same name search, the same order (``registries.*_conditions``, ``*_ORDER``) — not one page but
all of them, read by a few statements whatever the registry's length (no query per row). A sheet «Сведения» says
what was exported, when and by whom. Each person in the file is written to the access log (152-ФЗ), as the
registry's pages do, with the purpose «выгрузка реестра …»."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from engine.db.models import (
    APPOINTMENT_LIFECYCLE,
    GROUP_LIFECYCLE,
    MENTEE_LIFECYCLE,
    MENTORSHIP_FORM_LABELS,
    PROGRAM_LIFECYCLE,
    CompletionGround,
    Consent,
    GroupMember,
    Mentee,
    MentorAppointment,
    MentoringGroup,
    Order,
    Organization,
    Person,
    Program,
    log_shown,
)
from engine.db.models.mentorship import ConsentKind, GroupStatus
from engine.db.paging import ordered
from engine.documents import xlsx
from engine.documents.exported import ExportFile
from engine.errors import NastavnikError, NotFound
from engine.services.audit.history import GROUND_NAMES
from engine.services.curation import registries
from engine.services.curation.inbox import roadmap_options, stage_options
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today

TERM_NAMES = {"active": "срок действует", "ending": "срок истекает", "expired": "срок истёк",
              "released": "освобождён(а)", "pending": "ожидает приказа", "cancelled": "отменено"}


@dataclass(frozen=True)
class Registry:
    title: str  # the sheet's name
    file_stem: str  # «реестр-наставников»
    purpose: str  # the access log's purpose
    fields: tuple[str, ...]  # what of a person the file shows
    read: Callable[[Session, Actor, str, date | None], tuple[xlsx.Section, set[int]]]


def _workplace(short_name: str | None, name: str | None) -> str:
    return short_name or name or ""


def _mentors(session: Session, actor: Actor, query: str, today: date | None) -> tuple[xlsx.Section, set[int]]:
    person = aliased(Person)  # the shown person: the name search correlates on Person itself
    workplace = aliased(Organization)
    led = (select(MentoringGroup.mentor_id.label("person_id"), func.count().label("groups"))
           .where(MentoringGroup.status == GroupStatus.APPROVED.value).group_by(MentoringGroup.mentor_id).subquery())
    rows = session.execute(
        select(MentorAppointment.person_id, person.full_name, person.position, workplace.short_name, workplace.name,
               MentorAppointment.direction, Order.number, Order.issued_on, MentorAppointment.starts_on,
               MentorAppointment.ends_on, MentorAppointment.status, MentorAppointment.released_on,
               MentorAppointment.organization_id, func.coalesce(led.c.groups, 0))
        .join(person, person.id == MentorAppointment.person_id)
        .outerjoin(workplace, workplace.id == person.organization_id)
        .outerjoin(Order, Order.id == MentorAppointment.order_id)
        .outerjoin(led, led.c.person_id == MentorAppointment.person_id)
        .where(*registries.mentor_conditions(actor, query))
        .order_by(*ordered(registries.MENTOR_ORDER))).all()
    days = _local_days(session, {row[12] for row in rows}, today)
    table = []
    for (_person_id, name, position, short, full, direction, number, issued, starts, ends, status, released,
         organization_id, groups) in rows:
        state, days_left = registries.term_of(status, released, ends, days[organization_id])
        table.append([name, _workplace(short, full), position or "", direction or "", number or "", issued,
                      starts, ends, TERM_NAMES.get(state, APPOINTMENT_LIFECYCLE.label(state)), days_left, int(groups)])
    headings = ("ФИО наставника", "Место работы", "Должность", "Направление", "Приказ №", "Дата приказа",
                "Начало срока полномочий", "Окончание срока полномочий", "Состояние", "Дней до окончания срока",
                "Пар (групп) ведёт")
    return xlsx.Section("Наставники", headings, table), {row[0] for row in rows}


def _local_days(session: Session, organization_ids: set[int], today: date | None) -> dict[int, date]:
    """Each organization's local «today» (a term is counted on its organization's day), one query for them all."""
    if today is not None:
        return dict.fromkeys(organization_ids, today)
    found = session.scalars(select(Organization).where(Organization.id.in_(sorted(organization_ids)))).all()
    return {organization.id: organization_today(session, organization) for organization in found}


def _mentees(session: Session, actor: Actor, query: str, _today: date | None) -> tuple[xlsx.Section, set[int]]:
    person = aliased(Person)  # the shown person: the name search correlates on Person itself
    workplace = aliased(Organization)
    rows = session.execute(
        select(Mentee.person_id, person.full_name, person.position, workplace.short_name, workplace.name,
               Mentee.category, Mentee.direction, Mentee.registered_on, Mentee.status)
        .join(person, person.id == Mentee.person_id)
        .outerjoin(workplace, workplace.id == person.organization_id)
        .where(*registries.mentee_conditions(actor, query))
        .order_by(*ordered(registries.MENTEE_ORDER))).all()
    categories = registries.category_labels()
    table = [[name, _workplace(short, full), position or "", categories.get(category, category), direction or "",
              registered, MENTEE_LIFECYCLE.label(status)]
             for _id, name, position, short, full, category, direction, registered, status in rows]
    headings = ("ФИО наставляемого", "Место работы", "Должность", "Категория (003 §3.6.1)", "Направление",
                "В базе с", "Состояние")
    return xlsx.Section("Наставляемые", headings, table), {row[0] for row in rows}


@dataclass
class _Members:
    names: dict[int, list[str]]  # group id -> current (and departed, marked) members' names
    current: dict[int, list[int]]  # group id -> person ids of the members who have not left
    people: set[int]


def _members(session: Session, groups) -> _Members:
    found = _Members(defaultdict(list), defaultdict(list), set())
    person = aliased(Person)
    for group_id, person_id, name, left_on in session.execute(
            select(GroupMember.group_id, GroupMember.person_id, person.full_name, GroupMember.left_on)
            .join(person, person.id == GroupMember.person_id)
            .where(GroupMember.group_id.in_(groups)).order_by(GroupMember.group_id, GroupMember.id)):
        found.names[group_id].append(name if left_on is None else f"{name} (выбыл(а) {left_on:%d.%m.%Y})")
        if left_on is None:
            found.current[group_id].append(person_id)
        found.people.add(person_id)
    return found


def _groups(session: Session, actor: Actor, query: str, _today: date | None) -> tuple[xlsx.Section, set[int]]:
    person = aliased(Person)  # the shown person: the name search correlates on Person itself
    scope = registries.group_conditions(actor, query)
    workplace = aliased(Organization)
    rows = session.execute(
        select(MentoringGroup.id, MentoringGroup.mentor_id, person.full_name, workplace.short_name, workplace.name,
               MentoringGroup.mentor_released_on, MentoringGroup.form, MentoringGroup.roadmap_id,
               MentoringGroup.status, Order.number, Order.issued_on)
        .join(person, person.id == MentoringGroup.mentor_id)
        .outerjoin(workplace, workplace.id == person.organization_id)
        .outerjoin(Order, Order.id == MentoringGroup.order_id)
        .where(*scope).order_by(*ordered(registries.GROUP_ORDER))).all()
    in_scope = select(MentoringGroup.id).where(*scope)
    members = _members(session, in_scope)
    consented: dict[int | None, set[int]] = defaultdict(set)
    for group_id, person_id in session.execute(select(Consent.group_id, Consent.person_id).where(
            Consent.group_id.in_(in_scope), Consent.kind == ConsentKind.PARTICIPATION.value,
            Consent.withdrawn_at.is_(None))):
        consented[group_id].add(person_id)
    programs: dict[int, list[str]] = defaultdict(list)
    for group_id, program_id in session.execute(select(Program.group_id, Program.id).where(
            Program.group_id.in_(in_scope)).order_by(Program.id)):
        programs[group_id].append(f"№{program_id}")
    roadmaps = dict(roadmap_options())
    table = []
    for group_id, mentor_id, mentor, short, full, released, form, roadmap_id, status, number, issued in rows:
        participants = ([] if released is not None else [mentor_id]) + members.current[group_id]
        missing = len([p for p in participants if p not in consented[group_id]])
        table.append([group_id, mentor, _workplace(short, full), "; ".join(members.names[group_id]),
                      len(members.current[group_id]), MENTORSHIP_FORM_LABELS.get(form, form),  # type: ignore[call-overload]
                      roadmaps.get(roadmap_id, roadmap_id), len(consented[group_id]), missing, number or "", issued,
                      GROUP_LIFECYCLE.label(status), ", ".join(programs[group_id])])
    headings = ("№ пары (группы)", "Наставник", "Место работы наставника", "Наставляемые", "Число наставляемых",
                "Форма наставничества", "Модель (дорожная карта)", "Согласий на участие (003 §6.2)",
                "Нет согласия у участников", "Приказ №", "Дата приказа", "Состояние", "Программы")
    return xlsx.Section("Пары и группы", headings, table), {row[1] for row in rows} | members.people


def _ground(ground: str | None) -> str:
    try:
        value = CompletionGround(ground or "")
    except ValueError:
        return ground or ""
    return f"{GROUND_NAMES[value]} ({value.clause})"


def _programs(session: Session, actor: Actor, query: str, _today: date | None) -> tuple[xlsx.Section, set[int]]:
    person = aliased(Person)  # the shown person: the name search correlates on Person itself
    scope = registries.group_conditions(actor, query)
    rows = session.execute(
        select(Program.id, Program.group_id, MentoringGroup.mentor_id, person.full_name, Program.roadmap_id,
               Program.current_stage_id, Program.started_on, Program.planned_end_on, Program.completed_on,
               Program.status, Program.completion_ground)
        .join(MentoringGroup, MentoringGroup.id == Program.group_id)
        .join(person, person.id == MentoringGroup.mentor_id)
        .where(*scope).order_by(*ordered(registries.PROGRAM_ORDER))).all()
    members = _members(session, select(MentoringGroup.id).where(*scope))
    roadmaps, stages = dict(roadmap_options()), dict(stage_options())
    table = []
    for program_id, group_id, _mentor_id, mentor, roadmap_id, stage_id, started, planned, completed, status, ground \
            in rows:
        running = status in ("active", "extended")
        table.append([program_id, mentor, "; ".join(members.names[group_id]), roadmaps.get(roadmap_id, roadmap_id),
                      stages.get(stage_id, stage_id) if running and stage_id else "", started, planned, completed,
                      PROGRAM_LIFECYCLE.label(status), _ground(ground)])
    headings = ("Программа №", "Наставник", "Наставляемые", "Модель (дорожная карта)", "Текущий этап", "Начало",
                "Плановое окончание", "Дата завершения", "Состояние", "Основание завершения (003 §7.1)")
    return xlsx.Section("Программы", headings, table), {row[2] for row in rows} | members.people


REGISTRIES: dict[str, Registry] = {
    "mentors": Registry("Наставники", "реестр-наставников", "выгрузка реестра наставников",
                        ("full_name", "position", "organization", "appointment"), _mentors),
    "mentees": Registry("Наставляемые", "реестр-наставляемых", "выгрузка реестра наставляемых",
                        ("full_name", "position", "organization", "category"), _mentees),
    "pairs": Registry("Пары и группы", "реестр-пар-и-групп", "выгрузка реестра пар и групп",
                      ("full_name", "organization", "consent"), _groups),
    "programs": Registry("Программы", "реестр-программ", "выгрузка реестра программ",
                         ("full_name", "program"), _programs),
}


def about_section(session: Session, actor: Actor, what: str, lines: Sequence[tuple[str, object]]) -> xlsx.Section:
    """The sheet «Сведения»: what the file holds, for which organizations, made when and by whom."""
    organizations = session.scalars(select(Organization).where(
        Organization.id.in_(registries.curator_organizations(actor))).order_by(Organization.id)).all()
    rows: list[list[object]] = [["Содержание", what], ["Организации", "; ".join(o.short_name or o.name for o in organizations)],
            *([label, value] for label, value in lines),
            ["Выгрузил(а)", actor.full_name or actor.login]]
    return xlsx.Section("Сведения", ("Реквизит", "Значение"), rows)


def export_registry(session: Session, actor: Actor, name: str, *, query: str = "",
                    today: date | None = None) -> ExportFile:
    """The registry ``name`` (``REGISTRIES``) as an XLSX file: every row its search ``query`` finds for ``actor``
    (a curator: PermissionDenied otherwise). The people in it are logged; the caller commits."""
    registry = REGISTRIES.get(name)
    if registry is None:
        raise NotFound(f"нет реестра «{name}»")
    day = today or registries.curator_today(session, actor)
    query = " ".join(query.split())[:200]
    section, people = registry.read(session, actor, query, today)
    about = about_section(session, actor, f"Реестр: {registry.title.lower()} (003 §3.3)", [
        ("Поиск по ФИО", query or "без отбора"), ("Дата выгрузки", day), ("Строк", len(section.rows))])
    try:
        data = xlsx.workbook([section, about], title=f"Реестр: {registry.title.lower()}",
                             author=actor.full_name or actor.login)
    except xlsx.TooManyRows:
        raise NastavnikError(f"в реестре больше {xlsx.MAX_ROWS} строк — больше, чем вмещает лист Excel: "
                             "сузьте поиск") from None
    # one entry per person in the file, as ORM rows: each joins the access log's tamper chain (engine.db.chain)
    log_shown(session, sorted(people), registry.purpose, viewer=actor.person_id, fields=list(registry.fields))
    return ExportFile(data, f"{registry.file_stem}-{day.isoformat()}.xlsx", rows=len(section.rows))
