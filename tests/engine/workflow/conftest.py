"""Shared helpers for the workflow engine tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.workflow import FixedClock, WorkflowRuntime, load_process

FIXTURES = Path(__file__).parent / "fixtures"
RULESETS = {"mentor_eligibility_tomsk"}


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fake_decide(ruleset_id: str, facts: dict) -> dict:
    ok = facts.get("years_as_head", 0) >= 5
    return {
        "ruleset": ruleset_id,
        "version": 1,
        "verdict": "eligible" if ok else "not_eligible",
        "criteria": [{"id": "years", "passed": ok}],
        "outputs": {},
    }


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock("2025-01-10T09:00:00+00:00")


@pytest.fixture
def runtime(clock) -> WorkflowRuntime:
    return WorkflowRuntime(decide=fake_decide, functions={}, clock=clock)


@pytest.fixture
def mentorship_spec():
    return load_process(fixture_bytes("mentorship.bpmn"), "mentorship.bpmn", known_rulesets=RULESETS)


@pytest.fixture
def reminder_spec():
    return load_process(fixture_bytes("reminder.bpmn"), "reminder.bpmn", known_rulesets=RULESETS)


def roundtrip(runtime: WorkflowRuntime, workflow):
    """Serialize and continue from the deserialized copy, as the services will."""
    text = runtime.serialize(workflow)
    copy = runtime.deserialize(text)
    assert runtime.serialize(copy) == text
    return copy
