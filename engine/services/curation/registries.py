"""The curator's registries (003 §3.3): mentors with their term (003 §3.4), mentees with their category
and its explanation (003 §3.6.1), pairs/groups and programs — only the curator's organizations' rows,
searched by name and cut into pages. Showing a page of a registry is logged per person (152-ФЗ)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, exists, func, literal, or_, select
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from engine.db import paging
from engine.db.models import (
    Consent,
    GroupMember,
    Mentee,
    MentorAppointment,
    MentoringGroup,
    Order,
    Organization,
    Person,
    Program,
    Role,
    log_access,
    log_shown,
)
from engine.db.models.mentorship import AppointmentStatus, ConsentKind, MenteeStatus
from engine.db.paging import Counted, PageOf, count_up_to, paginate
from engine.errors import NotFound, PermissionDenied
from engine.regulations import pack_of, shipped_packs
from engine.rules import default_registry
from engine.rules.facts import display
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today

ROLE = Role.CURATOR
TERM_WARNING_DAYS = 30  # a term ending within this many days is highlighted (the reminder, 003 §3.4)
T = TypeVar("T")
ORDER_HEADING = (defer(Order.body), defer(Order.document_signature))  # a row names its order, never reads its text


@dataclass
class Page(Generic[T]):
    rows: list[T]
    total: int  # exact unless ``more``: then the registry has more than ``total`` rows
    page: int  # from 1; negative when counted from the end (-1: the last page)
    pages: int
    more: bool = False

    @classmethod
    def of(cls, found: PageOf, rows: list[T] | None = None) -> Page[T]:
        return cls(found.rows if rows is None else rows, found.total, found.page, found.pages, found.more)


@dataclass
class MentorRow:
    appointment: MentorAppointment
    term_state: str  # 'active' | 'ending' (within TERM_WARNING_DAYS) | 'expired' | 'released' | 'pending' | 'cancelled'
    days_left: int | None
    groups: int  # approved pairs/groups the mentor leads now


def curator_organizations(actor: Actor) -> list[int]:
    organizations = sorted(actor.organizations(ROLE))
    if not organizations:
        raise PermissionDenied(f"{actor.full_name or actor.login}: реестры ведёт куратор (003 §3.3)")
    return organizations


def name_patterns(query: str) -> list[str]:
    """LIKE patterns for a name search. SQLite folds only ASCII case, so the usual spellings of a
    Cyrillic name (as typed, lower, Capitalised, Title Case, UPPER) are tried; PostgreSQL's ILIKE folds all."""
    text = " ".join(query.split())[:200]
    if not text:
        return []
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    variants = dict.fromkeys([escaped, escaped.lower(), escaped.capitalize(), escaped.title(), escaped.upper()])
    return [f"%{v}%" for v in variants]


def _name_matches(person_id_column, patterns: list[str]):
    return exists().where(Person.id == person_id_column,
                          or_(*(Person.full_name.ilike(p, escape="\\") for p in patterns)))


def mentor_conditions(actor: Actor, query: str = "") -> list[ColumnElement[bool]]:
    """What the mentor registry shows: the curator's organizations' appointments, the mentor's name searched."""
    conditions: list[ColumnElement[bool]] = [MentorAppointment.organization_id.in_(curator_organizations(actor))]
    pattern = name_patterns(query)
    if pattern:
        conditions.append(_name_matches(MentorAppointment.person_id, pattern))
    return conditions


def mentee_conditions(actor: Actor, query: str = "") -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Mentee.organization_id.in_(curator_organizations(actor))]
    pattern = name_patterns(query)
    if pattern:
        conditions.append(_name_matches(Mentee.person_id, pattern))
    return conditions


def group_conditions(actor: Actor, query: str = "") -> list[ColumnElement[bool]]:
    """Pairs and groups (and, joined to them, programs) of the curator's organizations, the mentor's or a
    mentee's name searched."""
    conditions: list[ColumnElement[bool]] = [MentoringGroup.organization_id.in_(curator_organizations(actor))]
    pattern = name_patterns(query)
    if pattern:
        conditions.append(_group_name_matches(pattern))
    return conditions


MENTOR_ORDER = ((MentorAppointment.status != literal(AppointmentStatus.ACTIVE.value, literal_execute=True), False),
                (MentorAppointment.ends_on, False), (MentorAppointment.id, False))  # ix_mentor_appointments_registry
MENTEE_ORDER = ((Mentee.status != literal(MenteeStatus.WAITING.value, literal_execute=True), False),
                (Mentee.registered_on, True), (Mentee.id, True))  # the index ix_mentees_registry
GROUP_ORDER = ((MentoringGroup.id, True),)
PROGRAM_ORDER = ((Program.id, True),)


def term_state(appointment: MentorAppointment, today: date) -> tuple[str, int | None]:
    return term_of(appointment.status, appointment.released_on, appointment.ends_on, today)


