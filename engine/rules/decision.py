"""Turns criterion outcomes (True / False / None = unknown) into the one decision shape:

    {"ruleset", "ruleset_title", "version", "verdict", "verdict_label",
     "criteria": [{"id", "label", "passed", "message", "source"}],
     "outputs": {...}, "facts": {...}, "fact_problems": [...]}
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache, partial

from engine.rules.facts import FactIssue, display
from engine.rules.model import UNDECIDED, CriteriaTest, Output, Ruleset
from engine.rules.syntax import PLACEHOLDER

Outcome = bool | None
MESSAGE_KIND = {True: "passed", False: "failed", None: "no_data"}


@lru_cache(maxsize=4096)
def template_parts(template: str) -> tuple[str, ...]:
    """A message split once into text and placeholder names: text, name, text, …, text."""
    return tuple(PLACEHOLDER.split(template))


def format_message(ruleset: Ruleset, template: str, facts: Mapping) -> str:
    if "{" not in template:
        return template
    parts = template_parts(template)
    shown = list(parts)
    for index in range(1, len(parts), 2):
        name = parts[index]
        shown[index] = (display(None, ruleset.parameters[name].value) if name in ruleset.parameters
                        else display(ruleset.facts.get(name), facts.get(name)))
    return "".join(shown)


def _combine(combinator: str, outcomes: list[Outcome]) -> Outcome:
    if combinator in ("all_passed", "any_failed"):
        value: Outcome = False if False in outcomes else (None if None in outcomes else True)
    else:  # any_passed, all_failed
        value = True if True in outcomes else (None if None in outcomes else False)
    if combinator in ("any_failed", "all_failed"):
        value = None if value is None else not value
    return value


def criteria_outcome(test: CriteriaTest, passed: Mapping[str, Outcome]) -> Outcome:
    """The conjunction of the test's parts, three-valued."""
    values = [_combine(combinator, [passed[c] for c in ids]) for combinator, ids in test.parts]
    return False if False in values else (None if None in values else True)


def verdict_of(ruleset: Ruleset, passed: Mapping[str, Outcome]) -> str:
    for case in ruleset.verdict_cases:
        if case.when is None:
            return case.verdict
        outcome = criteria_outcome(case.when, passed)
        if outcome is None:
            return UNDECIDED
        if outcome:
            return case.verdict
    return UNDECIDED


def output_value(output: Output, verdict: str, passed: Mapping[str, Outcome],
                 case_outcome: Callable[[int], Outcome]) -> object:
    if output.cases:
        for index, case in enumerate(output.cases):
            outcome = (case_outcome(index) if case.when is not None
                       else criteria_outcome(case.when_criteria, passed) if case.when_criteria is not None else None)
            if outcome is None:
                return None
            if outcome:
                return case.value
        return output.otherwise
    if output.collect:
        outcomes = [passed[c] for c in output.collect_from]
        if None in outcomes:
            return None
        wanted = output.collect == "passed"
        return [output.collect_values.get(c, c) for c in output.collect_from if passed[c] is wanted]
    if output.when_verdict is not None and verdict not in output.when_verdict:
        return output.otherwise
    return output.value


def build(ruleset: Ruleset, facts: Mapping, issues: list[FactIssue], passed: Mapping[str, Outcome],
          case_outcome: Callable[[str, int], Outcome]) -> dict:
    verdict = verdict_of(ruleset, passed)
    return {
        "ruleset": ruleset.id,
        "ruleset_title": ruleset.title,  # what people read: the rule file's title, not its id
        "version": ruleset.version,
        "verdict": verdict,
        "verdict_label": ruleset.verdict_labels.get(verdict, verdict),
        "criteria": [
            {
                "id": criterion.id,
                "label": criterion.label,
                "passed": passed[criterion.id],
                "message": format_message(ruleset, criterion.messages[MESSAGE_KIND[passed[criterion.id]]], facts),
                "source": criterion.source,
            }
            for criterion in ruleset.criteria
        ],
        "outputs": {
            output.name: output_value(output, verdict, passed,
                                      partial(case_outcome, output.name))
            for output in ruleset.outputs
        },
        "facts": dict(facts),
        "fact_problems": [str(issue) for issue in issues],
    }
