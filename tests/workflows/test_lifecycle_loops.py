"""Loops in the program lifecycle keep working however often they go round (issue 11, finding 6): a stage
report returned hundreds of times still leaves the mentor's step open and the stage goes on when it is
accepted — SpiffWorkflow's task iterator stops at depth 1000, so each round used to push the tree towards
the point where the ready step became invisible and the process looked «completed»."""
from __future__ import annotations

from engine.workflow import WorkflowRuntime
from tests.workflows.test_diagrams import _program, registry, specs  # noqa: F401 - fixtures

RETURNS = 350  # ×3 levels a round: past SpiffWorkflow's depth 1000


def _ready(runtime: WorkflowRuntime, wf) -> list[str]:
    return sorted(t.element_id for t in runtime.ready_user_tasks(wf))


def _complete(runtime: WorkflowRuntime, wf, element_id: str, **data) -> None:
    [task] = [t for t in runtime.ready_user_tasks(wf) if t.element_id == element_id]
    runtime.complete_user_task(wf, task.task_id, data)


def test_a_report_returned_350_times_still_leaves_the_mentor_a_step(specs, registry):  # noqa: F811
    run = _program(specs, registry)
    runtime, wf = run.runtime, run.wf
    for attempt in range(1, RETURNS + 1):
        _complete(runtime, wf, "Task_stage_work", events_done=[], report=f"справка, попытка {attempt}")
        _complete(runtime, wf, "Task_review_stage_report", approved=False, comment=f"замечание {attempt}")
        if attempt % 50 == 0:  # stored and read back, as every step of a service is
            wf = runtime.deserialize(runtime.serialize(wf))
        assert _ready(runtime, wf) == ["Task_stage_work"], attempt
        assert not runtime.is_completed(wf)
    assert runtime.workflow_data(wf)["comment"] == f"замечание {RETURNS}"
    _complete(runtime, wf, "Task_stage_work", events_done=[], report="справка, исправлено")
    _complete(runtime, wf, "Task_review_stage_report", approved=True, comment="")
    wf = runtime.deserialize(runtime.serialize(wf))
    [work] = runtime.ready_user_tasks(wf)
    assert (work.element_id, work.data["stage_index"]) == ("Task_stage_work", 1)  # the next stage
    assert {"Task_stage_work", "Task_review_stage_report"} <= runtime.completed_element_ids(wf)
    assert len(runtime.serialize(wf)) < 1_500_000  # the completed rounds were dropped, not kept
