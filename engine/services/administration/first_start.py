"""The first start of a real installation (issue 12): on an empty database, the root organization (a department
with its regulation, or a single school) and its first administrator, who logs in and builds the rest — schools,
people, roles — in the administration pages; the shipped processes (``workflows/*.bpmn``: mentor appointment, pair
formation, the program…) are deployed with them, or the curator's first proposal would find no process to start.
Never on a database that already has organizations."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.db.models import Organization, Person, Role, record_audit
from engine.errors import ConflictError, NastavnikError, ProblemsError
from engine.services.administration.organizations import new_organization
from engine.services.mentorship.records import grant_role
from engine.services.people.accounts import set_password
from engine.services.people.actor import SYSTEM
from engine.services.people.person_fields import BASE_FIELDS, parse_values
from engine.services.people.person_records import check_login, create_person
from engine.services.process.definitions import deploy_shipped

MIN_PASSWORD = 8


class AdministratorDataError(ProblemsError):
    """The first administrator's data refused: ``problems`` names every field."""

    when_none = "данные администратора не приняты"


@dataclass(frozen=True)
class Installation:
    organization: Organization
    administrator: Person
    processes: tuple[str, ...] = ()  # the shipped processes deployed (their ids)


def is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(Organization))


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise NastavnikError(f"пароль администратора: не короче {MIN_PASSWORD} символов")
    return password


def initialize(session: Session, organization_data: Mapping[str, Any], admin_data: Mapping[str, Any],
               password: str) -> Installation:
    """The root organization from ``organization_data`` (name, short_name, kind, regulation, inn, ogrn,
    document_settings) and its first administrator from ``admin_data`` (full_name, login, email, position,
    phone): active, with ``password`` and the administrator's role; the shipped processes deployed (unchanged
    files are not deployed again). The caller commits."""
    if not is_empty(session):
        names = ", ".join(session.scalars(select(Organization.name).where(Organization.parent_id.is_(None))
                                          .order_by(Organization.id).limit(3)))
        raise ConflictError(f"в базе данных уже есть организации ({names}): первый запуск выполняется только на "
                            "пустой базе; администраторы уже работают в разделе «Администрирование»")
    check_password(password)
    raw = {key: value for key, value in admin_data.items() if key != "login"}
    values, problems = parse_values(BASE_FIELDS, raw, text=False)
    if problems:
        raise AdministratorDataError(problems, where="admin")
    login = check_login(session, str(admin_data["login"])) if admin_data.get("login") else None
    organization = new_organization(session, organization_data, parent=None, actor=SYSTEM)
    administrator = create_person(session, organization, BASE_FIELDS, values, actor=SYSTEM, login=login)
    set_password(administrator, password)
    grant_role(session, administrator.id, organization.id, Role.ADMIN)
    processes = tuple(definition.process_id for definition in deploy_shipped(session))
    session.flush()
    record_audit(session, "installation.initialized", object_type="organization", object_id=organization.id,
                 organization=organization.id, details={"administrator": administrator.login,
                                                        "processes": list(processes)})
    return Installation(organization, administrator, processes)
