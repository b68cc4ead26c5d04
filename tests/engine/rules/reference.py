"""A plain-Python evaluator of rule files, written independently of the durable_rules path.

It shares only the loader (what the file says), fact typing and message formatting with the product;
expression truth, verdicts and outputs are computed here straight from the rule-file semantics:
strong Kleene three-valued logic, where a comparison on a missing fact is unknown (None).
"""
from __future__ import annotations

import operator

from engine.rules.decision import MESSAGE_KIND, format_message
from engine.rules.expressions import And, Compare, Member, Not
from engine.rules.facts import normalise
from engine.rules.model import UNDECIDED, Ruleset

OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def kleene_and(values) -> bool | None:
    values = list(values)
    if False in values:
        return False
    return None if None in values else True


def kleene_or(values) -> bool | None:
    values = list(values)
    if True in values:
        return True
    return None if None in values else False


def kleene_not(value) -> bool | None:
    return None if value is None else not value


def truth(expr, facts: dict) -> bool | None:
    if isinstance(expr, Compare):
        if expr.field not in facts:
            return None
        value = len(facts[expr.field]) if expr.counted else facts[expr.field]
        return OPS[expr.op](value, expr.value)
    if isinstance(expr, Member):
        if expr.field not in facts:
            return None
        return (facts[expr.field] in expr.values) != expr.negated
    if isinstance(expr, Not):
        return kleene_not(truth(expr.operand, facts))
    values = [truth(operand, facts) for operand in expr.operands]
    return kleene_and(values) if isinstance(expr, And) else kleene_or(values)


def combine(name: str, outcomes: list) -> bool | None:
    return {
        "all_passed": lambda: kleene_and(outcomes),
        "any_passed": lambda: kleene_or(outcomes),
        "any_failed": lambda: kleene_not(kleene_and(outcomes)),
        "all_failed": lambda: kleene_not(kleene_or(outcomes)),
    }[name]()


def criteria_test(test, passed: dict) -> bool | None:
    return kleene_and(combine(name, [passed[c] for c in ids]) for name, ids in test.parts)


def first_case(cases, outcome_of, default):
    """(value, decided): the first case whose condition holds; an unknown one before it → (None, False)."""
    for case in cases:
        outcome = outcome_of(case)
        if outcome is None:
            return None, False
        if outcome:
            return case, True
    return default, True


def evaluate(ruleset: Ruleset, raw_facts) -> dict:
    facts, issues = normalise(ruleset, raw_facts)
    passed = {c.id: truth(c.condition, facts) for c in ruleset.criteria}

    verdict = UNDECIDED
    decisive = [case for case in ruleset.verdict_cases if case.when is not None]
    fallback = [case for case in ruleset.verdict_cases if case.when is None]
    chosen, decided = first_case(decisive, lambda case: criteria_test(case.when, passed), fallback[0] if fallback else None)
    if decided and chosen is not None:
        verdict = chosen.verdict

    outputs = {}
    for output in ruleset.outputs:
        if output.cases:
            def outcome_of(case):
                return truth(case.when, facts) if case.when is not None else criteria_test(case.when_criteria, passed)
            chosen, decided = first_case(output.cases, outcome_of, None)
            value = (chosen.value if chosen is not None else output.otherwise) if decided else None
        elif output.collect:
            states = [passed[c] for c in output.collect_from]
            want = output.collect == "passed"
            value = None if None in states else [
                output.collect_values.get(c, c) for c in output.collect_from if passed[c] is want]
        elif output.when_verdict is not None and verdict not in output.when_verdict:
            value = output.otherwise
        else:
            value = output.value
        outputs[output.name] = value

    return {
        "ruleset": ruleset.id,
        "ruleset_title": ruleset.title,
        "version": ruleset.version,
        "verdict": verdict,
        "verdict_label": ruleset.verdict_labels.get(verdict, verdict),
        "criteria": [{"id": c.id, "label": c.label, "passed": passed[c.id],
                      "message": format_message(ruleset, c.messages[MESSAGE_KIND[passed[c.id]]], facts),
                      "source": c.source} for c in ruleset.criteria],
        "outputs": outputs,
        "facts": facts,
        "fact_problems": [str(issue) for issue in issues],
    }
