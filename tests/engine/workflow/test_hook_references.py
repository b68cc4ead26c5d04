"""The ``hook`` property: a user task names the domain hook its completion runs; the check refuses a name
the domain does not have, a hook on anything but a task for people, and an empty one, naming the element."""
from __future__ import annotations

import pytest

from engine.errors import WorkflowDefinitionError
from engine.workflow import check_bpmn, load_process

from .conftest import RULESETS, fixture_bytes

FORM = '<spiffworkflow:property name="form" value="draft_plan"/>'
HOOK = '<spiffworkflow:property name="hook" value="record_plan"/>'


def _with(old: str, new: str) -> bytes:
    data = fixture_bytes("mentorship.bpmn").decode()
    assert old in data
    return data.replace(old, new, 1).encode()


def test_a_known_hook_passes_and_reaches_the_task_views():
    data = _with(FORM, FORM + HOOK)
    assert check_bpmn(data, "m.bpmn", known_rulesets=RULESETS, known_hooks={"record_plan"}) == []
    spec = load_process(data, "m.bpmn", known_rulesets=RULESETS, known_hooks={"record_plan"})
    assert {e.element_id: e.hook for e in spec.elements() if e.hook} == {"draft_plan": "record_plan"}


def test_an_unknown_hook_is_refused_naming_the_element():
    data = _with(FORM, FORM + HOOK)
    [problem] = check_bpmn(data, "m.bpmn", known_rulesets=RULESETS, known_hooks={"sign_order"})
    assert (problem.element_id, problem.element_name) == ("draft_plan", "Составить план")
    assert "обработчик «record_plan»" in problem.message and "не зарегистрирован" in problem.message
    assert "известны: sign_order" in problem.message
    with pytest.raises(WorkflowDefinitionError, match="draft_plan"):
        load_process(data, "m.bpmn", known_rulesets=RULESETS, known_hooks=set())
    # without a domain to run them (the workflow layer alone) the names are not checked
    assert check_bpmn(data, "m.bpmn", known_rulesets=RULESETS) == []


@pytest.mark.parametrize(('old', 'new', 'element_id', 'text'), [
    ('<spiffworkflow:property name="ruleset" value="mentor_eligibility_tomsk"/>',
     '<spiffworkflow:property name="ruleset" value="mentor_eligibility_tomsk"/>' + HOOK,
     "check_mentor", "только у задач для людей"),
    (FORM, FORM + '<spiffworkflow:property name="hook" value=" "/>', "draft_plan", "пусто"),
])
def test_a_hook_that_would_never_run_is_refused(old, new, element_id, text):
    problems = check_bpmn(_with(old, new), "m.bpmn", known_rulesets=RULESETS, known_hooks={"record_plan"})
    assert [p.element_id for p in problems] == [element_id]
    assert text in problems[0].message
