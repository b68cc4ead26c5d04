"""Lines of the problems the rule file validator reports (for the editor's gutter)."""
from __future__ import annotations

import pytest

from engine.regulations import shipped_rule_file
from engine.rules.loader import load_bytes
from engine.rules.problems import RuleProblem
from engine.services.methodology.rule_lines import locate

SHIPPED = shipped_rule_file("mentor_eligibility_tomsk").read_text(encoding="utf-8")


def line_of(text: str, item: str) -> str:
    _ruleset, problems = load_bytes(text.encode("utf-8"), "x.yaml")
    problem = next(p for p in problems if p.item == item)
    line = locate(text, problem)
    assert line is not None, problem
    return text.split("\n")[line - 1].strip()


@pytest.mark.parametrize(("old", "new", "item", "expected"), [
    ("years_as_head >= 5", "years_as_hed >= 5", "head_experience", "condition: years_as_hed >= 5"),
    ("efficiency_percent >= 81", "efficiency_percent >= ", "efficiency_positive", "condition: efficiency_percent >="),
    ('source: "003 §3.5"\n    messages:\n      passed: "Есть удостоверение',
     'source: "где-то"\n    messages:\n      passed: "Есть удостоверение', "mentorship_certificate", 'source: "где-то"'),
    ("{efficiency_percent} %: 81", "{efficiency} %: 81", "efficiency_positive", 'passed: "Результат оценки'),
    ("  contest_result:\n    type: enum", "  contest_result:\n    type: enumeration", "facts.contest_result",
     "type: enumeration"),
    ("notes: >", "remarks: >", "файл", "remarks: >"),
    ("      when: {all_passed: \"*\"}", "      when: {all_passed: [head_experiense]}", "verdict.cases[0]",
     "- verdict: eligible"),  # the first case
])
def test_the_line_of_a_problem(old, new, item, expected):
    assert old in SHIPPED
    assert line_of(SHIPPED.replace(old, new, 1), item).startswith(expected)


def test_a_yaml_error_names_its_own_line():
    text = SHIPPED + "\n  broken: [\n"
    _ruleset, [problem] = load_bytes(text.encode("utf-8"), "x.yaml")
    assert locate(text, problem) == text.count("\n") + 1


def test_unknown_places_have_no_line():
    assert locate(SHIPPED, RuleProblem("x.yaml", "r", "no_such_criterion", "поле condition: …")) is None
    assert locate(SHIPPED, RuleProblem("x.yaml", "r", "файл", "файл больше 256 КБ")) is None
