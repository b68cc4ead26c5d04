"""The engine checks every step's data against its form's contract, whoever calls (``complete_task``);
``workflow check`` and deploying refuse a user task whose form has no contract, naming the element."""
from __future__ import annotations

import pytest

from engine.bootstrap import bootstrap
from engine.errors import WorkflowDefinitionError
from engine.forms import FormDataError
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances
from tests.engine.services.conftest import START_DATA, plan_bytes

APPROVE_FORM = b'<spiffworkflow:property name="form" value="approve_plan"/>'
APPROVE_FIELDS = b'<spiffworkflow:property name="fields" value="approved: bool; divisor: int; by: any"/>'


def _plan(approve_form: bytes = APPROVE_FORM, approve_fields: bytes = APPROVE_FIELDS) -> bytes:
    data = plan_bytes()
    assert data.count(APPROVE_FORM) == 1 and data.count(APPROVE_FIELDS) == 1
    return data.replace(APPROVE_FORM, approve_form).replace(APPROVE_FIELDS, approve_fields)


def _approval_waiting(session, world, clock, data: bytes):
    definitions.deploy(session, SYSTEM, data, "plan_review.bpmn")
    instance = instances.start_instance(session, world.curator, "plan_review", "program", world.org_id, {},
                                        START_DATA, clock=clock)
    [draft] = instance.open_tasks
    instances.complete_task(session, world.mentor, instance.id, draft.task_id, {"plan": "План"}, clock=clock)
    session.commit()
    [approve] = instance.open_tasks
    return instance, approve.task_id


def _refused(session, world, instance, task_id, data, clock) -> FormDataError:
    version = instance.version
    with pytest.raises(FormDataError) as caught:
        instances.complete_task(session, world.curator, instance.id, task_id, data, clock=clock)
    session.commit()
    assert instance.version == version and [t.task_id for t in instance.open_tasks] == [task_id]  # nothing stored
    return caught.value


def test_a_shipped_form_is_checked_against_its_contract(db_session, world, clock):
    """The curator's approval drawn with the shipped form review_stage_report (no fields declared)."""
    data = _plan(b'<spiffworkflow:property name="form" value="review_stage_report"/>', b"")
    instance, task_id = _approval_waiting(db_session, world, clock, data)
    for bad, field in [({"approved": "yes"}, "approved"), ({}, "approved"),
                       ({"approved": True, "divisor": 0}, "divisor"), ({"approved": True, "comment": "x" * 20001}, "comment")]:
        assert _refused(db_session, world, instance, task_id, bad, clock).where == field
    instances.complete_task(db_session, world.curator, instance.id, task_id, {"approved": True, "comment": ""},
                            clock=clock)
    db_session.commit()
    assert instance.status == "completed"


def test_a_diagrams_own_form_is_checked_against_what_it_declares(db_session, world, clock):
    instance, task_id = _approval_waiting(db_session, world, clock, plan_bytes())
    assert _refused(db_session, world, instance, task_id, {"approved": 1}, clock).where == "approved"
    assert _refused(db_session, world, instance, task_id, {"approved": True, "score": 5}, clock).where == "score"
    instances.complete_task(db_session, world.curator, instance.id, task_id, {"approved": True, "by": ["a"]},
                            clock=clock)
    db_session.commit()
    assert instances.snapshot(db_session, instance.id).data["by"] == ["a"]


def test_check_and_deploy_refuse_a_form_without_contract(db_session, world):
    undeclared = _plan(approve_fields=b"")
    [problem] = definitions.check(undeclared, "plan_review.bpmn", domain=bootstrap())
    assert (problem.element_id, problem.element_name) == ("approve_plan", "Утвердить план")
    assert "у формы «approve_plan» нет контракта" in problem.message and "review_stage_report" in problem.message
    with pytest.raises(WorkflowDefinitionError) as caught:
        definitions.deploy(db_session, SYSTEM, undeclared, "plan_review.bpmn")
    assert "approve_plan" in {p.element_id for p in caught.value.problems}
    with pytest.raises(WorkflowDefinitionError):
        definitions.save_draft(db_session, world.methodologist, undeclared, "plan_review.bpmn")

    renamed = _plan(b'<spiffworkflow:property name="form" value="sign_order"/>')  # a shipped form redefined
    [problem] = definitions.check(renamed, "plan_review.bpmn", domain=bootstrap())
    assert problem.element_id == "approve_plan" and "форма системы" in problem.message
    garbled = _plan(approve_fields=b'<spiffworkflow:property name="fields" value="approved: yesno"/>')
    [problem] = definitions.check(garbled, "plan_review.bpmn", domain=bootstrap())
    assert problem.element_id == "approve_plan" and "«yesno»" in problem.message


def test_the_shipped_diagrams_pass():
    for path in sorted(definitions.WORKFLOWS_DIRECTORY.glob("*.bpmn")):
        assert definitions.check(path.read_bytes(), path.name, domain=bootstrap()) == [], path
