"""The person's fields come from the rule files: typed, labelled, audited old → new; administrators' reach."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import AuditEntry, Organization
from engine.errors import PermissionDenied
from engine.services.people.actor import administered_organizations, load_actor, require_admin
from engine.services.people.person_fields import parse_values, person_fields
from engine.services.people.person_records import create_person, login_base
from tests import factories as f


def _tomsk(session) -> Organization:
    return f.make_department(session, regulation="tomsk")


def test_fields_are_the_rule_files_facts(db_session):
    session = db_session
    fields = {item.name: item for item in person_fields(_tomsk(db_session))}
    assert fields["full_name"].required
    years = fields["years_as_head"]
    assert years.kind == "number" and years.fact is not None and years.fact.maximum == 70
    assert "Стаж" in years.label
    assert fields["contest_level"].values["regional"] == "региональный"
    # a fact two rule files read is one field; the bonus file's facts describe work, not a person
    assert fields["efficiency_percent"].rulesets == ("mentor_eligibility_tomsk", "mentee_category_tomsk")
    assert "mentee_count" not in fields and "category" not in fields
    school = f.make_department(session, regulation="school")
    school_fields = {item.name for item in person_fields(school)}
    assert "birth_date" in school_fields and "age_years" not in school_fields  # 001 §1.1: the age is computed


def test_text_values_are_typed_and_problems_named(db_session):
    fields = person_fields(_tomsk(db_session))
    values, problems = parse_values(fields, {"full_name": " Иванова  Анна ", "years_as_head": "пять",
                                             "efficiency_percent": "85,5", "contest_level": "Региональный",
                                             "has_mentorship_certificate": "да", "email": "A@B.RU",
                                             "unknown": "x"}, text=True)
    assert values["full_name"] == "Иванова Анна" and values["efficiency_percent"] == 85.5
    assert values["contest_level"] == "regional" and values["has_mentorship_certificate"] is True
    assert values["email"] == "a@b.ru"
    shown = sorted(str(p) for p in problems)
    assert any("«пять» — не число" in text for text in shown), shown
    assert any("unknown" in text and "такого поля нет" in text for text in shown)
    _, problems = parse_values(fields, {"years_as_head": "200"}, text=True, partial=True)
    assert "вне допустимого диапазона" in problems[0].message
    _, problems = parse_values(fields, {"position": "Учитель"}, text=True)
    assert [p.field for p in problems] == ["full_name"]


def test_a_new_person_is_audited_with_old_and_new(db_session):
    session = db_session
    department = _tomsk(db_session)
    admin = f.make_person(db_session)
    f.make_role(session, admin, department, "admin")
    session.commit()
    actor = load_actor(session, admin.login)
    fields = person_fields(department)
    values, problems = parse_values(fields, {"full_name": "Петров Пётр Петрович", "years_as_head": "6"}, text=True)
    assert problems == []
    person = create_person(session, department, fields, values, actor=actor)
    session.commit()
    assert person.login == "petrov.pp" and person.years_as_head == 6
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "person.changed",
                                                     AuditEntry.object_id == str(person.id))).one()
    changed = {c["field"]: (c["old"], c["new"]) for c in entry.details["changes"]}
    assert changed["years_as_head"] == ("—", "6 лет")
    assert login_base({"email": "Ivanova@school.ru"}) == "ivanova"
    second = create_person(session, department, fields, values, actor=actor)
    assert second.login == "petrov.pp2"


def test_administrators_reach_down_the_tree_not_up(db_session):
    session = db_session
    department = _tomsk(db_session)
    school = f.make_organization(session, parent=department, regulation="tomsk")
    other = _tomsk(db_session)
    dept_admin, school_admin = f.make_person(db_session), f.make_person(session)
    f.make_role(session, dept_admin, department, "admin")
    f.make_role(session, school_admin, school, "admin")
    session.commit()
    dept, sch = load_actor(session, dept_admin.login), load_actor(session, school_admin.login)
    assert administered_organizations(session, dept) == {department.id, school.id}
    assert administered_organizations(session, sch) == {school.id}
    require_admin(session, dept, school.id, action="x")
    for actor, organization in ((sch, department.id), (dept, other.id)):
        with pytest.raises(PermissionDenied, match="администратор"):
            require_admin(session, actor, organization, action="изменение организации")
