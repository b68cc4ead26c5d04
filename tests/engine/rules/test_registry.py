"""Reloading: an edited file replaces the running ruleset only if it passes the check; every decision
records the version that made it."""
import threading

import pytest

from engine.errors import FactError, UnknownRuleset
from engine.regulations import shipped_rule_file
from engine.rules import RuleRegistry

SOURCE = shipped_rule_file("mentor_bonus_tomsk").read_text(encoding="utf-8")
FACTS = dict(mentee_count=2, roadmap_fulfilled=True, reports_submitted=True, attended_mentor_events=True,
             analytical_materials=True)


@pytest.fixture
def registry():
    registry = RuleRegistry()
    assert registry.reload(SOURCE.encode(), "mentor_bonus_tomsk.yaml") == []
    return registry


def test_decision_names_its_version(registry):
    assert registry.decide("mentor_bonus_tomsk", FACTS)["version"] == "1"


def test_new_version_replaces_the_running_one(registry):
    edited = SOURCE.replace('version: "1"', 'version: "2"').replace("        value: 4\n", "        value: 6\n")
    assert registry.reload(edited.encode(), "mentor_bonus_tomsk.yaml") == []
    decision = registry.decide("mentor_bonus_tomsk", FACTS)
    assert (decision["version"], decision["outputs"]["bonus_salaries"]) == ("2", 6)
    assert [version for version, _ in registry.versions("mentor_bonus_tomsk")] == ["1", "2"]


def test_broken_edit_keeps_the_previous_version_serving(registry):
    broken = SOURCE.replace('version: "1"', 'version: "2"').replace("mentee_count >= 3", "mentee_cout >= 3")
    problems = registry.reload(broken.encode(), "mentor_bonus_tomsk.yaml")
    assert problems and "mentee_cout" in str(problems[0]) and "mentee_count" in str(problems[0])
    decision = registry.decide("mentor_bonus_tomsk", FACTS)
    assert (decision["version"], decision["outputs"]["bonus_salaries"]) == ("1", 4)


def test_changed_content_under_the_same_version_is_refused(registry):
    edited = SOURCE.replace("        value: 4\n", "        value: 6\n")
    problems = registry.reload(edited.encode(), "mentor_bonus_tomsk.yaml")
    assert len(problems) == 1 and "увеличьте version" in problems[0].message
    assert registry.decide("mentor_bonus_tomsk", FACTS)["outputs"]["bonus_salaries"] == 4


def test_reloading_identical_content_is_harmless(registry):
    assert registry.reload(SOURCE.encode(), "mentor_bonus_tomsk.yaml") == []
    assert len(registry.versions("mentor_bonus_tomsk")) == 1


def test_unknown_ruleset_suggests_the_closest(registry):
    with pytest.raises(UnknownRuleset, match="возможно, имелось в виду «mentor_bonus_tomsk»"):
        registry.decide("mentor_bonus_tomks", FACTS)


def test_strict_mode_refuses_wrong_types(registry):
    with pytest.raises(FactError, match="mentee_count.*ожидается целое число"):
        registry.decide("mentor_bonus_tomsk", {**FACTS, "mentee_count": 1.5}, strict=True)


def test_reload_while_deciding_from_threads(registry):
    edited = SOURCE.replace('version: "1"', 'version: "3"')
    errors, versions = [], set()

    def work():
        try:
            for _ in range(300):
                versions.add(registry.decide("mentor_bonus_tomsk", FACTS)["version"])
        except Exception as error:  # pragma: no cover - the assertion below reports it
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    assert registry.reload(edited.encode(), "mentor_bonus_tomsk.yaml") == []
    for thread in threads:
        thread.join()
    assert errors == [] and versions <= {"1", "3"}
    assert registry.decide("mentor_bonus_tomsk", FACTS)["version"] == "3"
