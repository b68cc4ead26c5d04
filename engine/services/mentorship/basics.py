"""What the mentorship modules share (the mentee registry, mentor appointment, pair formation and proposals, and the
rooms above): the pack's mentor ruleset, the facts a ruleset reads, a process's start data, the organization and
its people looked up — in the organization, active, fit for its registries (003 §3.3)."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, joinedload

from engine.db.models import GroupMember, MentoringGroup, Organization, Person, Program
from engine.errors import NastavnikError, NotFound
from engine.forms import MAX_ID
from engine.regulations import pack_of
from engine.rules import default_registry
from engine.vocabulary import gendered


def mentor_ruleset(organization: Organization) -> str:
    """The ruleset that checks a mentor candidate under the organization's regulation pack."""
    ruleset = pack_of(organization).ruleset("mentor_eligibility")
    if ruleset is None:
        raise NastavnikError(f"положение «{pack_of(organization).title}» не задаёт требований к наставнику",
                             where="rulesets.mentor_eligibility")
    return ruleset


def start_data(organization: Organization) -> dict:
    """What every process of the organization starts with: its pack and the pack's rulesets by purpose."""
    return pack_of(organization).process_data()


def facts_for(ruleset_id: str, person: Person, on: date | None = None) -> dict:
    """The person's attributes that the ruleset reads (nothing else leaves the registry: 152-ФЗ); ``on``: the
    day the derived facts (the age) are computed for."""
    wanted = default_registry().get(ruleset_id).facts
    return {name: value for name, value in person.rule_facts(on).items() if name in wanted}


def person_by_id(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}")
    return person


_WITH_PEOPLE = (joinedload(Program.group).joinedload(MentoringGroup.mentor),
                joinedload(Program.group).joinedload(MentoringGroup.members).joinedload(GroupMember.person))


def program_with_people(session: Session, program_id: int) -> Program | None:
    """The program with its group, the group's mentor and its members with their persons — one statement: what a
    step's hooks read of a program (whose it is, the names its notices give, the mentor they tell)."""
    return session.get(Program, program_id, options=_WITH_PEOPLE)


def require_active(person: Person, *, where: str) -> Person:
    """The person, unless the administrator deactivated them: a deactivated person is offered for no new pair,
    appointment or registry entry (issue 12), naming the field."""
    if not person.is_active:
        raise NastavnikError(f"{person.full_name}: доступ закрыт администратором (деактивирован(а)) — "
                             "для новых пар, назначений и записей в базу не выбирается", where=where)
    return person


def belongs_to(person: Person, organization: Organization) -> bool:
    """The person works in the organization (or a unit under it) or holds a role in it."""
    chain, unit = set(), person.organization
    while unit is not None and unit.id not in chain:
        chain.add(unit.id)
        unit = unit.parent
    return organization.id in chain or any(r.organization_id == organization.id and r.active for r in person.roles)


def person_in_organization(session: Session, organization: Organization, person_id: int, *,
                           where: str) -> Person:
    """The person ``person_id`` of the organization; anyone else — of another organization or nobody — is
    refused without a word about them (their name is not the curator's to learn), naming the field."""
    person = session.get(Person, person_id) if 0 < person_id <= MAX_ID else None
    if person is None or not belongs_to(person, organization):
        raise NastavnikError(f"человек №{person_id} не найден в вашей организации", where=where)
    return person


def person_for_registry(session: Session, organization: Organization, person_id: int, *, where: str) -> Person:
    """A person the curator may enter in the organization's registries (the base of mentors or of mentees,
    003 §3.3): one who works in the organization or one under it, or holds a role in it, whose account is
    active and whose data are not anonymized. A person of another organization (or nobody) is refused by
    number only — their name is not the curator's to learn; a deactivated or anonymized one by name. Each
    refusal cites the clause by which the curator keeps her organization's registries (the pack's curator role)."""
    cited = pack_of(organization).roles.get("curator")
    clause = f" ({cited.clause})" if cited is not None and cited.clause else ""
    person = session.get(Person, person_id) if 0 < person_id <= MAX_ID else None
    if person is None or not belongs_to(person, organization):
        raise NastavnikError(f"человек №{person_id} не работает в «{organization.short_name or organization.name}» "
                             "или подчинённой ей организации и не имеет в ней роли: в базы наставников и "
                             f"наставляемых вносятся только её работники{clause}", where=where)
    if person.anonymized_at is not None:
        raise NastavnikError(f"{person.full_name}: данные обезличены по запросу (152-ФЗ) — в базы наставников и "
                             f"наставляемых не вносится{clause}", where=where)
    if not person.is_active:  # as ``require_active`` says it, with the clause
        state = gendered(person.full_name, "деактивирован", "деактивирована", "деактивирован(а)")
        raise NastavnikError(f"{person.full_name}: доступ закрыт администратором ({state}) — для новых пар, "
                             f"назначений и записей в базу не выбирается{clause}", where=where)
    return person


def organization_by_id(session: Session, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"нет организации с номером {organization_id}")
    return organization
