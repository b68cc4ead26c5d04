"""Numbers in rule explanations agree with their units (Babel's Russian plural rules, engine.vocabulary.plural):
a rule file gives a unit's three forms (``unit: [год, года, лет]``) and the explanation reads «3 года», «5 лет»,
«21 год» — never «3 лет»; a missing value reads «нет данных» without a unit pasted after it («нет данных мес.»);
an output in «оклада» agrees too («4 оклада»)."""
from __future__ import annotations

import pytest

from engine.rules import RULES_DIRECTORY, default_registry
from engine.rules.loader import load_bytes
from engine.services.methodology.rule_trials import outputs_shown
from engine.vocabulary import counted, plural

GOOD_TOMSK_MENTOR = dict(years_as_head=5, contest_level="regional", contest_result="winner",
                         efficiency_percent=81, has_mentorship_certificate=True)


def message(decision: dict, criterion: str) -> str:
    return next(c["message"] for c in decision["criteria"] if c["id"] == criterion)


@pytest.mark.parametrize(("count", "word"), [(1, "год"), (3, "года"), (5, "лет"), (11, "лет"), (21, "год"),
                                             (22, "года"), (1.5, "года")])
def test_the_engine_agrees_numbers_by_babels_russian_rules(count, word):
    assert plural(count, "год", "года", "лет") == word
    assert counted(4, "оклад", "оклада", "окладов") == "4 оклада"


@pytest.mark.parametrize(("years", "shown"), [(3, "3 года, а требуется"), (4, "4 года, а требуется"),
                                              (1, "1 год, а требуется"), (12, "12 лет: не менее 5 лет")])
def test_a_mentors_years_as_head_agree_in_the_explanation(decide, years, shown):
    decision = decide("mentor_eligibility_tomsk", **{**GOOD_TOMSK_MENTOR, "years_as_head": years})
    assert f"Стаж в должности руководителя — {shown}" in message(decision, "head_experience")


def test_months_as_head_agree_and_a_missing_value_has_no_unit(decide):
    known = decide("mentee_category_tomsk", is_head=True, months_as_head=4, efficiency_percent=70,
                   school_low_results=False, in_management_reserve=False)
    assert "Руководитель в должности 4 месяца — вновь назначенный" in message(known, "new_head")
    unknown = decide("mentee_category_tomsk", is_head=False, months_as_head=None, efficiency_percent=70,
                     school_low_results=False, in_management_reserve=False)
    assert "нет данных мес" not in " ".join(c["message"] for c in unknown["criteria"])


def test_the_bonus_in_salaries_agrees_with_its_number(decide):
    ruleset = default_registry().get("mentor_bonus_tomsk")
    decision = {"outputs": {"bonus_salaries": 4}}
    [shown] = [o for o in outputs_shown(ruleset, decision) if o["name"] == "bonus_salaries"]
    assert shown["value"] == "4 оклада" and shown["unit"] is None
    decision = {"outputs": {"bonus_salaries": 5}}
    assert next(o for o in outputs_shown(ruleset, decision) if o["name"] == "bonus_salaries")["value"] == "5 окладов"


def test_a_unit_is_a_string_or_three_forms():
    shipped = (RULES_DIRECTORY / "tomsk" / "rulesets" / "mentor_eligibility_tomsk.yaml").read_text(encoding="utf-8")
    ruleset, problems = load_bytes(shipped.encode(), "mentor_eligibility_tomsk.yaml")
    assert not problems and ruleset.facts["years_as_head"].unit == "лет"
    assert ruleset.facts["years_as_head"].unit_forms == ("год", "года", "лет")
    assert ruleset.facts["efficiency_percent"].unit == "%" and not ruleset.facts["efficiency_percent"].unit_forms
    two = shipped.replace("unit: [год, года, лет]", "unit: [год, года]")
    _, problems = load_bytes(two.encode(), "mentor_eligibility_tomsk.yaml")
    assert problems and "три формы" in problems[0].message and problems[0].item == "facts.years_as_head"


def test_collected_grounds_are_shown_by_their_criteria_labels_not_codes():
    ruleset = default_registry().get("mentor_bonus_tomsk")
    decision = {"outputs": {"revocation_grounds": ["no_participation_in_mentor_events", "no_reports"]}}
    [shown] = [o for o in outputs_shown(ruleset, decision) if o["name"] == "revocation_grounds"]
    assert "no_" not in shown["value"] and not any(ch.isascii() and ch.isalpha() for ch in shown["value"])
