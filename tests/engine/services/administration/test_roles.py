"""The department's administrator gives a school's roles to its people and takes them back: one row per person,
organization and role, audited; a deactivated person gets no role; the last administrator of the root cannot
remove themselves (nobody could manage the installation)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import AccessLogEntry, AuditEntry, RoleAssignment
from engine.errors import ConflictError, NastavnikError, PermissionDenied
from engine.services.administration import roles
from engine.services.people.actor import load_actor
from tests import factories as f


@pytest.fixture
def tree(db_session):
    department = f.make_department(db_session, name="Департамент образования г. Томска")
    school = f.make_organization(db_session, parent=department)
    other = f.make_department(db_session, regulation="yakutsk")
    admin = f.make_person(db_session, login="dep_admin", organization=department)
    f.make_role(db_session, admin, department, "admin")
    teacher = f.make_person(db_session, login="teacher", full_name="Смирнова Ольга Ивановна", organization=school)
    stranger = f.make_person(db_session, login="stranger", organization=other)
    return {"department": department, "school": school, "other": other, "admin": admin, "teacher": teacher,
            "stranger": stranger}


def test_grant_and_revoke_keep_one_row_audited(db_session, tree):
    actor = load_actor(db_session, "dep_admin")
    school, teacher = tree["school"], tree["teacher"]
    assignment = roles.grant(db_session, actor, school.id, teacher.id, "curator")
    holders = {group.role: group for group in roles.role_holders(db_session, actor, school.id)}
    assert [h.full_name for h in holders["curator"].holders] == ["Смирнова Ольга Ивановна"]
    assert holders["curator"].label == "Куратор" and holders["admin"].label == "Администратор"
    seen = db_session.scalar(select(AccessLogEntry).where(AccessLogEntry.subject_id == teacher.id))
    assert seen.viewer_id == actor.person_id  # whose roles were shown is logged (152-ФЗ)
    with pytest.raises(ConflictError, match="уже имеет роль «Куратор»"):
        roles.grant(db_session, actor, school.id, teacher.id, "curator")
    roles.revoke(db_session, actor, school.id, assignment.id)
    assert not assignment.active and assignment.revoked_at is not None
    with pytest.raises(ConflictError, match="уже снята"):
        roles.revoke(db_session, actor, school.id, assignment.id)
    again = roles.grant(db_session, actor, school.id, teacher.id, "curator")
    assert again.id == assignment.id and again.active and again.revoked_at is None
    rows = db_session.scalars(select(RoleAssignment).where(RoleAssignment.person_id == teacher.id)).all()
    assert len(rows) == 1
    actions = [e.action for e in db_session.scalars(select(AuditEntry).where(AuditEntry.object_id == str(teacher.id))
                                                    .order_by(AuditEntry.id))]
    assert actions == ["role.granted", "role.revoked", "role.granted"]


def test_labels_come_from_the_organizations_pack(db_session, tree):
    other_admin = f.make_person(db_session, login="yakutsk_admin", organization=tree["other"])
    f.make_role(db_session, other_admin, tree["other"], "admin")
    labels = roles.role_labels(db_session, tree["other"].id)
    assert labels["mentee"] == "Стажёр" and labels["admin"] == "Администратор"


def test_refusals(db_session, tree):
    actor = load_actor(db_session, "dep_admin")
    school = tree["school"]
    with pytest.raises(NastavnikError, match="не работает в организациях"):
        roles.grant(db_session, actor, school.id, tree["stranger"].id, "mentor")
    tree["teacher"].is_active = False
    with pytest.raises(NastavnikError, match="отключ"):
        roles.grant(db_session, actor, school.id, tree["teacher"].id, "mentor")
    with pytest.raises(NastavnikError, match="нет роли «boss»"):
        roles.grant(db_session, actor, school.id, tree["admin"].id, "boss")
    with pytest.raises(PermissionDenied):
        roles.grant(db_session, actor, tree["other"].id, tree["stranger"].id, "mentor")
    school_admin = f.make_person(db_session, login="school_admin", organization=school)
    f.make_role(db_session, school_admin, school, "admin")
    with pytest.raises(PermissionDenied):  # a school's administrator does not give the department's roles
        roles.grant(db_session, load_actor(db_session, "school_admin"), tree["department"].id, school_admin.id,
                    "curator")
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "role.granted")) is None


def test_the_last_administrator_of_the_root_stays(db_session, tree):
    actor = load_actor(db_session, "dep_admin")
    department = tree["department"]
    own = db_session.scalar(select(RoleAssignment).where(RoleAssignment.person_id == tree["admin"].id))
    with pytest.raises(ConflictError, match="ваша последняя роль администратора"):
        roles.revoke(db_session, actor, department.id, own.id)
    assert own.active
    assert roles.last_administered_root(db_session, tree["admin"].id) == department.id  # nor deactivated
    # a second administrator of the root: now the first may step down
    second = f.make_person(db_session, login="second_admin", organization=department)
    roles.grant(db_session, actor, department.id, second.id, "admin")
    assert roles.last_administered_root(db_session, tree["admin"].id) is None
    roles.revoke(db_session, actor, department.id, own.id)
    assert not own.active
    # a school's administrator may be removed: the root keeps its own
    school_admin = roles.grant(db_session, load_actor(db_session, "second_admin"), tree["school"].id,
                               tree["teacher"].id, "admin")
    roles.revoke(db_session, load_actor(db_session, "second_admin"), tree["school"].id, school_admin.id)
