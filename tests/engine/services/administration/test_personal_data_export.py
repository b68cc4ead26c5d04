"""A person asks what the system stores about them (152-ФЗ, ст. 14): the administrator of their organization (or
of one above it) hands them the export, or they download it themselves; nobody else may. The export of a demo
mentor carries their appointment, their pair's program, the rule decisions about them and the orders naming them;
it is itself written in the access log and the audit trail."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine.db.models import AccessLogEntry, AuditEntry, Person, RoleAssignment
from engine.errors import NotFound, PermissionDenied
from engine.services.administration.personal_data import EXPORT_PURPOSE, export_person
from engine.services.people.actor import SYSTEM, load_actor
from tests import factories as f


def _admin(session, organization_id: int, login: str) -> None:
    person = Person(login=login, full_name=f"Администратор {login}", organization_id=organization_id)
    session.add_all([person, RoleAssignment(person=person, organization_id=organization_id, role="admin")])
    session.commit()


def test_the_export_of_a_demo_mentor_holds_their_program_decisions_and_orders(demo):
    demo.appoint("volkov")
    demo.register("orlova")
    program = demo.form_pair("volkov", "orlova")
    volkov = demo.world.people["volkov"]
    _admin(demo.session, demo.department_id, "pd_admin")

    export = export_person(demo.session, load_actor(demo.session, "pd_admin"), volkov.id)
    demo.session.commit()

    sections = {s.key: s for s in export.sections}
    assert export.person["full_name"] == volkov.full_name and "password_hash" not in export.person
    assert [row["id"] for row in sections["programs"].rows] == [program.id]
    assert sections["mentor_appointments"].rows and sections["groups_as_mentor"].rows
    decisions = sections["decisions"].rows
    assert any(d["person_id"] == volkov.id and d["ruleset_id"].startswith("mentor_eligibility") for d in decisions)
    naming = sections["orders_naming"].rows
    assert len(naming) >= 2 and all(o["status"] == "signed" for o in naming)  # the appointment and the pair
    assert sections["consents"].rows  # the consent to the pair
    # the appointment process keeps his name in its data: named, its state withheld
    assert sections["processes_naming"].rows and "state" not in sections["processes_naming"].rows[0]
    shown = dict(export.person_shown)
    assert shown["ФИО"] == volkov.full_name
    # the rule facts by the labels and units the pack's rule files declare, never their codes
    assert any(label.startswith("Стаж работы в должности руководителя") and value.endswith("лет")
               for label, value in export.person_shown)
    assert not any(label in ("years_as_head", "сведения для правил") for label, _value in export.person_shown)
    actions = [dict(row.fields)["действие"] for row in sections["audit_as_actor"].shown]
    assert any(a.startswith("выполнена задача «") for a in actions) and not any("." in a.split()[0] for a in actions)
    document = json.loads(export.json_text())
    assert document["person"]["login"] == "volkov"
    assert "Волков" in export.json_text()  # ensure_ascii=False: Cyrillic as it is
    assert document["sections"]["programs"]["rows"][0]["started_on"] == program.started_on.isoformat()

    logged = demo.session.scalars(select(AccessLogEntry).where(AccessLogEntry.subject_id == volkov.id,
                                                                AccessLogEntry.purpose == EXPORT_PURPOSE)).all()
    assert [entry.viewer.login for entry in logged] == ["pd_admin"]
    audit = demo.session.scalars(select(AuditEntry).where(AuditEntry.action == "person.data_exported")).one()
    assert audit.object_id == str(volkov.id) and audit.details["sections"]["programs"] == 1


def test_who_may_ask_for_the_export(db_session):
    department = f.make_department(db_session)
    school = f.make_organization(db_session, parent=department)
    elsewhere = f.make_department(db_session)
    teacher = f.make_person(db_session, organization=school, email="t@school.ru")
    for login, place in (("dep_admin", department), ("school_admin", school), ("far_admin", elsewhere)):
        f.make_role(db_session, f.make_person(db_session, login=login, organization=place), place, "admin")
    f.make_role(db_session, f.make_person(db_session, login="school_curator", organization=school), school, "curator")
    db_session.commit()

    for login in ("dep_admin", "school_admin", teacher.login):
        assert export_person(db_session, load_actor(db_session, login), teacher.id).person["email"] == "t@school.ru"
    assert export_person(db_session, SYSTEM, teacher.id).person_id == teacher.id
    for login in ("far_admin", "school_curator"):
        with pytest.raises(PermissionDenied, match="администратору"):
            export_person(db_session, load_actor(db_session, login), teacher.id)
    with pytest.raises(NotFound, match="нет человека с номером 999999"):
        export_person(db_session, SYSTEM, 999999)


def test_the_access_log_shows_who_read_the_data_and_tokens_show_no_secret(db_session):
    school = f.make_organization(db_session)
    teacher = f.make_person(db_session, organization=school, password_hash="$argon2id$secret")
    reader = f.make_person(db_session, full_name="Читающий Иван Иванович")
    from engine.db.models import log_access
    from engine.services.people import api_tokens

    log_access(db_session, teacher, "карточка человека", viewer=reader, fields=["full_name"])
    api_tokens.issue(db_session, SYSTEM, teacher.id, "Электронный журнал", None)
    db_session.commit()

    export = export_person(db_session, load_actor(db_session, teacher.login), teacher.id)
    sections = {s.key: s for s in export.sections}
    (entry,) = sections["access_log"].shown
    assert ("кто", f"Читающий Иван Иванович (№ {reader.id})") in entry.fields
    assert ("цель", "карточка человека") in entry.fields
    (token,) = sections["api_tokens"].rows
    assert token["name"] == "Электронный журнал" and "token_sha256" not in token
    assert "$argon2id$secret" not in export.json_text() and export.person["password_set"] is True


def test_a_network_trainees_export_holds_her_diagnosis_group_and_the_work_she_took_part_in(db_session):
    """004: the trainee's self-diagnosis, her place in the mentor's group and the mentor's records of work with her
    (the records name trainees in a list, not by a column)."""
    from datetime import date

    from engine.db.models import NetworkGroup
    from engine.services.network import groups
    from tests.engine.services.network.centre_world import LITERACY, build_centre, on

    world = build_centre(db_session)
    world.appoint("sidorova", LITERACY)
    world.register("ivanova", "newly_hired", LITERACY)
    world.register("popov", "teacher_with_difficulties", LITERACY)
    world.at(on(date(2025, 10, 1)))
    groups.form_group(db_session, world.curator, world.department.id, world.person("sidorova").id,
                      [world.person("ivanova").id, world.person("popov").id], clock=world.clock)
    db_session.commit()
    group = db_session.scalars(select(NetworkGroup)).one()
    world.at(on(date(2025, 10, 25)))
    groups.record_work(db_session, world.actor("sidorova"), group.id, form="consultation", held_on=date(2025, 10, 20),
                       topic="Индивидуальный план: цели и сроки", trainee_ids=[world.person("ivanova").id],
                       clock=world.clock)
    groups.record_work(db_session, world.actor("sidorova"), group.id, form="consultation", held_on=date(2025, 10, 21),
                       topic="Без Ивановой", trainee_ids=[world.person("popov").id], clock=world.clock)
    db_session.commit()

    export = export_person(db_session, SYSTEM, world.person("ivanova").id)
    sections = {s.key: s for s in export.sections}
    assert [r["topic"] for r in sections["network_work_about"].rows] == ["Индивидуальный план: цели и сроки"]
    assert sections["diagnoses_about"].rows[0]["self_rating"] == 2
    assert sections["network_members"].rows[0]["group_id"] == group.id
    mentor = {s.key: s for s in export_person(db_session, SYSTEM, world.person("sidorova").id).sections}
    assert len(mentor["network_work_records"].rows) == 2 and mentor["network_groups"].rows
