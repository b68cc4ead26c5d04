"""A department starts on an empty database: its organization and first administrator, who can log in; the same
start on a database that already has organizations is refused and changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.db.models import Organization, Person, latest_definition
from engine.errors import ConflictError, NastavnikError
from engine.services.administration import first_start
from engine.services.administration.organization_details import OrganizationDataError
from engine.services.people.accounts import authenticate
from engine.services.people.actor import administered_organizations, load_actor
from engine.services.process.definitions import WORKFLOWS_DIRECTORY
from tests import factories as f

DEPARTMENT = {"name": "Департамент образования администрации Города Томска", "short_name": "ДО г. Томска",
              "kind": "department", "regulation": "tomsk"}
ADMIN = {"full_name": "Администраторова Анна Петровна", "login": "anna", "email": "anna@example.ru"}


def test_an_empty_database_gets_its_department_and_administrator(db_session):
    made = first_start.initialize(db_session, DEPARTMENT, ADMIN, "Надёжный-пароль-1")
    db_session.commit()
    assert made.organization.parent_id is None and made.organization.regulation == "tomsk"
    person = authenticate(db_session, "anna", "Надёжный-пароль-1")
    assert person is not None and person.email == "anna@example.ru" and person.organization_id == made.organization.id
    assert administered_organizations(db_session, load_actor(db_session, "anna")) == {made.organization.id}


def test_a_single_school_may_be_the_root(db_session):
    made = first_start.initialize(db_session, {"name": "МАОУ Кунарская СОШ", "kind": "school", "regulation": "school"},
                                  {"full_name": "Иванов Иван Иванович"}, "пароль-школы")
    assert made.organization.kind == "school" and made.administrator.login == "ivanov.ii"


def test_a_database_with_organizations_is_refused(db_session):
    f.make_department(db_session, name="Уже работающий департамент")
    with pytest.raises(ConflictError, match="Уже работающий департамент"):
        first_start.initialize(db_session, DEPARTMENT, ADMIN, "Надёжный-пароль-1")
    assert db_session.scalar(select(func.count()).select_from(Person)) == 0


def test_bad_data_is_named(db_session):
    with pytest.raises(NastavnikError, match="не короче 8"):
        first_start.initialize(db_session, DEPARTMENT, ADMIN, "short")
    with pytest.raises(OrganizationDataError) as raised:
        first_start.initialize(db_session, {**DEPARTMENT, "kind": "kindergarten"}, ADMIN, "Надёжный-пароль-1")
    assert raised.value.problems[0].field == "kind"
    with pytest.raises(first_start.AdministratorDataError, match="ФИО"):
        first_start.initialize(db_session, DEPARTMENT, {"login": "x1"}, "Надёжный-пароль-1")
    with pytest.raises(ConflictError, match="логин"):
        first_start.initialize(db_session, DEPARTMENT, {**ADMIN, "login": "Плохой логин"}, "Надёжный-пароль-1")
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(Organization)) == 0


def test_the_shipped_processes_come_with_the_first_start(db_session):
    """Without them the curator's first proposal of a mentor found «процесс не загружен» (a real start, no demo)."""
    made = first_start.initialize(db_session, DEPARTMENT, ADMIN, "Надёжный-пароль-1")
    shipped = {path.stem for path in WORKFLOWS_DIRECTORY.glob("*.bpmn")}
    assert set(made.processes) == shipped and {"mentor_appointment", "pair_formation", "program_lifecycle"} <= shipped
    for process_id in shipped:
        assert latest_definition(db_session, process_id, made.organization.id) is not None, process_id
