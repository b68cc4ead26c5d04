"""The administrator's people: a department's administrator adds a teacher of a school under it with the facts the
rule files read, corrects them (audited old → new), moves her, deactivates and reactivates her; a school's
administrator reaches only the school; a deactivated person is offered for no new pair."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from engine.db.models import AccessLogEntry, AuditEntry, Mentee
from engine.errors import ConflictError, NastavnikError, PermissionDenied
from engine.regulations import shipped_rule_file
from engine.rules import default_registry
from engine.services.administration import people
from engine.services.administration.person_card import person_card
from engine.services.mentorship import formation, mentee_registry, mentor_appointment, pair_proposals
from engine.services.people.accounts import authenticate, set_password
from engine.services.people.actor import load_actor
from tests import factories as f

TEACHER = {"full_name": "Смирнова Елена Викторовна", "position": "Учитель математики", "email": "Smirnova@School.ru",
           "years_as_head": "6", "efficiency_percent": "85,5", "contest_level": "региональный",
           "has_mentorship_certificate": "да"}


@pytest.fixture
def world(db_session):
    session = db_session
    department = f.make_department(session, regulation="tomsk")
    school = f.make_organization(session, parent=department)
    other = f.make_department(session, regulation="tomsk")
    admins = {}
    for key, place in (("department", department), ("school", school), ("other", other)):
        admins[key] = f.make_person(session, login=f"admin_{key}", organization=place)
        f.make_role(session, admins[key], place, "admin")
    session.commit()
    actors = {key: load_actor(session, person.login) for key, person in admins.items()}
    return {"department": department, "school": school, "other": other, **{f"admin_{k}": v for k, v in actors.items()}}


def test_the_administrator_adds_a_teacher_with_the_rule_files_facts(db_session, world):
    session = db_session
    person = people.create(session, world["admin_department"], world["school"].id, TEACHER, text=True)
    session.commit()
    assert person.organization_id == world["school"].id and person.is_active and person.password_hash is None
    assert person.email == "smirnova@school.ru" and person.years_as_head == 6 and person.efficiency_percent == 85.5
    assert person.contest_level == "regional" and person.has_mentorship_certificate is True
    assert person.login == "smirnova"
    found = people.list_people(session, world["admin_department"], search="смирнова")
    assert [p["id"] for p in found.items] == [person.id]
    assert people.list_people(session, world["admin_department"], search="SCHOOL.RU").total == 1
    assert people.list_people(session, world["admin_school"], organization_id=world["school"].id).total == 2
    assert session.scalar(select(AccessLogEntry).where(AccessLogEntry.subject_id == person.id)) is not None


def test_every_problem_is_named_by_its_field_and_nothing_is_saved(db_session, world):
    session = db_session
    with pytest.raises(people.PersonDataRefused) as refused:
        people.create(session, world["admin_department"], world["school"].id,
                      {**TEACHER, "years_as_head": "пять", "efficiency_percent": "140", "email": "нет"}, text=True)
    named = {p.field: p.message for p in refused.value.problems}
    assert named == {"years_as_head": "не число", "efficiency_percent": named["efficiency_percent"],
                     "email": "не адрес электронной почты"}
    assert "диапазон" in named["efficiency_percent"]
    assert refused.value.where == "years_as_head" or refused.value.where in named
    session.rollback()
    assert people.list_people(session, world["admin_department"], search="Смирнова").total == 0


def test_an_email_is_one_active_persons_and_the_error_names_who_has_it(db_session, world):
    session = db_session
    first = people.create(session, world["admin_department"], world["school"].id, TEACHER, text=True)
    session.commit()
    with pytest.raises(people.PersonDataRefused, match="уже указан у Смирнова Елена Викторовна") as refused:
        people.create(session, world["admin_department"], world["department"].id,
                      {"full_name": "Другая Анна", "email": "SMIRNOVA@school.ru"}, text=True)
    assert refused.value.where == "email" and refused.value.disclosures[0].subject_id == first.id
    session.rollback()
    people.deactivate(session, world["admin_department"], first.id)
    second = people.create(session, world["admin_department"], world["department"].id,
                           {"full_name": "Другая Анна", "email": "smirnova@school.ru"}, text=True)
    session.commit()
    with pytest.raises(people.PersonDataRefused, match="Другая Анна"):
        people.reactivate(session, world["admin_department"], first.id)  # the address is someone else's now
    assert second.is_active


def test_an_edit_is_audited_old_to_new_and_shown_on_the_card(db_session, world):
    session = db_session
    person = people.create(session, world["admin_department"], world["school"].id, TEACHER, text=True)
    session.commit()
    changes = people.edit(session, world["admin_school"], person.id, {"years_as_head": 7, "phone": "+7 913 000-00-00"},
                          text=False, partial=True)
    session.commit()
    assert {c.field: (c.old, c.new) for c in changes} == {"years_as_head": (6, 7), "phone": (None, "+7 913 000-00-00")}
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "person.changed",
                                                     AuditEntry.object_id == str(person.id))
                            .order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == world["admin_school"].person_id
    card = person_card(session, world["admin_school"], person.id)
    latest = card.history[0]
    assert latest.text == "Изменены сведения" and latest.actor == world["admin_school"].full_name
    assert any(c.old == "6 лет" and c.new == "7 лет" for c in latest.changes)
    assert card.history[-1].text == "Человек добавлен"
    shown = {v.field.name: v for v in card.values}
    assert shown["years_as_head"].text == "7" and shown["contest_level"].shown == "региональный"
    with pytest.raises(people.PersonDataRefused, match="обязательное поле"):
        people.edit(session, world["admin_school"], person.id, {"full_name": " "}, text=True, partial=True)


def test_a_move_is_audited_and_stays_in_the_administered_tree(db_session, world):
    session = db_session
    person = people.create(session, world["admin_department"], world["school"].id, TEACHER, text=True)
    assert people.move(session, world["admin_department"], person.id, world["department"].id)
    session.commit()
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "person.moved")).one()
    assert entry.details["changes"][0]["old"] == world["school"].short_name
    with pytest.raises(PermissionDenied):
        people.move(session, world["admin_department"], person.id, world["other"].id)


def test_the_school_administrator_reaches_the_school_only(db_session, world):
    session = db_session
    teacher = people.create(session, world["admin_department"], world["school"].id, TEACHER, text=True)
    clerk = people.create(session, world["admin_department"], world["department"].id, {"full_name": "Клерк"}, text=True)
    session.commit()
    people.edit(session, world["admin_school"], teacher.id, {"position": "Завуч"}, text=True, partial=True)
    for actor, person in ((world["admin_school"], clerk), (world["admin_other"], teacher)):
        with pytest.raises(PermissionDenied, match="администрируете"):
            people.edit(session, actor, person.id, {"position": "x"}, text=True, partial=True)
        with pytest.raises(PermissionDenied):
            people.deactivate(session, actor, person.id)
    with pytest.raises(PermissionDenied):
        people.create(session, world["admin_school"], world["department"].id, {"full_name": "Кто-то"}, text=True)
    assert people.list_people(session, world["admin_other"]).total == 1  # only the other administrator herself
    with pytest.raises(PermissionDenied):
        people.list_people(session, load_actor(session, f.make_person(session).login))


def test_a_deactivated_person_cannot_log_in_and_comes_back(db_session, world):
    session = db_session
    person = people.create(session, world["admin_department"], world["school"].id, TEACHER, text=True)
    set_password(person, "пароль-учителя")
    session.commit()
    assert authenticate(session, person.login, "пароль-учителя") is not None
    epoch = person.session_epoch
    people.deactivate(session, world["admin_department"], person.id)
    session.commit()
    assert authenticate(session, person.login, "пароль-учителя") is None and person.session_epoch > epoch
    assert people.list_people(session, world["admin_department"], search="Смирнова").total == 0
    assert people.list_people(session, world["admin_department"], search="Смирнова", state="deactivated").total == 1
    with pytest.raises(ConflictError, match="уже деактивирован"):
        people.deactivate(session, world["admin_department"], person.id)
    with pytest.raises(ConflictError, match="самого себя"):
        people.deactivate(session, world["admin_department"], world["admin_department"].person_id)
    people.reactivate(session, world["admin_department"], person.id)
    session.commit()
    assert authenticate(session, person.login, "пароль-учителя") is not None
    actions = [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.object_id == str(person.id))
                                                 .order_by(AuditEntry.id))]
    assert actions[-2:] == ["person.deactivated", "person.reactivated"]


def test_a_deactivated_person_is_offered_for_no_new_pair(db_session, world):
    session = db_session
    department = world["department"]
    curator = f.make_person(session, login="curator_x", organization=department)
    f.make_role(session, curator, department, "curator")
    mentor = f.make_person(session, organization=department, full_name="Наставник Активный")
    gone = f.make_person(session, organization=department, full_name="Наставник Уволенный")
    today = date.today()
    for person in (mentor, gone):
        f.make_appointment(session, person=person, organization=department, starts_on=today - timedelta(days=30))
    waiting = f.make_person(session, organization=department, full_name="Наставляемая Ждёт")
    left = f.make_person(session, organization=department, full_name="Наставляемая Уволена")
    for person in (waiting, left):
        f.make_mentee(session, person=person, organization=department, status="waiting", registered_on=today)
    session.commit()
    for person in (gone, left):
        people.deactivate(session, world["admin_department"], person.id)
    session.commit()
    actor = load_actor(session, "curator_x")
    options = pair_proposals.proposal_options(session, actor, department.id, today)
    assert [p.full_name for p in options.mentors] == ["Наставник Активный"]
    assert [m.person.full_name for m in options.mentees] == ["Наставляемая Ждёт"]
    with pytest.raises(NastavnikError, match="доступ закрыт администратором") as refused:
        pair_proposals.check_pair(session, actor, department.id, gone.id, [], today)
    assert refused.value.where == "mentor_id"
    with pytest.raises(NastavnikError, match="доступ закрыт администратором") as refused:
        formation.propose_pair(session, actor, department.id, mentor.id, [left.id])
    assert refused.value.where == "mentee_ids"
    with pytest.raises(NastavnikError, match="доступ закрыт администратором"):
        mentor_appointment.propose_mentor(session, actor, department.id, gone.id)
    with pytest.raises(NastavnikError, match="доступ закрыт администратором"):
        mentee_registry.register_mentee(session, actor, department.id, gone.id)
    session.rollback()
    assert session.scalar(select(Mentee).where(Mentee.person_id == gone.id)) is None


def test_a_fact_added_to_a_rule_file_appears_without_code(db_session, world):
    """The methodologist declares a new fact in the Tomsk mentor file: the administrator's form offers it,
    typed, and it is stored in the person's extra facts — no code, no column."""
    session = db_session
    path = shipped_rule_file("mentor_eligibility_tomsk")
    shipped = path.read_text(encoding="utf-8")
    edited = shipped.replace('version: "1"', 'version: "99"').replace("\nfacts:\n", (
        "\nfacts:\n  publications_count:\n    type: number\n    unit: [публикация, публикации, публикаций]\n"
        "    min: 0\n    max: 500\n    label: Число методических публикаций\n"), 1)
    registry = default_registry()
    assert registry.install(edited.encode(), str(path)) == []
    try:
        fields = {item.name: item for item in people.fields_for(session, world["admin_department"],
                                                                world["school"].id)}
        assert fields["publications_count"].label == "Число методических публикаций"
        assert fields["publications_count"].fact.maximum == 500
        person = people.create(session, world["admin_department"], world["school"].id,
                               {**TEACHER, "publications_count": "12"}, text=True)
        session.commit()
        assert person.extra_facts == {"publications_count": 12}
        with pytest.raises(people.PersonDataRefused, match="Число методических публикаций"):
            people.edit(session, world["admin_department"], person.id, {"publications_count": "900"}, text=True,
                        partial=True)
        card = person_card(session, world["admin_department"], person.id)
        assert next(v for v in card.values if v.field.name == "publications_count").shown == "12 публикаций"
    finally:
        assert registry.install(shipped.encode(), str(path)) == []
