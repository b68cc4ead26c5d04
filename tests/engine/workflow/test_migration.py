"""Moving a running workflow to another version of its process (``WorkflowRuntime.plan_move`` / ``move``, on
SpiffWorkflow's diff and migrate_workflow): a timer on an unchanged element keeps its due time, a changed one counts
anew from the move; a task open now or passed that the new version lacks is refused, naming the element, and the
workflow is left as it was."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.workflow import FixedClock, WorkflowRunError, WorkflowRuntime, load_process

PLAN = (Path(__file__).resolve().parents[1] / "services" / "fixtures" / "plan_review.bpmn").read_bytes()
START = {"started_on": "2025-01-10", "divisor": 1}


def _spec(data: bytes):
    return load_process(data, "plan_review.bpmn", known_rulesets=set())


def _at_approval(runtime):
    workflow = runtime.start(_spec(PLAN), START)
    runtime.complete_user_task(workflow, runtime.ready_user_tasks(workflow)[0].task_id, {"plan": "П"})
    return workflow


def test_an_unchanged_timer_keeps_its_due_time_a_changed_one_counts_from_the_move():
    runtime = WorkflowRuntime(clock=FixedClock("2025-01-10T09:00:00+00:00"))
    workflow = _at_approval(runtime)
    due = runtime.next_timer_at(workflow)
    later_runtime = WorkflowRuntime(clock=FixedClock("2025-01-12T09:00:00+00:00"))  # two days later
    renamed = _spec(PLAN.replace("Утвердить план".encode(), "Утвердить план занятий".encode()))
    plan = later_runtime.move(later_runtime.adopt(workflow), renamed)
    assert plan.reopened == ["approve_plan"]
    assert [t.element_name for t in later_runtime.ready_user_tasks(workflow)] == ["Утвердить план занятий"]
    assert later_runtime.next_timer_at(workflow) == due  # 14 days from the start, as before

    slower = _spec(PLAN.replace("Утвердить план".encode(), "Утвердить план занятий".encode()).replace(b"P14D", b"P21D"))
    later_runtime.move(workflow, slower)
    assert later_runtime.next_timer_at(workflow).isoformat() == "2025-02-02T09:00:00+00:00"  # 21 days from the move
    later_runtime.complete_user_task(workflow, later_runtime.ready_user_tasks(workflow)[0].task_id, {"approved": True})
    assert later_runtime.is_completed(workflow)


def test_a_removed_open_task_is_refused_and_nothing_changes():
    runtime = WorkflowRuntime(clock=FixedClock("2025-01-10T09:00:00+00:00"))
    workflow = runtime.start(_spec(PLAN), START)
    without = re.sub(rb'<bpmn:userTask id="draft_plan".*?</bpmn:userTask>', b"", PLAN, flags=re.S)
    without = without.replace(b"<bpmn:flowNodeRef>draft_plan</bpmn:flowNodeRef>", b"").replace(
        b'<bpmn:sequenceFlow id="f3" sourceRef="draft_plan" targetRef="approve_plan"/>', b"").replace(
        b'targetRef="draft_plan"', b'targetRef="approve_plan"')
    before = runtime.serialize(workflow)
    plan = runtime.plan_move(workflow, _spec(without))
    assert [(o.element_id, o.text) for o in plan.obstacles] == [
        ("draft_plan", "сейчас открыта задача «Составить план», а в новой версии этого элемента нет")]
    with pytest.raises(WorkflowRunError, match="Составить план"):
        runtime.move(workflow, _spec(without))
    assert runtime.serialize(workflow) == before


STAGES = (Path(__file__).resolve().parent / "fixtures" / "stage_close.bpmn").read_bytes()


def _with_stage_summary(data: bytes) -> bytes:
    """v2: after the stage is closed the curator writes a summary (a new user task) before the next stage."""
    data = data.replace(b'<bpmn:exclusiveGateway id="more_stages"',
                        '<bpmn:userTask id="stage_summary" name="Итоги этапа"><bpmn:extensionElements><spiffworkflow:properties>'
                        '<spiffworkflow:property name="form" value="stage_summary"/></spiffworkflow:properties>'
                        '</bpmn:extensionElements></bpmn:userTask>\n    '
                        '<bpmn:exclusiveGateway id="more_stages"'.encode())
    data = data.replace(b"<bpmn:flowNodeRef>review_report</bpmn:flowNodeRef>",
                        b"<bpmn:flowNodeRef>review_report</bpmn:flowNodeRef><bpmn:flowNodeRef>stage_summary</bpmn:flowNodeRef>")
    return data.replace(b'<bpmn:sequenceFlow id="f4" sourceRef="close_stage" targetRef="more_stages"/>',
                        b'<bpmn:sequenceFlow id="f4" sourceRef="close_stage" targetRef="stage_summary"/>\n    '
                        b'<bpmn:sequenceFlow id="f5" sourceRef="stage_summary" targetRef="more_stages"/>')


def _complete(runtime, workflow, name: str) -> None:
    task = next(t for t in runtime.ready_user_tasks(workflow) if t.element_name == name)
    runtime.complete_user_task(workflow, task.task_id, {})


def test_a_new_task_ahead_of_a_program_inside_a_stage_is_reached_after_the_move():
    """The program works inside the stage (a subprocess) when it moves; the tasks after the stage were predicted on
    version 1 and must be predicted again on version 2, or the new task would be skipped."""
    runtime = WorkflowRuntime(clock=FixedClock("2025-01-10T09:00:00+00:00"))
    v1 = load_process(STAGES, "stage_close.bpmn", known_rulesets=set())
    workflow = runtime.start(v1, {})
    _complete(runtime, workflow, "Работа этапа")
    v2 = load_process(_with_stage_summary(STAGES), "stage_close.bpmn", known_rulesets=set())
    plan = runtime.plan_move(workflow, v2)
    assert plan.movable, [o.text for o in plan.obstacles]
    runtime.move(workflow, v2)
    _complete(runtime, workflow, "Рассмотреть отчёт")
    assert [t.element_name for t in runtime.ready_user_tasks(workflow)] == ["Итоги этапа"]
    _complete(runtime, workflow, "Итоги этапа")  # the second stage, then its summary, then the end
    for name in ("Работа этапа", "Рассмотреть отчёт", "Итоги этапа"):
        _complete(runtime, workflow, name)
    assert runtime.is_completed(workflow)


def test_an_element_removed_beyond_the_next_one_ahead_is_predicted_away():
    """v2 replaces the end event after the gateway (a new id): the program inside the stage moves and ends at the
    new end; the next element ahead of it removed is still refused, naming it (nothing would predict it anew)."""
    runtime = WorkflowRuntime(clock=FixedClock("2025-01-10T09:00:00+00:00"))
    workflow = runtime.start(load_process(STAGES, "stage_close.bpmn", known_rulesets=set()), {})
    _complete(runtime, workflow, "Работа этапа")
    new_end = STAGES.replace(b'<bpmn:endEvent id="end"', b'<bpmn:endEvent id="finished"').replace(
        b"<bpmn:flowNodeRef>end</bpmn:flowNodeRef>", b"<bpmn:flowNodeRef>finished</bpmn:flowNodeRef>").replace(
        b'targetRef="end"', b'targetRef="finished"')
    v2 = load_process(new_end, "stage_close.bpmn", known_rulesets=set())
    assert runtime.plan_move(workflow, v2).movable
    runtime.move(workflow, v2)
    for name in ("Рассмотреть отчёт", "Работа этапа", "Рассмотреть отчёт"):
        _complete(runtime, workflow, name)
    assert runtime.is_completed(workflow)
    assert "finished" in runtime.completed_element_ids(workflow)

    workflow = runtime.start(load_process(STAGES, "stage_close.bpmn", known_rulesets=set()), {})
    _complete(runtime, workflow, "Работа этапа")
    no_close = re.sub(rb'<bpmn:scriptTask id="close_stage".*?</bpmn:scriptTask>', b"", STAGES, flags=re.S)
    no_close = no_close.replace(b"<bpmn:flowNodeRef>close_stage</bpmn:flowNodeRef>", b"").replace(
        b'<bpmn:sequenceFlow id="f4" sourceRef="close_stage" targetRef="more_stages"/>', b"").replace(
        b'targetRef="close_stage"', b'targetRef="more_stages"')
    plan = runtime.plan_move(workflow, load_process(no_close, "stage_close.bpmn", known_rulesets=set()))
    assert "close_stage" in [o.element_id for o in plan.obstacles]  # the next element: nothing re-predicts it
