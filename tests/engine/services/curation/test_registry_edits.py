"""The curator edits her registries (issue 12 part 5): she enters people in the base of mentees with the rules'
decision explained, proposes mentor candidates (the appointment process starts), and corrects a person's rule
facts, the decisions that rest on them re-evaluated and the old ones kept."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, Decision, Mentee, OpenTask, WorkflowInstance
from engine.errors import NastavnikError, PermissionDenied
from engine.forms import FormId
from engine.services.curation import fact_corrections, fact_discrepancies, registry_edits
from engine.services.mentorship import mentee_registry, mentor_appointment
from engine.services.mentorship.mentee_registry import MenteeRefused
from engine.services.people.actor import load_actor
from tests import factories as f
from tests.engine.services.pack_world import PackWorld

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


# -- the base of mentees ---------------------------------------------------------------------------

@BOTH
def test_a_new_head_is_entered_with_the_category_explained_criterion_by_criterion(demo, db_session):
    s, curator = db_session, demo.actor("curator")
    candidates = registry_edits.mentee_candidates(s, curator, demo.department_id, query="новикова")
    assert [p.login for p in candidates.rows] == ["novikova"]  # a Cyrillic search, any case

    entry = registry_edits.add_mentee(s, curator, demo.department_id, demo.person_id("novikova"), clock=demo.clock)
    s.commit()
    assert (entry.category, entry.status) == ("new_head", "waiting")
    assert entry.decision["outputs"]["roadmap_id"] == "tomsk_new_head"
    passed = [c for c in entry.decision["criteria"] if c["passed"] is True]
    assert [c["id"] for c in passed] == ["new_head"] and passed[0]["source"] == "003 §3.6.1"
    assert "в должности 4" in passed[0]["message"]
    assert s.get(Decision, entry.decision_id).verdict == "categorized"
    assert s.scalar(select(AuditEntry.action).where(AuditEntry.action == "mentee.registered")) == "mentee.registered"
    # entered: no longer a candidate, and not entered twice
    assert registry_edits.mentee_candidates(s, curator, demo.department_id, query="новикова").total == 0
    with pytest.raises(NastavnikError, match="уже в базе наставляемых"):
        registry_edits.add_mentee(s, curator, demo.department_id, demo.person_id("novikova"), clock=demo.clock)


@BOTH
def test_a_person_of_no_category_is_refused_with_every_reason_and_nothing_stored(demo, db_session):
    s = db_session
    school = demo.world.schools["school8"]
    person = f.make_person(s, full_name="Зайцев Пётр Ильич", organization=school, is_head=True, months_as_head=100,
                           efficiency_percent=90, school_low_results=False, in_management_reserve=False)
    s.commit()
    with pytest.raises(MenteeRefused) as refused:
        registry_edits.add_mentee(s, demo.actor("curator"), demo.department_id, person.id, clock=demo.clock)
    decision = refused.value.decision
    assert decision["verdict"] == "not_categorized"
    assert {c["id"]: c["passed"] for c in decision["criteria"]} == {
        "reservist": False, "new_head": False, "low_results_school_head": False, "low_efficiency_head": False}
    assert "Зайцев Пётр Ильич" in refused.value.message and "003 §3.6.1" in refused.value.message
    assert [d.subject_id for d in refused.value.disclosures] == [person.id]  # what it shows goes to the access log
    s.rollback()
    assert count(s, Mentee) == 0 and count(s, Decision) == 0


@BOTH
def test_a_foreign_deactivated_or_anonymized_person_is_refused_for_both_bases(demo, db_session):
    s, curator = db_session, demo.actor("curator")
    elsewhere = f.make_department(s, name="Департамент образования г. Северска")
    foreign = f.make_person(s, full_name="Чужая Анна Петровна", organization=elsewhere, is_head=True, months_as_head=2)
    gone = f.make_person(s, full_name="Уволенная Ирина Олеговна", organization=demo.world.schools["school15"],
                         is_head=True, months_as_head=2, is_active=False)
    hidden = f.make_person(s, full_name="Обезличенный", organization=demo.world.schools["school15"],
                           anonymized_at=datetime(2026, 1, 1, tzinfo=UTC), is_active=False)
    s.commit()
    for person, expected in ((foreign, rf"человек №{foreign.id} не работает в «.*» .*\(003 §3\.3\)"),
                             (gone, r"Уволенная Ирина Олеговна: доступ закрыт администратором \(деактивирована\) .*\(003 §3\.3\)"),
                             (hidden, r"данные обезличены")):
        with pytest.raises(NastavnikError, match=expected) as refused:
            mentee_registry.register_mentee(s, curator, demo.department_id, person.id, clock=demo.clock)
        assert "Чужая" not in refused.value.message  # the other organization's person is not named
        with pytest.raises(NastavnikError, match=expected):
            mentor_appointment.propose_mentor(s, curator, demo.department_id, person.id, clock=demo.clock)
    s.rollback()
    assert count(s, Mentee) == 0 and count(s, WorkflowInstance) == 0
    shown = {p.id for p in registry_edits.mentee_candidates(s, curator, demo.department_id, size=100).rows}
    assert shown and not shown & {foreign.id, gone.id, hidden.id}


@SQLITE
def test_a_school_curator_names_the_category_and_the_age_rule_checks_it(db_session):
    world = PackWorld(db_session, "school", datetime(2025, 9, 1, 9, tzinfo=UTC), name="МАОУ Кунарская СОШ")
    s = db_session
    pupil = world.person("Ученикова Дарья", participant_kind="student", birth_date=date(2016, 3, 1))  # 9 years old
    older = world.person("Старшеклассник Иван", participant_kind="student", birth_date=date(2012, 5, 1))
    s.commit()
    curator = world.actor(world.curator)
    scope = registry_edits.edit_scope(s, curator, world.organization.id)
    assert not scope.decides_category and {c.id for c in scope.categories} == {"student", "pedagogue", "young_specialist"}
    with pytest.raises(NastavnikError, match="укажите категорию") as unnamed:
        registry_edits.add_mentee(s, curator, world.organization.id, older.id, clock=world.clock)
    assert unnamed.value.where == "category"
    with pytest.raises(MenteeRefused) as young:
        registry_edits.add_mentee(s, curator, world.organization.id, pupil.id, category="student", clock=world.clock)
    assert {c["id"]: c["passed"] for c in young.value.decision["criteria"]} == {"kind_fits_category": True,
                                                                                "student_age": False}
    assert "от 10 лет" in young.value.message and "001 §1.1" in young.value.message
    s.rollback()
    entry = registry_edits.add_mentee(s, curator, world.organization.id, older.id, category="student", clock=world.clock)
    assert entry.category == "student" and entry.decision["verdict"] == "eligible"


# -- the base of mentors ------------------------------------------------------------------------------

@BOTH
def test_a_proposed_candidate_starts_the_appointment_and_the_head_gets_the_order(demo, db_session):
    s, curator = db_session, demo.actor("curator")
    assert "volkov" in {p.login for p in registry_edits.mentor_candidates(s, curator, demo.department_id, size=100).rows}
    instance = registry_edits.propose_candidate(s, curator, demo.department_id, demo.person_id("volkov"),
                                                clock=demo.clock)
    s.commit()
    outcome = registry_edits.proposal(s, curator, instance.id)
    assert outcome.state == "awaiting_order" and outcome.decision["verdict"] == "eligible"
    assert outcome.person.login == "volkov"
    [order_step] = s.scalars(select(OpenTask).where(OpenTask.instance_id == instance.id)).all()
    assert order_step.form_id == FormId.SIGN_ORDER and order_step.role == "head"
    assert "volkov" not in {p.login for p in registry_edits.mentor_candidates(s, curator, demo.department_id, size=100).rows}
    with pytest.raises(NastavnikError, match="уже предложен"):
        registry_edits.propose_candidate(s, curator, demo.department_id, demo.person_id("volkov"), clock=demo.clock)
    with pytest.raises(PermissionDenied):
        registry_edits.proposal(s, demo.actor("head"), instance.id)


@SQLITE
def test_a_candidate_who_does_not_qualify_ends_the_process_with_the_reason(demo, db_session):
    s, curator = db_session, demo.actor("curator")
    instance = registry_edits.propose_candidate(s, curator, demo.department_id, demo.person_id("kozlov"),
                                                clock=demo.clock)
    s.commit()
    outcome = registry_edits.proposal(s, curator, instance.id)
    assert outcome.state == "not_eligible" and any("5 лет" in line for line in outcome.explanation)
    assert "kozlov" in {p.login for p in registry_edits.mentor_candidates(s, curator, demo.department_id, size=100).rows}


# -- correcting facts ----------------------------------------------------------------------------------

@BOTH
def test_corrected_facts_re_evaluate_a_waiting_mentee_keeping_the_old_decision(demo, db_session):
    s, curator = db_session, demo.actor("curator")
    demo.register("novikova")
    entry = s.scalar(select(Mentee))
    first_decision = entry.decision_id
    form = fact_corrections.fact_form(s, curator, demo.person_id("novikova"))
    assert {"months_as_head", "efficiency_percent", "years_as_head"} <= {f.name for f in form.fields}
    assert "full_name" not in {f.name for f in form.fields}  # only what the rule files read
    correction = fact_corrections.correct_facts(s, curator, demo.person_id("novikova"),
                                                {"months_as_head": "30", "efficiency_percent": "45"}, clock=demo.clock)
    s.commit()
    assert {(c.field, c.old, c.new) for c in correction.changes} == {("months_as_head", 4, 30),
                                                                     ("efficiency_percent", 70, 45)}
    [again] = correction.reevaluations
    assert again.category_change == ("new_head", "low_efficiency_head") and again.applied and again.flag is None
    assert again.before["outputs"]["roadmap_id"] == "tomsk_new_head"
    assert again.after["outputs"]["roadmap_id"] == "tomsk_low_efficiency_head"
    s.expire_all()
    entry = s.get(Mentee, entry.id)
    assert entry.category == "low_efficiency_head" and entry.decision_id != first_decision
    assert entry.decision["reevaluation"]["previous_decision_id"] == first_decision
    old = s.get(Decision, first_decision)
    assert old.body["outputs"]["roadmap_id"] == "tomsk_new_head"  # the old decision stays as it was
    history = fact_discrepancies.decision_history(s, curator, demo.person_id("novikova"))
    assert [d.id for d in history] == [entry.decision_id, first_decision]
    audit = s.scalar(select(AuditEntry).where(AuditEntry.action == "person.facts_corrected"))
    assert {(c["field"], c["old"], c["new"]) for c in audit.details["changes"]} == {
        ("months_as_head", "4 месяца", "30 месяцев"), ("efficiency_percent", "70", "45")}


@BOTH
def test_in_a_program_the_category_stays_and_an_unqualified_mentor_is_flagged(demo, db_session):
    s, curator = db_session, demo.actor("curator")
    demo.appoint("volkov")
    demo.register("orlova")
    demo.form_pair("volkov", "orlova")
    correction = fact_corrections.correct_facts(s, curator, demo.person_id("orlova"), {"efficiency_percent": "40"},
                                                clock=demo.clock)
    s.commit()
    [again] = correction.reevaluations
    assert again.after["outputs"]["roadmap_id"] == "tomsk_low_efficiency_head" and not again.applied
    assert "в программе по категории «Вновь назначенный руководитель»" in again.flag
    assert s.scalar(select(Mentee.category)) == "new_head"
    assert count(s, Decision) >= 3  # registration, pair formation, the re-evaluation

    mentor = fact_corrections.correct_facts(s, curator, demo.person_id("volkov"), {"years_as_head": "3"},
                                            clock=demo.clock)
    [eligibility] = mentor.reevaluations
    assert eligibility.kind == "mentor" and eligibility.after["verdict"] == "not_eligible"
    assert "больше не соответствует требованиям к наставнику (003 §3.5)" in eligibility.flag
    assert eligibility.appointment.status == "active"  # not changed automatically


@SQLITE
def test_wrong_facts_are_refused_by_field_and_nothing_changes(demo, db_session):
    s, curator = db_session, demo.actor("curator")
    with pytest.raises(fact_corrections.FactProblems) as refused:
        fact_corrections.correct_facts(s, curator, demo.person_id("volkov"),
                                       {"years_as_head": "пять", "efficiency_percent": "150", "full_name": "Иванов"})
    found = fact_corrections.problems_by_field(refused.value)
    assert found["years_as_head"] == ["не число"] and "efficiency_percent" in found and "full_name" in found
    s.rollback()
    assert count(s, AuditEntry) == 0 or s.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "person.facts_corrected")) == 0
    with pytest.raises(PermissionDenied):
        fact_corrections.fact_form(s, demo.actor("volkov"), demo.person_id("orlova"))


@SQLITE
def test_a_mentee_in_a_pair_being_formed_keeps_the_category_and_missing_data_is_named(demo, db_session):
    s, curator = db_session, demo.actor("curator")
    demo.appoint("volkov")
    demo.register("novikova")
    demo.consented_pair("volkov", "novikova")  # consents given, the order waits for the head
    correction = fact_corrections.correct_facts(s, curator, demo.person_id("novikova"),
                                                {"months_as_head": "30", "efficiency_percent": "45"}, clock=demo.clock)
    [again] = correction.reevaluations
    assert not again.applied and "в формируемой паре (группе) по категории «Вновь назначенный руководитель»" in again.flag
    assert s.scalar(select(Mentee.category)) == "new_head"

    unknown = fact_corrections.correct_facts(s, curator, demo.person_id("novikova"), {"efficiency_percent": ""},
                                             clock=demo.clock)
    [again] = unknown.reevaluations
    assert "не хватает данных" in again.flag and "оценки эффективности" in again.flag


@SQLITE
def test_a_network_desk_names_the_mentors_direction_and_enters_trainees_on_its_own_page(demo, db_session):
    s = db_session
    department = f.make_department(s, regulation="yakutsk", name="Управление образования г. Якутска")
    specialist = f.make_person(s, organization=department)
    f.make_role(s, specialist, department, "curator")
    leader = f.make_person(s, full_name="Лидерова Ольга Ивановна", organization=department, experience_years=8,
                           high_result_directions=["Функциональная грамотность"], communication_skills=True,
                           ready_to_share=True)
    s.commit()
    curator = load_actor(s, specialist.login)
    with pytest.raises(NastavnikError) as undirected:
        registry_edits.propose_candidate(s, curator, department.id, leader.id, clock=demo.clock)
    assert undirected.value.where == "direction" and "004 II.2" in undirected.value.message
    instance = registry_edits.propose_candidate(s, curator, department.id, leader.id,
                                                direction="  Функциональная   грамотность ", clock=demo.clock)
    assert registry_edits.proposal(s, curator, instance.id).decision["ruleset"] == "network_mentor_yakutsk"
    with pytest.raises(NastavnikError, match="Сетевое наставничество"):  # trainees come with their direction
        registry_edits.add_mentee(s, curator, department.id, leader.id, category="newly_hired", clock=demo.clock)


@SQLITE
def test_a_corrected_birth_date_re_checks_a_pupils_age(db_session):
    world = PackWorld(db_session, "school", datetime(2025, 9, 1, 9, tzinfo=UTC), name="МАОУ Кунарская СОШ")
    s = db_session
    pupil = world.person("Ученик Пётр", participant_kind="student", birth_date=date(2012, 5, 1))
    s.commit()
    curator = world.actor(world.curator)
    registry_edits.add_mentee(s, curator, world.organization.id, pupil.id, category="student", clock=world.clock)
    form = fact_corrections.fact_form(s, curator, pupil.id)
    assert "birth_date" in {f.name for f in form.fields} and form.values["birth_date"] == date(2012, 5, 1)
    correction = fact_corrections.correct_facts(s, curator, pupil.id, {"birth_date": "2017-01-10"}, clock=world.clock)
    [again] = correction.reevaluations
    assert again.after["verdict"] == "not_eligible" and not again.applied
    assert "не относится к категории «Обучающийся в возрасте от 10 лет» (001 §1.1)" in again.flag
