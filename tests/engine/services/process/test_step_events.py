"""A process's steps and the timers that fire are told to the domain's watchers (the metrics) as they commit: a
start, each task done, a timer's step with how many timers fired — and nothing for a step refused and rolled back."""
from __future__ import annotations

import pytest

from engine import events
from engine.errors import NastavnikError
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances
from tests.engine.services.conftest import START_DATA, plan_bytes


@pytest.fixture
def seen(db_session) -> list[events.Event]:
    told: list[events.Event] = []
    db_session.info[events.SESSION_KEY].subscribe(told.append)
    return told


def _steps(seen):
    return [(e.name, dict(e.labels), e.amount) for e in seen if e.name in (events.STEP, events.TIMERS_FIRED)]


def test_a_plan_started_drafted_and_escalated_by_its_timer_is_three_steps_and_one_timer(db_session, world, clock,
                                                                                         seen):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    started = instances.start_instance(db_session, SYSTEM, "plan_review", "program", world.org_id,
                                       {"group_id": 1}, START_DATA, clock=clock)
    db_session.commit()
    [draft] = started.open_tasks
    with pytest.raises(NastavnikError):  # the curator may not draft the mentor's plan: refused, not counted
        instances.complete_task(db_session, world.curator, started.id, draft.task_id, {}, clock=clock)
    instances.complete_task(db_session, world.mentor, started.id, draft.task_id, {"plan": "Диагностика"},
                            clock=clock)
    db_session.commit()
    assert instances.fire_timers(db_session, "2025-01-25T00:00:00Z") == 1
    assert _steps(seen) == [
        (events.STEP, {"process": "program", "kind": "start"}, 1.0),
        (events.STEP, {"process": "program", "kind": "task"}, 1.0),
        (events.STEP, {"process": "program", "kind": "timer"}, 1.0),
        (events.TIMERS_FIRED, {"process": "program"}, 1.0),
    ]
