"""The difference between two editions of a rule file, as text and by meaning."""
from __future__ import annotations

from engine.regulations import shipped_rule_file
from engine.rules.diff import compare, side_by_side, summarise, unified
from engine.rules.loader import load_bytes

ELIGIBILITY = shipped_rule_file("mentor_eligibility_tomsk").read_text(encoding="utf-8")
CATEGORY = shipped_rule_file("mentee_category_tomsk").read_text(encoding="utf-8")


def ruleset(text: str):
    parsed, problems = load_bytes(text.encode("utf-8"), "x.yaml")
    assert problems == []
    return parsed


def changes_of(old: str, new: str):
    return compare(ruleset(old), ruleset(new))


def test_the_same_text_has_no_changes():
    assert changes_of(ELIGIBILITY, ELIGIBILITY) == []
    assert side_by_side(ELIGIBILITY, ELIGIBILITY) == [] and unified(ELIGIBILITY, ELIGIBILITY) == ""


def test_layout_only_is_no_change_in_meaning():
    relaid = ELIGIBILITY.replace("# Кто может быть наставником", "# Кто может стать наставником") + "\n# конец\n"
    assert changes_of(ELIGIBILITY, relaid) == []
    assert side_by_side(ELIGIBILITY, relaid)


def test_a_changed_threshold_and_version():
    edited = ELIGIBILITY.replace('version: "1"', 'version: "2"').replace("years_as_head >= 5", "years_as_head >= 4")
    changes = changes_of(ELIGIBILITY, edited)
    assert [(c.section, c.name, c.kind) for c in changes] == [
        ("ruleset", "mentor_eligibility_tomsk", "changed"), ("criterion", "head_experience", "changed")]
    assert changes[0].details == ("версия: «1» → «2»",)
    assert changes[1].details == ("условие: «years_as_head >= 5» → «years_as_head >= 4»",)
    summary = summarise(changes)
    assert summary.criteria_changed == ("head_experience",) and not summary.clauses_changed and not summary.empty


def test_clauses_criteria_added_and_removed():
    removed = ELIGIBILITY.replace('version: "1"', 'version: "2"')
    start = removed.index("  - id: mentorship_certificate")
    removed = removed[:start] + removed[removed.index("verdict:"):]
    added = removed.replace("criteria:\n", "criteria:\n" + """  - id: age_ok
    label: Возраст
    condition: years_as_head >= 1
    source: "003 §3.6"
    messages:
      passed: "да"
      failed: "нет"
      no_data: "нет данных"
""").replace('source: "003 §3.4"', 'source: "003 §3.4 а"')
    summary = summarise(changes_of(ELIGIBILITY, added))
    assert summary.criteria_added == ("age_ok",) and summary.criteria_removed == ("mentorship_certificate",)
    assert summary.clauses_changed == (("term_months", "003 §3.4", "003 §3.4 а"),)


def test_a_parameter_change_shows_in_the_criteria_that_use_it():
    edited = CATEGORY.replace('version: "1"', 'version: "2"').replace("    value: 12\n", "    value: 18\n", 1)
    changes = changes_of(CATEGORY, edited)
    parameter = next(c for c in changes if c.section == "parameter")
    assert parameter.name == "new_head_max_months" and parameter.details == ("значение: «12» → «18»",)
    users = [c for c in changes if c.section == "criterion"]
    assert users and all("значения параметров" in c.details[0] for c in users)
    assert summarise(changes).parameters_changed == ("new_head_max_months",)


def test_verdict_labels_and_outputs():
    edited = (ELIGIBILITY.replace("eligible: Может быть назначен наставником", "eligible: Может быть наставником")
              .replace("    value: 24", "    value: 12"))
    changes = changes_of(ELIGIBILITY, edited)
    assert ("verdict", "eligible", "changed") in [(c.section, c.name, c.kind) for c in changes]
    output = next(c for c in changes if c.section == "output")
    assert output.details == ("значение: «24» → «12»",)


def test_side_by_side_rows_and_unified_text():
    edited = ELIGIBILITY.replace("years_as_head >= 5", "years_as_head >= 4").replace(
        "    unit: [год, года, лет]\n", "    unit: [год, года, лет]\n    integer: true\n", 1)
    hunks = side_by_side(ELIGIBILITY, edited, context=1)
    rows = [row for hunk in hunks for row in hunk.rows]
    inserted = [r for r in rows if r.kind == "insert"]
    replaced = [r for r in rows if r.kind == "replace"]
    assert [r.new.strip() for r in inserted] == ["integer: true"] and inserted[0].old_no is None
    assert [(r.old.strip(), r.new.strip()) for r in replaced] == [
        ("condition: years_as_head >= 5", "condition: years_as_head >= 4")]
    assert ELIGIBILITY.splitlines()[replaced[0].old_no - 1] == replaced[0].old
    assert edited.splitlines()[replaced[0].new_no - 1] == replaced[0].new
    assert hunks[0].header.startswith("@@ -")
    text = unified(ELIGIBILITY, edited, "v1", "v2")
    assert text.startswith("--- v1\n+++ v2\n") and "-    condition: years_as_head >= 5" in text
