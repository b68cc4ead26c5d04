"""An administrator manages the organizations under them: a department's administrator builds its schools and
edits them, every change audited old → new; a school's administrator manages the school only, never the
department above it nor another department. ИНН/ОГРН and the document settings are checked field by field."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import AuditEntry, Organization
from engine.documents.basics import settings_for
from engine.errors import PermissionDenied
from engine.services.administration import organizations
from engine.services.administration.organization_details import OrganizationDataError, inn_problem, ogrn_problem
from engine.services.people.actor import load_actor
from tests import factories as f


def _admin(session, organization, login):
    person = f.make_person(session, login=login, organization=organization)
    f.make_role(session, person, organization, "admin")
    return load_actor(session, login)


@pytest.fixture
def tree(db_session):
    department = f.make_department(db_session, name="Департамент образования г. Томска")
    school = f.make_organization(db_session, parent=department, name="МАОУ СОШ № 8 г. Томска")
    other = f.make_department(db_session, regulation="yakutsk", name="Управление образования г. Якутска")
    return {"department": department, "school": school, "other": other,
            "department_admin": _admin(db_session, department, "dep_admin"),
            "school_admin": _admin(db_session, school, "school_admin"),
            "other_admin": _admin(db_session, other, "other_admin")}


def _problems(raised) -> dict[str, str]:
    return {p.field: p.message for p in raised.value.problems}


def test_department_administrator_builds_a_school_under_it(db_session, tree):
    actor = tree["department_admin"]
    school = organizations.create_organization(db_session, actor, tree["department"].id, {
        "name": "МАОУ СОШ № 40 г. Томска", "short_name": "СОШ № 40", "kind": "school", "inn": "7707083893",
        "ogrn": "1027700132195",
        "document_settings": {"kind": "распоряжение", "number_suffix": "р", "place": "г. Томск"}})
    assert school.parent_id == tree["department"].id and school.regulation == "tomsk"  # inherited
    settings = settings_for(school)
    assert settings.kind == "РАСПОРЯЖЕНИЕ" and settings.format_number(100) == "100р"
    tree_ids = [row.id for row in organizations.administered_tree(db_session, actor)]
    assert tree_ids[0] == tree["department"].id and set(tree_ids) == {tree["department"].id, tree["school"].id,
                                                                      school.id}
    created = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "organization.created"))
    assert created.actor_id == actor.person_id and created.details["inn"] == "7707083893"


def test_school_administrator_reaches_neither_the_department_nor_another(db_session, tree):
    actor = tree["school_admin"]
    assert [row.id for row in organizations.administered_tree(db_session, actor)] == [tree["school"].id]
    organizations.view_organization(db_session, actor, tree["school"].id)
    for organization in (tree["department"], tree["other"]):
        with pytest.raises(PermissionDenied):
            organizations.view_organization(db_session, actor, organization.id)
        with pytest.raises(PermissionDenied):
            organizations.update_organization(db_session, actor, organization.id, {"short_name": "x"})
        with pytest.raises(PermissionDenied):
            organizations.create_organization(db_session, actor, organization.id, {"name": "x", "kind": "school"})
    with pytest.raises(PermissionDenied):
        organizations.view_organization(db_session, tree["other_admin"], tree["school"].id)
    curator = f.make_person(db_session, login="plain_curator")
    f.make_role(db_session, curator, tree["department"], "curator")
    with pytest.raises(PermissionDenied):  # staff see registries, not the administration
        organizations.administered_tree(db_session, load_actor(db_session, "plain_curator"))


def test_inn_and_ogrn_have_their_control_digits():
    assert inn_problem("7707083893") is None and inn_problem("500100732259") is None
    assert "контрольное число" in inn_problem("7707083894")
    assert "10 цифр" in inn_problem("77070838")
    assert ogrn_problem("1027700132195") is None and ogrn_problem("304500116000157") is None
    assert "контрольное число" in ogrn_problem("1027700132196")
    assert "13 цифр" in ogrn_problem("10277001321")


def test_every_wrong_field_is_named_and_nothing_is_stored(db_session, tree):
    with pytest.raises(OrganizationDataError) as raised:
        organizations.create_organization(db_session, tree["department_admin"], tree["department"].id, {
            "name": "", "kind": "kindergarten", "inn": "1234567890", "ogrn": "abc",
            "document_settings": {"kind": "ПОСТАНОВЛЕНИЕ", "number_suffix": "1 р", "time_zone": "Марс/Олимп"}})
    problems = _problems(raised)
    assert set(problems) == {"name", "kind", "inn", "ogrn", "document_settings.kind"}, problems
    assert "дошкольная" in problems["kind"] and "общеобразовательная" in problems["kind"]  # tomsk: no kindergartens
    assert "«Вид распорядительного акта»: «ПОСТАНОВЛЕНИЕ» — допустимо" in [str(p) for p in raised.value.problems][-1]
    with pytest.raises(OrganizationDataError) as raised:  # the settings as the orders read them
        organizations.create_organization(db_session, tree["department_admin"], tree["department"].id, {
            "name": "Школа", "kind": "school", "document_settings": {"number_suffix": "1р", "time_zone": "Марс"}})
    problems = _problems(raised)
    assert "document_settings.number_suffix" in problems and "не начинается с цифры" in problems[
        "document_settings.number_suffix"]
    with pytest.raises(OrganizationDataError) as raised:
        organizations.create_organization(db_session, tree["department_admin"], tree["department"].id, {
            "name": "Школа", "kind": "school", "document_settings": {"time_zone": "Марс/Олимп"}})
    assert "неизвестный часовой пояс" in _problems(raised)["document_settings.time_zone"]
    assert db_session.scalar(select(Organization).where(Organization.name == "Школа")) is None


def test_yakutsk_allows_its_kinds_and_a_child_keeps_the_parents_regulation(db_session, tree):
    actor = tree["other_admin"]
    kindergarten = organizations.create_organization(db_session, actor, tree["other"].id,
                                                     {"name": "МБДОУ Д/с № 1", "kind": "kindergarten"})
    assert kindergarten.regulation == "yakutsk"
    with pytest.raises(OrganizationDataError) as raised:
        organizations.create_organization(db_session, actor, tree["other"].id,
                                          {"name": "Школа", "kind": "school", "regulation": "tomsk"})
    assert "положению вышестоящей" in _problems(raised)["regulation"]


def test_an_edit_is_audited_old_to_new(db_session, tree):
    actor = tree["department_admin"]
    school = tree["school"]
    # a form shows «ПРИКАЗ» and the pack's time zone: sent back unchanged, they are no change
    assert organizations.update_organization(db_session, actor, school.id, {"document_settings": {
        "kind": "ПРИКАЗ", "time_zone": "Asia/Tomsk", "number_suffix": ""}}) == []
    changes = organizations.update_organization(db_session, actor, school.id, {
        "short_name": "Школа № 8", "document_settings": {"kind": "РАСПОРЯЖЕНИЕ", "number_suffix": "р"}})
    assert [c["field"] for c in changes] == ["short_name", "document_settings"]
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "organization.changed"))
    shown = {c["field"]: (c["old"], c["new"]) for c in entry.details["changes"]}
    assert shown["document_settings"] == ("—", "вид распорядительного акта: РАСПОРЯЖЕНИЕ; суффикс номера: р")
    assert shown["short_name"][1] == "Школа № 8"
    view = organizations.view_organization(db_session, actor, school.id)
    assert view.heading_preview(1) == "РАСПОРЯЖЕНИЕ № 1р"
    assert organizations.update_organization(db_session, actor, school.id, {"short_name": "Школа № 8"}) == []
    zone = organizations.update_organization(db_session, actor, school.id, {"document_settings": {
        "kind": "РАСПОРЯЖЕНИЕ", "number_suffix": "р", "time_zone": "Asia/Yakutsk"}})
    assert zone[0]["new"].endswith("часовой пояс: Якутск (МСК+6)")  # as people name it, not «Asia/Yakutsk»
    history = organizations.organization_history(db_session, actor, school.id)
    assert [entry.text for entry in history] == ["Изменены сведения", "Изменены сведения"]
    with pytest.raises(OrganizationDataError) as raised:
        organizations.update_organization(db_session, actor, tree["department"].id, {"regulation": "yakutsk"})
    assert "методист" in _problems(raised)["regulation"]
