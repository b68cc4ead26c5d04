"""Rule file versions: the shipped files as version 1, checked saves with problems on their lines,
deploying into a registry, trying a version, a person's facts with the access log."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import AccessLogEntry, Decision, RuleFileVersion
from engine.errors import NastavnikError, NotFound, PermissionDenied, RuleFileError
from engine.regulations import rule_file_paths, shipped_rule_file
from engine.rules import RuleRegistry
from engine.services.methodology import rule_deployment, rule_files, rule_trials
from engine.services.people.actor import load_actor
from tests import factories as f

NAME = "mentor_eligibility_tomsk"
SHIPPED = shipped_rule_file(NAME).read_text(encoding="utf-8")
EDITED = SHIPPED.replace('version: "1"', 'version: "2"').replace("years_as_head >= 5", "years_as_head >= 4")
FACTS = {"years_as_head": 4, "contest_level": "regional", "contest_result": "laureate", "efficiency_percent": 85,
         "has_mentorship_certificate": True}


@pytest.fixture
def world(db_session):
    tomsk = f.make_department(db_session)
    school = f.make_organization(db_session, parent=tomsk)
    yakutsk = f.make_department(db_session, regulation="yakutsk")
    methodologist, other, curator = f.make_person(db_session), f.make_person(db_session), f.make_person(db_session)
    f.make_role(db_session, methodologist, tomsk, "methodologist")
    f.make_role(db_session, other, yakutsk, "methodologist")
    f.make_role(db_session, curator, tomsk, "curator")
    candidate = f.make_person(db_session, organization=school, years_as_head=6, contest_level="regional",
                              contest_result="winner", efficiency_percent=90, has_mentorship_certificate=None)
    stranger = f.make_person(db_session, organization=yakutsk, years_as_head=1)
    db_session.commit()
    return {"me": load_actor(db_session, methodologist.login), "yakutsk": load_actor(db_session, other.login),
            "curator": load_actor(db_session, curator.login), "candidate": candidate, "stranger": stranger}


def test_shipped_files_become_deployed_version_1_once(db_session, world):
    assert rule_files.ensure_shipped(db_session) == len(rule_file_paths()) == 8
    assert rule_files.ensure_shipped(db_session) == 0
    rows = db_session.scalars(select(RuleFileVersion)).all()
    assert {(r.file_name, r.version, r.status) for r in rows} == {
        (p.name, 1, "deployed") for p in rule_file_paths()}
    assert all(r.sha256 == rule_files.sha256(r.content) for r in rows)


def test_a_methodologist_sees_the_files_of_their_regulation(db_session, world):
    assert [i.ruleset_id for i in rule_files.list_files(db_session, world["me"])] == [
        "mentee_category_tomsk", "mentor_bonus_tomsk", "mentor_eligibility_tomsk"]
    assert [i.ruleset_id for i in rule_files.list_files(db_session, world["yakutsk"])] == ["network_mentor_yakutsk"]
    with pytest.raises(PermissionDenied):
        rule_files.get_file(db_session, world["me"], "network_mentor_yakutsk")
    with pytest.raises(PermissionDenied):
        rule_files.get_file(db_session, world["curator"], NAME)
    with pytest.raises(NotFound):
        rule_files.get_file(db_session, world["me"], "no_such_file")


def test_problems_name_the_criterion_and_their_line(db_session, world):
    broken = SHIPPED.replace("years_as_head >= 5", "years_as_hed >= 5")
    problems = rule_files.check_text(db_session, world["me"], NAME, broken)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.item == "head_experience" and "years_as_hed" in problem.message and "years_as_head" in problem.message
    assert broken.split("\n")[problem.line - 1].strip() == "condition: years_as_hed >= 5"
    assert problem.text.startswith(f"{NAME}.yaml: {NAME}/head_experience: поле condition:")


@pytest.mark.parametrize(("edit", "item", "line_text"), [
    (lambda t: t.replace("    type: number\n    unit: [год, года, лет]", "    type: numbr\n    unit: [год, года, лет]"), "facts.years_as_head",
     "type: numbr"),
    (lambda t: t.replace("verdict:\n", "verdict:\n  colour: red\n"), "verdict", "colour: red"),
    (lambda t: t.replace("notes: >", "remarks: >"), "файл", "remarks:"),
    (lambda t: t + "\n  broken: [\n", "файл", None),  # a YAML error: its line
    (lambda t: t.replace("      no_data: \"Не указан стаж", "      nodata: \"Не указан стаж"), "head_experience.messages",
     "nodata:"),
])
def test_problem_lines(db_session, world, edit, item, line_text):
    text = edit(SHIPPED)
    problems = rule_files.check_text(db_session, world["me"], NAME, text)
    found = next(p for p in problems if p.item == item)
    assert found.line is not None
    if line_text:
        assert text.split("\n")[found.line - 1].strip().startswith(line_text)


def test_changed_rules_need_a_new_version_field(db_session, world):
    same_version = SHIPPED.replace("years_as_head >= 5", "years_as_head >= 4")
    problems = rule_files.check_text(db_session, world["me"], NAME, same_version)
    assert [p.item for p in problems] == ["version"]
    assert "уже носит версия 1" in problems[0].message and 'version: "2"' in problems[0].message
    assert SHIPPED.split("\n")[problems[0].line - 1] == 'version: "1"'
    with pytest.raises(RuleFileError):
        rule_files.save_version(db_session, world["me"], NAME, same_version, "порог 4")
    assert rule_files.check_text(db_session, world["me"], NAME, EDITED) == []


def test_the_ruleset_id_stays(db_session, world):
    renamed = EDITED.replace(f"id: {NAME}", "id: mentor_eligibility_new")
    assert any(p.item == "id" and "менять нельзя" in p.message
               for p in rule_files.check_text(db_session, world["me"], NAME, renamed))


def test_save_then_deploy_runs_the_new_version(db_session, world):
    registry = RuleRegistry()
    rule_deployment.activate_deployed(db_session, registry)
    assert registry.decide(NAME, FACTS)["verdict"] == "not_eligible"
    row = rule_files.save_version(db_session, world["me"], NAME, EDITED.replace("\n", "\r\n"), "порог 4 года")
    assert (row.version, row.status, row.comment, row.content) == (2, "draft", "порог 4 года", EDITED)
    assert registry.decide(NAME, FACTS)["version"] == "1"  # saving changes nothing that runs
    with pytest.raises(NastavnikError, match="уже сохранён как версия 2"):
        rule_files.save_version(db_session, world["me"], NAME, EDITED, None)

    rule_deployment.deploy(db_session, world["me"], NAME, 2, registry)
    decision = registry.decide(NAME, FACTS)
    assert (decision["version"], decision["verdict"]) == ("2", "eligible")
    info = rule_files.get_file(db_session, world["me"], NAME)
    assert [(v.row.version, v.deployed) for v in info.versions] == [(2, True), (1, False)]
    assert info.version(2).row.deployed_by_id == world["me"].person_id
    assert rule_deployment.in_sync(db_session, registry)

    rule_deployment.deploy(db_session, world["me"], NAME, 1, registry)  # back to the first version
    assert registry.decide(NAME, FACTS)["version"] == "1"


def test_activation_follows_the_database(db_session, world):
    rule_files.ensure_shipped(db_session)
    rule_files.save_version(db_session, world["me"], NAME, EDITED, None)
    rule_deployment.deploy(db_session, world["me"], NAME, 2, RuleRegistry())
    fresh = RuleRegistry()  # another process starting on this database
    assert not rule_deployment.in_sync(db_session, fresh)
    rule_deployment.activate_deployed(db_session, fresh)
    assert fresh.decide(NAME, FACTS)["version"] == "2"
    assert sorted(fresh.ids()) == ["mentee_category_tomsk", "mentee_eligibility_school", "mentor_bonus_tomsk",
                                   "mentor_eligibility_college", "mentor_eligibility_school", NAME,
                                   "mentor_eligibility_vsosh", "network_mentor_yakutsk"]


def test_usage_counts_decisions_per_version(db_session, world):
    rule_files.ensure_shipped(db_session)
    for version in ("1", "1", "7"):
        db_session.add(Decision(person_id=world["candidate"].id, ruleset_id=NAME, ruleset_version=version,
                                verdict="eligible", body={}))
    db_session.flush()
    info = rule_files.get_file(db_session, world["me"], NAME)
    first = info.version(1)
    assert (first.decisions, first.programs, first.people) == (2, 0, 1)
    assert info.other_usage == [("7", 1)]


def test_trying_a_draft_changes_nothing_that_runs(db_session, world):
    registry = RuleRegistry()
    rule_deployment.activate_deployed(db_session, registry)
    rule_files.save_version(db_session, world["me"], NAME, EDITED, None)
    decision = rule_trials.try_version(db_session, world["me"], NAME, 2, FACTS)
    assert (decision["version"], decision["verdict"]) == ("2", "eligible")
    assert decision["criteria"][0]["source"] == "003 §3.5"
    assert registry.decide(NAME, FACTS)["version"] == "1"


def test_form_facts_are_typed_and_bad_ones_named(db_session, world):
    rule_files.ensure_shipped(db_session)
    ruleset = rule_files.parsed(rule_files.get_file(db_session, world["me"], NAME).version(1).row)
    facts, errors = rule_trials.parse_facts(ruleset, {
        "fact_years_as_head": "6", "fact_efficiency_percent": "85,5", "fact_contest_level": "regional",
        "fact_contest_result": "", "fact_has_mentorship_certificate": "no"})
    assert (facts, errors) == ({"years_as_head": 6, "efficiency_percent": 85.5, "contest_level": "regional",
                                "has_mentorship_certificate": False}, {})
    _facts, errors = rule_trials.parse_facts(ruleset, {
        "fact_years_as_head": "шесть", "fact_efficiency_percent": "101", "fact_contest_level": "galactic",
        "fact_has_mentorship_certificate": "maybe"})
    assert set(errors) == {"years_as_head", "efficiency_percent", "contest_level", "has_mentorship_certificate"}
    assert "не число" in errors["years_as_head"] and "от 0 до 100" in errors["efficiency_percent"]
    assert rule_trials.parse_facts(ruleset, rule_trials.form_values(ruleset, FACTS)) == (FACTS, {})


def test_list_facts_from_the_form(db_session, world):
    rule_files.ensure_shipped(db_session)
    info = rule_files.get_file(db_session, world["yakutsk"], "network_mentor_yakutsk")
    ruleset = rule_files.parsed(info.version(1).row)
    assert rule_trials.parse_facts(ruleset, {"fact_high_result_directions": "ИКТ\n\n  STEM \n"})[0] == {
        "high_result_directions": ["ИКТ", "STEM"]}
    assert rule_trials.parse_facts(ruleset, {"fact_high_result_directions": "",
                                             "fact_high_result_directions_empty": "1"})[0] == {
        "high_result_directions": []}
    assert rule_trials.parse_facts(ruleset, {})[0] == {}


def test_a_persons_facts_are_read_with_the_access_log(db_session, world):
    rule_files.ensure_shipped(db_session)
    ruleset = rule_files.parsed(rule_files.get_file(db_session, world["me"], NAME).version(1).row)
    assert world["candidate"] in rule_trials.people(db_session, world["me"])
    assert world["stranger"] not in rule_trials.people(db_session, world["me"])
    person, facts = rule_trials.person_facts(db_session, world["me"], ruleset, world["candidate"].id)
    assert facts == {"years_as_head": 6, "contest_level": "regional", "contest_result": "winner",
                     "efficiency_percent": 90, "has_mentorship_certificate": None}
    entry = db_session.scalars(select(AccessLogEntry)).one()
    assert (entry.subject_id, entry.viewer_id, entry.purpose) == (person.id, world["me"].person_id, "rules_check")
    with pytest.raises(PermissionDenied):
        rule_trials.person_facts(db_session, world["me"], ruleset, world["stranger"].id)
    with pytest.raises(NotFound):
        rule_trials.person_facts(db_session, world["me"], ruleset, 10**9)