def term_of(status: str, released_on: date | None, ends_on: date, today: date) -> tuple[str, int | None]:
    """(state, days left) of an appointment's term on ``today`` (``MentorRow.term_state``)."""
    if status in (AppointmentStatus.PENDING, AppointmentStatus.CANCELLED):
        return status, None
    if status == AppointmentStatus.RELEASED and released_on and released_on <= today:
        return "released", None
    days_left = (ends_on - today).days
    if days_left < 0:
        return "expired", days_left
    if days_left <= TERM_WARNING_DAYS:
        return "ending", days_left
    return "active", days_left


def mentors(session: Session, actor: Actor, *, query: str = "", page: int = 1, size: int = 25,
            today: date | None = None) -> Page[MentorRow]:
    """Mentor appointments (база наставников), the terms ending soonest first; released and
    cancelled ones after those in force."""
    stmt = (select(MentorAppointment).where(*mentor_conditions(actor, query))
            .options(joinedload(MentorAppointment.person).joinedload(Person.organization),
                     joinedload(MentorAppointment.order).options(*ORDER_HEADING), joinedload(MentorAppointment.organization)))
    found = paginate(session, stmt, page, size, order=MENTOR_ORDER)
    appointments = found.rows
    led = dict(session.execute(
        select(MentoringGroup.mentor_id, func.count()).where(
            MentoringGroup.mentor_id.in_([a.person_id for a in appointments]),
            MentoringGroup.status == "approved").group_by(MentoringGroup.mentor_id)).all()) if appointments else {}
    days = {oid: today or organization_today(session, organization)  # each term on its organization's local day
            for oid, organization in {a.organization_id: a.organization for a in appointments}.items()}
    rows = [MentorRow(a, *term_state(a, days[a.organization_id]), led.get(a.person_id, 0)) for a in appointments]
    log_shown(session, [a.person for a in appointments], "реестр наставников", viewer=actor.person_id,
              fields=["full_name", "position", "organization", "appointment"])
    return Page.of(found, rows)


def mentees(session: Session, actor: Actor, *, query: str = "", page: int = 1, size: int = 25) -> Page[Mentee]:
    """The mentee registry (база наставляемых) with each entry's category decision."""
    stmt = (select(Mentee).where(*mentee_conditions(actor, query))
            .options(joinedload(Mentee.person).joinedload(Person.organization)))
    found = paginate(session, stmt, page, size, order=MENTEE_ORDER)
    rows = found.rows
    log_shown(session, [m.person for m in rows], "реестр наставляемых", viewer=actor.person_id,
              fields=["full_name", "position", "organization", "category"])
    return Page.of(found)


def _group_load():
    return (joinedload(MentoringGroup.mentor).joinedload(Person.organization),
            selectinload(MentoringGroup.members).joinedload(GroupMember.person).joinedload(Person.organization),
            selectinload(MentoringGroup.consents), joinedload(MentoringGroup.order).options(*ORDER_HEADING),
            selectinload(MentoringGroup.programs))


def _group_name_matches(pattern: list[str]):
    member = select(GroupMember.group_id).join(Person, Person.id == GroupMember.person_id).where(
        or_(*(Person.full_name.ilike(p, escape="\\") for p in pattern)))
    return or_(_name_matches(MentoringGroup.mentor_id, pattern), MentoringGroup.id.in_(member))


def groups(session: Session, actor: Actor, *, query: str = "", page: int = 1, size: int = 25) -> Page[MentoringGroup]:
    """Pairs and groups: mentor, mentees, form, roadmap, status, consents (003 §6.2), order (003 §3.2)."""
    stmt = select(MentoringGroup).where(*group_conditions(actor, query)).options(*_group_load())
    found = paginate(session, stmt, page, size, order=GROUP_ORDER)
    rows = found.rows
    log_shown(session, [p for g in rows for p in [g.mentor, *(m.person for m in g.members)]], "реестр пар и групп",
              viewer=actor.person_id, fields=["full_name", "organization", "consent"])
    return Page.of(found)


def programs(session: Session, actor: Actor, *, query: str = "", page: int = 1, size: int = 25) -> Page[Program]:
    """Personalized programs (реестр ППН): status, current stage, planned end."""
    stmt = (select(Program).join(MentoringGroup).where(*group_conditions(actor, query))
            .options(joinedload(Program.group).options(*_group_load())))
    found = paginate(session, stmt, page, size, order=PROGRAM_ORDER)
    rows = found.rows
    log_shown(session, [p for pr in rows for p in [pr.group.mentor, *(m.person for m in pr.group.members)]],
              "реестр программ", viewer=actor.person_id, fields=["full_name", "program"])
    return Page.of(found)


def participation_consents(group: MentoringGroup) -> list[Consent]:
    return [c for c in group.consents if c.kind == ConsentKind.PARTICIPATION and c.withdrawn_at is None]


def curator_today(session: Session, actor: Actor) -> date:
    """«Today» of the curator's (first) organization: the day the registries count on."""
    return organization_today(session, session.get(Organization, curator_organizations(actor)[0]))


