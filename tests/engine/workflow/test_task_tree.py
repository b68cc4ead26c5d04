"""Loops keep working or stop with a Russian error, never end silently (issue 11, finding 6): a diagram's loop
of 500 rounds ends with its data, its state is stored small, and a loop that never waits for anyone is refused
naming its element — SpiffWorkflow's task iterator stops at depth 1000, and the workflow used to report itself
«completed» there with its data lost."""
from __future__ import annotations

import pytest

from engine.workflow import FixedClock, WorkflowRuntime, load_process
from engine.workflow.spiff import task_tree
from engine.workflow.spiff.specs import WorkflowRunError


def loop_diagram(condition: str) -> bytes:
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_loop" targetNamespace="t">
  <bpmn:process id="loop" name="Цикл" isExecutable="true">
    <bpmn:startEvent id="StartEvent_loop" name="Начало"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="Task_count" name="Посчитать"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:incoming>F3</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
      <bpmn:script>i = i + 1
seen.append(i)</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="Gateway_more" name="Ещё?" default="F4"><bpmn:incoming>F2</bpmn:incoming>
      <bpmn:outgoing>F3</bpmn:outgoing><bpmn:outgoing>F4</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="EndEvent_loop" name="Конец"><bpmn:incoming>F4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_loop" targetRef="Task_count"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Task_count" targetRef="Gateway_more"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Gateway_more" targetRef="Task_count">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F4" sourceRef="Gateway_more" targetRef="EndEvent_loop"/>
  </bpmn:process>
</bpmn:definitions>'''.encode()


@pytest.fixture
def runtime() -> WorkflowRuntime:
    return WorkflowRuntime(clock=FixedClock("2025-01-10T09:00:00+00:00"))


def test_a_500_round_loop_ends_with_its_data_and_is_stored_small(runtime):
    spec = load_process(loop_diagram("i &lt; 500"), "loop.bpmn", known_rulesets=set())
    wf = runtime.start(spec, {"i": 0, "seen": []})
    assert runtime.is_completed(wf)
    data = runtime.workflow_data(wf)
    assert data["i"] == 500 and data["seen"] == list(range(1, 501))
    text = runtime.serialize(wf)
    again = runtime.deserialize(text)
    assert runtime.workflow_data(again)["i"] == 500
    assert {"Task_count", "Gateway_more", "EndEvent_loop"} <= runtime.completed_element_ids(again)
    assert task_tree.max_depth(again) < task_tree.COMPACT_AT + 10  # completed rounds dropped as it ran


def test_a_loop_that_never_waits_is_refused_naming_its_element(runtime, monkeypatch):
    monkeypatch.setattr(task_tree, "MAX_ENGINE_STEPS", 1500)  # past SpiffWorkflow's depth 1000, and quick
    spec = load_process(loop_diagram("i &gt; 0"), "loop.bpmn", known_rulesets=set())
    with pytest.raises(WorkflowRunError, match="бесконечный цикл") as refused:
        runtime.start(spec, {"i": 0, "seen": []})
    assert isinstance(refused.value, task_tree.LoopLimitExceeded)
    assert (refused.value.bound, refused.value.limit) == ("steps", 1500)
    assert refused.value.where in ("Task_count «Посчитать»", "Gateway_more «Ещё?»")


def test_a_tree_still_too_deep_after_compaction_is_refused_not_completed(runtime, monkeypatch):
    monkeypatch.setattr(task_tree, "COMPACT_AT", 10_000)  # nothing dropped: the tree keeps every round
    monkeypatch.setattr(task_tree, "DEPTH_LIMIT", 20)
    spec = load_process(loop_diagram("i &lt; 30"), "loop.bpmn", known_rulesets=set())
    with pytest.raises(task_tree.LoopLimitExceeded, match="слишком длинна") as refused:
        runtime.start(spec, {"i": 0, "seen": []})
    assert refused.value.bound == "depth"
