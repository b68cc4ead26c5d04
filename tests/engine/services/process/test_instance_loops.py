"""A step that runs into a loop the process cannot finish is refused with a Russian error and stores nothing
(issue 11, finding 6): the instance keeps its state, version, status and open task — it is never stored as
«completed» with its data lost; a loop that does finish keeps its data through the stored state."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, ScriptIncident, WorkflowInstance
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances
from engine.workflow.spiff import task_tree

DIAGRAM = '''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="Definitions_rounds" targetNamespace="t">
  <bpmn:process id="rounds" name="Круги" isExecutable="true">
    <bpmn:laneSet id="LaneSet_rounds">
      <bpmn:lane id="Lane_curator" name="Куратор"><bpmn:flowNodeRef>Task_rounds</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="Lane_system" name="Система">
        <bpmn:flowNodeRef>StartEvent_rounds</bpmn:flowNodeRef><bpmn:flowNodeRef>Task_count</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Gateway_more</bpmn:flowNodeRef><bpmn:flowNodeRef>EndEvent_rounds</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="StartEvent_rounds" name="Начало"><bpmn:outgoing>F0</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_rounds" name="Задать число кругов">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="form" value="rounds"/>
        <spiffworkflow:property name="fields" value="rounds: int"/>
        <spiffworkflow:property name="channel" value="api"/>
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>F0</bpmn:incoming><bpmn:outgoing>F1</bpmn:outgoing></bpmn:userTask>
    <bpmn:scriptTask id="Task_count" name="Посчитать"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:incoming>F3</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
      <bpmn:script>i = i + 1</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="Gateway_more" name="Ещё?" default="F4"><bpmn:incoming>F2</bpmn:incoming>
      <bpmn:outgoing>F3</bpmn:outgoing><bpmn:outgoing>F4</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="EndEvent_rounds" name="Конец"><bpmn:incoming>F4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F0" sourceRef="StartEvent_rounds" targetRef="Task_rounds"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Task_rounds" targetRef="Task_count"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Task_count" targetRef="Gateway_more"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Gateway_more" targetRef="Task_count">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">rounds == 0 or i &lt; rounds</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F4" sourceRef="Gateway_more" targetRef="EndEvent_rounds"/>
  </bpmn:process>
</bpmn:definitions>'''.encode()


@pytest.fixture
def started(db_session, world, clock, monkeypatch):
    monkeypatch.setattr(task_tree, "MAX_ENGINE_STEPS", 1500)  # past SpiffWorkflow's depth 1000, and quick
    definitions.deploy(db_session, SYSTEM, DIAGRAM, "rounds.bpmn")
    instance = instances.start_instance(db_session, SYSTEM, "rounds", "program", world.org_id, {}, {"i": 0},
                                        clock=clock)
    db_session.commit()
    return instance.id


def _stored(session_factory, instance_id: int) -> tuple:
    with session_factory() as s:
        row = s.get(WorkflowInstance, instance_id)
        return (row.state, row.version, row.status, sorted(t.element_id for t in row.open_tasks),
                s.scalar(select(func.count()).select_from(AuditEntry)))


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_loop_that_never_waits_is_refused_and_nothing_is_stored(db_session, db_session_factory, world, clock,
                                                                  started):
    before = _stored(db_session_factory, started)
    assert before[2:4] == ("running", ["Task_rounds"])
    [task] = instances.list_tasks(db_session, world.curator)
    with pytest.raises(task_tree.LoopLimitExceeded, match="бесконечный цикл") as refused:
        instances.complete_task(db_session, world.curator, started, task.task_id, {"rounds": 0}, clock=clock)
    assert refused.value.where in ("Task_count «Посчитать»", "Gateway_more «Ещё?»")
    assert _stored(db_session_factory, started) == before  # not «completed», nothing lost: the task is still open
    with db_session_factory() as s:  # and the methodologist sees it among the incidents, as a script's breach
        [incident] = s.scalars(select(ScriptIncident)).all()
        assert (incident.instance_id, incident.bound, incident.process_id) == (started, "steps", "rounds")
        assert "бесконечный цикл" in incident.message and incident.element_id == refused.value.where
    with pytest.raises(task_tree.LoopLimitExceeded):  # pressed again: the same breach, one incident a day
        instances.complete_task(db_session, world.curator, started, task.task_id, {"rounds": 0}, clock=clock)
    with db_session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ScriptIncident)) == 1


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_long_loop_that_ends_keeps_its_data(db_session, world, clock, started):
    [task] = instances.list_tasks(db_session, world.curator)
    instance = instances.complete_task(db_session, world.curator, started, task.task_id, {"rounds": 600},
                                       clock=clock)
    db_session.commit()
    assert instance.status == "completed"
    assert instances.snapshot(db_session, started).data["i"] == 600  # was {}: the data lost at depth 1000


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_steps_scripts_run_as_its_organizations_share_of_the_workers(db_session, world, clock, started,
                                                                      monkeypatch):
    from engine.workflow import bounded

    workers, seen = bounded.pool(), []
    real_run = workers.run

    def run(*args, **kwargs):
        seen.append(bounded.current_organization())
        return real_run(*args, **kwargs)

    monkeypatch.setattr(workers, "run", run)
    [task] = instances.list_tasks(db_session, world.curator)
    instances.complete_task(db_session, world.curator, started, task.task_id, {"rounds": 3}, clock=clock)
    assert seen and set(seen) == {world.org_id}  # the script and the gateway's condition, each round
