"""Timers read the runtime's clock: moving a FixedClock fires them, not before; firing is idempotent."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.workflow import load_process

from .conftest import RULESETS, fixture_bytes, roundtrip

START = {"years_as_head": 7, "contest_level": "regional", "started_on": "2025-01-10"}


def _ready_ids(runtime, wf):
    return sorted(t.element_id for t in runtime.ready_user_tasks(wf))


def test_time_date_from_task_data(runtime, clock, reminder_spec):
    wf = runtime.start(reminder_spec, {"stage_reminder_at": "2025-02-01T09:00:00+00:00"})
    assert runtime.fire_due_timers(wf) == 0
    assert runtime.next_timer_at(wf) == datetime(2025, 2, 1, 9, tzinfo=UTC)
    assert runtime.active_element_ids(wf) == {"wait_until"}
    clock.set("2025-02-01T08:59:59+00:00")
    wf = roundtrip(runtime, wf)
    assert runtime.fire_due_timers(wf) == 0
    assert _ready_ids(runtime, wf) == []
    clock.advance(timedelta(seconds=1))
    wf = roundtrip(runtime, wf)
    assert runtime.fire_due_timers(wf) == 1
    assert _ready_ids(runtime, wf) == ["stage_report"]
    assert runtime.fire_due_timers(wf) == 0  # idempotent
    wf = roundtrip(runtime, wf)
    assert runtime.fire_due_timers(wf) == 0
    assert _ready_ids(runtime, wf) == ["stage_report"]
    runtime.complete_user_task(wf, runtime.ready_user_tasks(wf)[0].task_id, {"report": "готово"})
    assert runtime.is_completed(wf)


@pytest.mark.parametrize("value", ["2025-02-01", "2025-02-01T00:00:00", "2025-02-01T03:00:00+03:00"])
def test_time_date_forms_are_utc_midnight(runtime, clock, reminder_spec, value):
    wf = runtime.start(reminder_spec, {"stage_reminder_at": value})
    clock.set("2025-01-31T23:59:59+00:00")
    assert runtime.fire_due_timers(wf) == 0
    clock.set("2025-02-01T00:00:00+00:00")
    assert runtime.fire_due_timers(wf) == 1


def test_time_already_passed_fires_at_start(runtime, reminder_spec):
    wf = runtime.start(reminder_spec, {"stage_reminder_at": "2024-12-31"})
    assert _ready_ids(runtime, wf) == ["stage_report"]
    assert runtime.fire_due_timers(wf) == 0


def test_boundary_duration_p14d(runtime, clock, mentorship_spec):
    wf = runtime.start(mentorship_spec, START)
    clock.advance(timedelta(days=2))  # the 14 days start when the task is reached
    runtime.complete_user_task(wf, runtime.ready_user_tasks(wf)[0].task_id, {})
    due = clock.now() + timedelta(days=14)
    assert runtime.next_timer_at(wf) == due
    clock.advance(timedelta(days=14) - timedelta(seconds=1))
    wf = roundtrip(runtime, wf)
    assert runtime.fire_due_timers(wf) == 0
    assert "approve_pair" in _ready_ids(runtime, wf)
    clock.advance(timedelta(seconds=1))
    wf = roundtrip(runtime, wf)
    assert runtime.fire_due_timers(wf) == 1
    assert runtime.fire_due_timers(wf) == 0
    assert _ready_ids(runtime, wf) == []
    assert runtime.is_completed(wf)
    assert {"approve_overdue", "escalate", "end_overdue"} <= runtime.completed_element_ids(wf)
    assert "approve_pair" not in runtime.completed_element_ids(wf)
    data = runtime.workflow_data(wf)
    assert data["escalated"] is True and data["escalated_at"] == due.isoformat()  # now() is the clock


def test_boundary_timer_cancelled_when_task_done_in_time(runtime, clock, mentorship_spec):
    wf = runtime.start(mentorship_spec, START)
    runtime.complete_user_task(wf, runtime.ready_user_tasks(wf)[0].task_id, {})
    clock.advance(timedelta(days=13))
    runtime.complete_user_task(wf, runtime.ready_user_tasks(wf)[0].task_id, {"approved": True})
    clock.advance(timedelta(days=30))
    assert runtime.fire_due_timers(wf) == 0
    assert runtime.next_timer_at(wf) is None
    assert runtime.active_element_ids(wf) == {"wait_report"}


def test_non_interrupting_cycle(runtime, clock):
    data = fixture_bytes("mentorship.bpmn").replace(
        b'<bpmn:boundaryEvent id="approve_overdue"', b'<bpmn:boundaryEvent cancelActivity="false" id="approve_overdue"'
    ).replace(b"<bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">P14D</bpmn:timeDuration>",
              b"<bpmn:timeCycle xsi:type=\"bpmn:tFormalExpression\">R2/P1D</bpmn:timeCycle>")
    spec = load_process(data, "cycle.bpmn", known_rulesets=RULESETS)
    wf = runtime.start(spec, START)
    runtime.complete_user_task(wf, runtime.ready_user_tasks(wf)[0].task_id, {})
    fired = []
    for _ in range(4):
        clock.advance(timedelta(days=1))
        wf = roundtrip(runtime, wf)
        fired.append(runtime.fire_due_timers(wf))
        assert _ready_ids(runtime, wf) == ["approve_pair"]
    assert fired == [1, 1, 0, 0]


def test_timer_expression_error_names_the_event(runtime, reminder_spec):
    from engine.workflow import WorkflowRunError
    with pytest.raises(WorkflowRunError) as info:
        runtime.start(reminder_spec, {})
    assert info.value.where == "wait_until «Срок отчёта»"


def test_quoted_duration_and_data_driven_duration(runtime, clock):
    for expression, data in (('"P1M"', {}), ("review_period", {"review_period": "P1M"})):
        spec = load_process(fixture_bytes("mentorship.bpmn").replace(b">P14D<", f">{expression}<".encode()),
                            "m.bpmn", known_rulesets=RULESETS)
        wf = runtime.start(spec, {**START, **data})
        runtime.complete_user_task(wf, runtime.ready_user_tasks(wf)[0].task_id, {})
        assert runtime.next_timer_at(wf) == clock.now().replace(month=clock.now().month + 1)


def test_bad_time_in_data_names_the_event(runtime, reminder_spec):
    from engine.workflow import WorkflowRunError
    with pytest.raises(WorkflowRunError) as info:
        runtime.start(reminder_spec, {"stage_reminder_at": "в пятницу"})
    assert info.value.where == "wait_until «Срок отчёта»" and "ISO 8601" in info.value.message
