"""A definition naming a hook nobody registered fails loudly — at check, save, deploy, start and the step
itself — naming the element; a session opened without the domain is refused by every step."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.bootstrap import bootstrap
from engine.db import make_session_factory
from engine.db.models import ProcessDefinition, WorkflowInstance
from engine.errors import NastavnikError, WorkflowDefinitionError
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances
from engine.services.process.domain import domain_of
from tests.engine.services.conftest import START_DATA, hooked_plan_bytes, plan_bytes

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def _refused(caught: pytest.ExceptionInfo, hook: str = "approve_plan") -> None:
    """The error names the element, the hook, and says it is not registered (in Russian)."""
    [problem] = caught.value.problems
    assert (problem.element_id, problem.element_name) == ("approve_plan", "Утвердить план")
    assert f"обработчик «{hook}»" in problem.message and "не зарегистрирован" in problem.message
    assert "элемент approve_plan" in str(caught.value)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _start(session, world, clock):
    return instances.start_instance(session, SYSTEM, "plan_review", "program", world.org_id, {}, START_DATA,
                                    clock=clock)


def test_check_save_and_deploy_refuse_an_unregistered_hook(db_session, world):
    data = hooked_plan_bytes("record_plan")
    [problem] = definitions.check(data, "plan_review.bpmn", domain=domain_of(db_session))
    assert problem.element_id == "approve_plan" and "обработчик «record_plan»" in problem.message
    with pytest.raises(WorkflowDefinitionError) as caught:
        definitions.deploy(db_session, SYSTEM, data, "plan_review.bpmn")
    _refused(caught, "record_plan")
    with pytest.raises(WorkflowDefinitionError) as caught:
        definitions.save_draft(db_session, world.methodologist, data, "plan_review.bpmn")
    _refused(caught, "record_plan")
    assert _count(db_session, ProcessDefinition) == 0


def test_a_stored_version_is_checked_again_when_deployed(db_session, world):
    domain_of(db_session).hooks.on_task("approve_plan", lambda step: None)
    draft = definitions.save_draft(db_session, world.methodologist, hooked_plan_bytes(), "plan_review.bpmn").definition
    db_session.commit()
    bootstrap().attach(db_session)  # the software now runs without the hook «approve_plan»
    with pytest.raises(WorkflowDefinitionError) as caught:
        definitions.deploy_draft(db_session, world.methodologist, draft.id)
    _refused(caught)
    with pytest.raises(WorkflowDefinitionError) as caught:  # the same bytes again deploy that draft
        definitions.deploy(db_session, world.methodologist, hooked_plan_bytes(), "plan_review.bpmn")
    _refused(caught)
    assert db_session.get(ProcessDefinition, draft.id).status == "draft"


def test_start_refuses_a_definition_naming_an_unregistered_hook(db_session, world, clock):
    domain_of(db_session).hooks.on_task("approve_plan", lambda step: None)
    deployed = definitions.deploy(db_session, SYSTEM, hooked_plan_bytes(), "plan_review.bpmn")
    db_session.commit()
    bootstrap().attach(db_session)
    with pytest.raises(WorkflowDefinitionError) as caught:
        _start(db_session, world, clock)
    _refused(caught)
    assert caught.value.where == f"plan_review версия {deployed.version}"
    assert _count(db_session, WorkflowInstance) == 0
    with pytest.raises(WorkflowDefinitionError):  # deploying the same bytes again is refused too
        definitions.deploy(db_session, SYSTEM, hooked_plan_bytes(), "plan_review.bpmn")


def test_a_step_whose_task_names_a_missing_hook_changes_nothing(db_session, world, clock):
    domain_of(db_session).hooks.on_task("approve_plan", lambda step: None)
    definitions.deploy(db_session, SYSTEM, hooked_plan_bytes(), "plan_review.bpmn")
    instance = _start(db_session, world, clock)
    instances.complete_task(db_session, world.mentor, instance.id, instance.open_tasks[0].task_id, {}, clock=clock)
    db_session.commit()
    version, [task] = instance.version, instance.open_tasks
    bootstrap().attach(db_session)
    with pytest.raises(WorkflowDefinitionError) as caught:
        instances.complete_task(db_session, world.curator, instance.id, task.task_id, {"approved": True},
                                clock=clock)
    _refused(caught)
    assert db_session.get(WorkflowInstance, instance.id).version == version


@SQLITE
def test_every_step_refuses_a_session_without_the_domain(db_engine, db_session, world, clock):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    instance = _start(db_session, world, clock)
    db_session.commit()
    task = instance.open_tasks[0]
    with make_session_factory(db_engine)() as bare:  # opened without bootstrap()
        steps = {
            "deploy": lambda: definitions.deploy(bare, SYSTEM, hooked_plan_bytes(), "other.bpmn"),
            "start": lambda: _start(bare, world, clock),
            "complete": lambda: instances.complete_task(bare, world.mentor, instance.id, task.task_id, {},
                                                        clock=clock),
            "message": lambda: instances.send_message(bare, SYSTEM, instance.id, "petition", {}, clock=clock),
            "timers": lambda: instances.fire_timers(bare, "2030-01-01T00:00:00Z"),
        }
        for name, step in steps.items():
            with pytest.raises(NastavnikError, match="без bootstrap") as caught:
                step()
            assert caught.value.where == "session", name
        assert instances.snapshot(bare, instance.id).version == 1  # reading needs no domain
    db_session.expire_all()
    assert (_count(db_session, WorkflowInstance), db_session.get(WorkflowInstance, instance.id).version) == (1, 1)
