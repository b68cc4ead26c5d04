"""A methodologist designs a form, deploys it, draws a user task naming it (``designed:<key>``) and deploys the
process: the process pins the form's version; the curator's answers are checked against that version (a Russian
message naming the field) and kept with the step; editing the form later does not change the running process."""
from __future__ import annotations

import pytest

from engine.bootstrap import bootstrap
from engine.errors import ConflictError, NastavnikError, PermissionDenied, WorkflowDefinitionError
from engine.forms import FormDataError
from engine.services.methodology import designed_forms, modeler_catalog
from engine.services.process import definitions, instances
from engine.services.tasks import designed_step
from tests.engine.services.conftest import START_DATA, plan_bytes

APPROVE_FORM = b'<spiffworkflow:property name="form" value="approve_plan"/>'
APPROVE_FIELDS = b'<spiffworkflow:property name="fields" value="approved: bool; divisor: int; by: any"/>'
DESIGNED = b'<spiffworkflow:property name="form" value="designed:plan_opinion"/>'
SCHEMA = {"type": "default", "components": [
    {"type": "textfield", "key": "opinion", "label": "Мнение о плане", "validate": {"required": True, "minLength": 5}},
    {"type": "number", "key": "grade", "label": "Оценка плана", "decimalDigits": 0, "validate": {"min": 1, "max": 5}},
    {"type": "checkbox", "key": "approved", "label": "План утверждён"},
]}


def _plan_with_designed_form() -> bytes:
    return plan_bytes().replace(APPROVE_FORM, DESIGNED).replace(APPROVE_FIELDS, b"")


def _design(session, actor, schema=SCHEMA):
    designed_forms.save_draft(session, actor, "plan_opinion", "Мнение о плане", schema)
    return designed_forms.deploy(session, actor, "plan_opinion")


def test_design_deploy_pin_run_refuse_accept_and_show(db_session, world, clock):
    methodologist = world.methodologist
    data = _plan_with_designed_form()
    with pytest.raises(WorkflowDefinitionError) as caught:  # the form is not deployed yet
        definitions.deploy(db_session, methodologist, data, "plan_review.bpmn")
    assert "форма «designed:plan_opinion» не развёрнута" in caught.value.problems[0].message
    db_session.rollback()

    draft = designed_forms.save_draft(db_session, methodologist, "plan_opinion", "Мнение", {"components": []})
    assert (draft.version, draft.status) == (1, "draft")
    assert designed_forms.save_draft(db_session, methodologist, "plan_opinion", "Мнение о плане", SCHEMA).id == draft.id
    assert designed_forms.process_problems(db_session, methodologist, data, "plan_review.bpmn")  # still a draft
    v1 = designed_forms.deploy(db_session, methodologist, "plan_opinion")
    assert (v1.version, v1.status) == (1, "deployed")
    with pytest.raises(ConflictError):
        designed_forms.deploy(db_session, methodologist, "plan_opinion")
    listed = {f["id"]: f for f in modeler_catalog.catalog(db_session, methodologist)["forms"]}
    assert [f["label"] for f in listed["designed:plan_opinion"]["fields"]] == ["Мнение о плане", "Оценка плана",
                                                                              "План утверждён"]

    assert definitions.check(data, "plan_review.bpmn", domain=bootstrap()) == []
    assert designed_forms.process_problems(db_session, methodologist, data, "plan_review.bpmn") == []
    definitions.deploy(db_session, methodologist, data, "plan_review.bpmn")
    db_session.commit()
    # editing the form later: version 2, with a field the running process's version does not have
    designed_forms.save_draft(db_session, methodologist, "plan_opinion", "Мнение о плане",
                              {"components": [*SCHEMA["components"], {"type": "checkbox", "key": "late", "label": "Поздно"}]})
    assert designed_forms.deploy(db_session, methodologist, "plan_opinion").version == 2
    db_session.commit()

    instance = instances.start_instance(db_session, world.curator, "plan_review", "program", world.org_id, {},
                                        START_DATA, clock=clock)
    [plan] = instance.open_tasks
    instances.complete_task(db_session, world.mentor, instance.id, plan.task_id, {"plan": "План"}, clock=clock)
    db_session.commit()
    [approve] = instance.open_tasks
    assert approve.form_id == "designed:plan_opinion"
    page = designed_step.step(db_session, world.curator, instance.id, approve.task_id)
    assert (page.title, [f.key for f in page.fields]) == ("Мнение о плане", ["opinion", "grade", "approved"])  # version 1
    with pytest.raises(PermissionDenied):
        designed_step.step(db_session, world.mentor, instance.id, approve.task_id)

    for bad, where, message in [
            ({"opinion": "Да"}, "opinion", "поле «Мнение о плане»: не короче 5 знаков"),
            ({"opinion": "Хороший план", "grade": 7}, "grade", "поле «Оценка плана»: не больше 5"),
            ({"opinion": "Хороший план", "late": True}, "late", "в форме нет поля «late»: данные не приняты")]:
        with pytest.raises(FormDataError) as refused:
            designed_step.complete(db_session, world.curator, instance.id, approve.task_id, bad)
        db_session.rollback()
        assert (refused.value.where, refused.value.message) == (where, message)
    assert designed_step.answered(db_session, instance.id) == []

    designed_step.complete(db_session, world.curator, instance.id, approve.task_id,
                           {"opinion": "Хороший план", "grade": 4, "approved": True})
    db_session.commit()
    assert instances.snapshot(db_session, instance.id).data["opinion"] == "Хороший план"
    [answer] = designed_step.answered(db_session, instance.id)
    assert (answer.title, answer.step_name, answer.rows) == (
        "Мнение о плане", "Утвердить план", [("Мнение о плане", "Хороший план"), ("Оценка плана", "4"), ("План утверждён", "да")])
    assert instance.status == "completed"


def test_only_methodologists_design_and_bad_input_is_named(db_session, world):
    with pytest.raises(PermissionDenied):
        designed_forms.save_draft(db_session, world.curator, "plan_opinion", "Мнение", SCHEMA)
    for key, title, schema, where in [("План", "Мнение", SCHEMA, "key"), ("plan", " ", SCHEMA, "title"),
                                      ("plan", "Мнение", {"x": 1}, "schema")]:
        with pytest.raises(NastavnikError) as caught:
            designed_forms.save_draft(db_session, world.methodologist, key, title, schema)
        assert caught.value.where == where
    designed_forms.save_draft(db_session, world.methodologist, "broken", "Сломанная",
                              {"components": [{"type": "filepicker", "key": "f", "label": "Файл"}]})
    with pytest.raises(WorkflowDefinitionError, match="«filepicker» не поддерживается"):
        designed_forms.deploy(db_session, world.methodologist, "broken")