def counts(session: Session, actor: Actor, *, today: date | None = None) -> dict[str, Counted]:
    """Sizes of each registry and the terms ending within TERM_WARNING_DAYS (the index page), each counted up to
    ``LIST_BOUND``, as the registries' own pages («более 1 000» beyond: the page costs the same in a department of
    any size)."""
    organizations = curator_organizations(actor)
    today = today or curator_today(session, actor)
    in_force = (MentorAppointment.organization_id.in_(organizations),
                MentorAppointment.status == AppointmentStatus.ACTIVE.value, MentorAppointment.ends_on >= today)
    mentees = Mentee.organization_id.in_(organizations)
    statements = {
        "mentors": select(MentorAppointment.id).where(*in_force),
        "ending": select(MentorAppointment.id).where(
            *in_force, MentorAppointment.ends_on <= today + timedelta(days=TERM_WARNING_DAYS)),
        "mentees": select(Mentee.id).where(mentees),
        "waiting": select(Mentee.id).where(mentees, Mentee.status == MenteeStatus.WAITING.value),
        "groups": select(MentoringGroup.id).where(MentoringGroup.organization_id.in_(organizations)),
        "programs": select(Program.id).join(MentoringGroup).where(MentoringGroup.organization_id.in_(organizations)),
    }
    return {name: count_up_to(session, stmt, paging.LIST_BOUND) for name, stmt in statements.items()}


def person_card(session: Session, actor: Actor, person_id: int) -> dict:
    """One person as the registries know them: rule facts, appointments, mentee entries, groups.
    Only people of the curator's organizations (a role, an appointment, an entry or a workplace there)."""
    organizations = curator_organizations(actor)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}")
    appointments = list(session.scalars(select(MentorAppointment).where(
        MentorAppointment.person_id == person_id, MentorAppointment.organization_id.in_(organizations))
        .order_by(MentorAppointment.starts_on.desc())))
    entries = list(session.scalars(select(Mentee).where(
        Mentee.person_id == person_id, Mentee.organization_id.in_(organizations)).order_by(Mentee.id.desc())))
    member = select(GroupMember.group_id).where(GroupMember.person_id == person_id)
    led_or_member = list(session.scalars(select(MentoringGroup).where(
        MentoringGroup.organization_id.in_(organizations),
        or_(MentoringGroup.mentor_id == person_id, MentoringGroup.id.in_(member)))
        .options(*_group_load()).order_by(MentoringGroup.id.desc())))
    workplace = person.organization
    ours = (appointments or entries or led_or_member
            or any(actor.has_role(o, ROLE) for o in _org_chain(workplace))
            or any(r.organization_id in organizations for r in person.roles))
    if not ours:
        raise PermissionDenied(f"{actor.full_name or actor.login}: {person.full_name} "
                               "не относится к вашим организациям")
    log_access(session, person, "карточка в реестре", viewer=actor.person_id,
               fields=["full_name", "position", "organization", "rule_facts", "appointments", "mentee", "groups"])
    facts = person.rule_facts()
    read = facts_read_at(workplace)
    rows = [row for row in fact_rows(facts) if read is None or row.name in read or row.value is not None]
    states = {a.id: term_state(a, organization_today(session, a.organization)) for a in appointments}
    return {"person": person, "facts": facts, "fact_rows": rows, "appointments": appointments,
            "term_states": states, "mentee_entries": entries, "groups": led_or_member}


@dataclass(frozen=True)
class FactRow:
    name: str
    label: str  # the rule files' label (the pages may prefer their own, with the clause)
    value: object
    shown: str  # as a person reads it: «региональный», «победитель», «да», «12 лет», «нет данных»


def fact_rows(facts: dict[str, object]) -> list[FactRow]:
    """A person's rule facts as the rule files name and show them (engine.rules: one vocabulary of facts)."""
    registry = default_registry()
    rows = []
    for name, value in facts.items():
        fact = registry.fact(name)
        rows.append(FactRow(name, fact.label if fact else name, value, display(fact, value)))
    return rows


def facts_read_at(organization: Organization | None) -> set[str] | None:
    """The facts the rule files of the organization's regulation pack read (None: no pack, every fact counts):
    the card of a Tomsk head lists what 003's rules need, not the network mentoring facts of 004 as «нет
    данных» (a fact with a value stays, whichever pack reads it)."""
    try:
        pack = pack_of(organization) if organization is not None else None
    except NotFound:
        pack = None
    if pack is None:
        return None
    registry = default_registry()
    running = set(registry.ids())
    return {name for ruleset_id in pack.rulesets.values() if ruleset_id in running
            for name in registry.get(ruleset_id).facts}


def _org_chain(organization: Organization | None) -> list[int]:
    chain = []
    while organization is not None and organization.id not in chain:
        chain.append(organization.id)
        organization = organization.parent
    return chain


def category_labels() -> dict[str, str]:
    """Mentee category id → «label (clause)», from every regulation pack (categories are the packs' data)."""
    return {category.id: f"{category.label} ({category.clause})"
            for pack in shipped_packs().values() for category in pack.mentee_categories}
