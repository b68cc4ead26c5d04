"""Plain expressions (engine.workflow.plain_expressions): the shipped diagrams' conditions are evaluated in the
runtime's own process and answer as the bounded child would; what builds, repeats, calls or loops within a loop is
not plain."""
from __future__ import annotations

import pytest

from engine.workflow.plain_expressions import is_plain_expression

SHIPPED_CONDITIONS = ["stage_index < len(stages)", "bool(rulesets.get('bonus'))", "all(mentee_consents)",
                      "extension.get('initiator') == 'mentor'", "approved == True", "not approved",
                      "all(d['outputs'].get('roadmap') for d in mentee_decisions)", "x if y else z"]
NOT_PLAIN = ["'a' * 10**9", "[x for x in y]", "sum(range(10**8))", "x.get('a').upper()", "s.format(x)",
             "all(x * 1000000 for x in y)", "max(x)", "a[1:2]", "(lambda: 1)()", "x.__class__",
             "all(x == y for x in a for y in a)", "all(all(q for q in b) for b in c)", "len(*x)",
             "import os", "open('f')"]


@pytest.mark.parametrize("expression", SHIPPED_CONDITIONS)
def test_the_shipped_diagrams_conditions_are_plain(expression):
    assert is_plain_expression(expression)


@pytest.mark.parametrize("expression", NOT_PLAIN)
def test_what_builds_repeats_calls_or_loops_within_a_loop_is_not_plain(expression):
    assert not is_plain_expression(expression)


def _environment():
    from engine.workflow.clock import SystemClock
    from engine.workflow.spiff.specs import SandboxScriptEngine
    return SandboxScriptEngine(functions={}, clock=SystemClock(), decide=None).environment


def test_a_plain_condition_is_evaluated_without_a_child_and_answers_as_the_child_would(monkeypatch):
    environment = _environment()
    data = {"stages": [{"id": "a"}, {"id": "b"}], "stage_index": 1, "extension": {"initiator": "mentor"},
            "rulesets": {"bonus": "mentor_bonus_tomsk"}, "mentee_consents": [True, False]}
    through_child = {e: environment._run("eval", e, data, None) for e in SHIPPED_CONDITIONS[:4]}
    child_error = None
    try:
        environment._run("eval", "missing > 1", data, None)
    except Exception as error:  # noqa: BLE001 - compared below
        child_error = error
    monkeypatch.setattr(environment, "_run", lambda *args: pytest.fail("a plain expression went to a child"))
    assert {e: environment.evaluate(e, data) for e in through_child} == through_child
    with pytest.raises(type(child_error), match=str(child_error)):
        environment.evaluate("missing > 1", data)
    value = environment.evaluate("extension", data)
    value["initiator"] = "changed"  # a copy, as the child's pickled answer is
    assert data["extension"] == {"initiator": "mentor"}
