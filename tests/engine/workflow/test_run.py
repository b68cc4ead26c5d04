"""Running the fixture diagrams start to end, round-tripping the state at every step."""
from __future__ import annotations

import json
import uuid

import pytest

from engine.errors import NotFound
from engine.workflow import (
    MIGRATIONS,
    WORKFLOW_VERSION,
    WorkflowRunError,
    deserialize_spec,
    serialize_spec,
)

from .conftest import roundtrip

START = {"years_as_head": 7, "contest_level": "regional", "started_on": "2025-01-10"}


def _ready(runtime, workflow):
    return {t.element_id: t for t in runtime.ready_user_tasks(workflow)}


def test_happy_path_with_message_and_petition(runtime, mentorship_spec):
    wf = roundtrip(runtime, runtime.start(mentorship_spec, START))
    data = runtime.workflow_data(wf)
    assert data["stage_due"] == "2025-02-10"  # injected add_months in a scriptTask
    assert data["eligibility"]["verdict"] == "eligible"  # businessRuleTask stored the decision
    assert data["eligibility"]["ruleset"] == "mentor_eligibility_tomsk"
    assert {"start", "prepare_facts", "check_mentor", "gw_eligible"} <= runtime.completed_element_ids(wf)

    draft = _ready(runtime, wf)["draft_plan"]
    assert (draft.role, draft.lane, draft.form, draft.element_name) == ("mentor", "Наставник", "draft_plan",
                                                                          "Составить план")
    assert draft.data["facts"] == {"years_as_head": 7, "contest_level": "regional"}
    draft.data["facts"]["years_as_head"] = 0  # a copy: changing it changes nothing
    runtime.complete_user_task(wf, draft.task_id, {"plan": "План мероприятий"})
    wf = roundtrip(runtime, wf)
    assert runtime.active_element_ids(wf) == {"approve_pair", "approve_overdue"}

    assert runtime.waiting_messages(wf) == ["petition_replace_mentor"]
    assert runtime.send_message(wf, "petition_replace_mentor", {"reason": "несовместимость"}) == 1
    wf = roundtrip(runtime, wf)
    ready = _ready(runtime, wf)
    assert set(ready) == {"approve_pair", "review_petition"}
    assert ready["review_petition"].role == "curator"
    assert ready["review_petition"].data["petition"] == {"reason": "несовместимость"}

    runtime.complete_user_task(wf, ready["approve_pair"].task_id, {"approved": True})
    wf = roundtrip(runtime, wf)
    assert "mentor_report" in runtime.waiting_messages(wf)
    with pytest.raises(NotFound):
        runtime.send_message(wf, "no_such_message", {})
    runtime.send_message(wf, "mentor_report", {"reports": [{"title": "Этап 1", "ok": True},
                                                           {"title": "Этап 0", "ok": False}]})
    wf = roundtrip(runtime, wf)
    ready = _ready(runtime, wf)
    assert ready["accept_report"].data["reports"][0]["title"] == "Этап 1"  # payload merged into data

    runtime.complete_user_task(wf, ready["accept_report"].task_id, {"accepted": True})
    wf = roundtrip(runtime, wf)
    assert not runtime.is_completed(wf)  # the petition is still open
    runtime.complete_user_task(wf, _ready(runtime, wf)["review_petition"].task_id, {"decision": "отклонить"})
    wf = roundtrip(runtime, wf)
    assert runtime.is_completed(wf)
    assert runtime.ready_user_tasks(wf) == [] and runtime.active_element_ids(wf) == set()
    assert runtime.waiting_messages(wf) == []
    final = runtime.workflow_data(wf)
    assert final["next_stage_at"] == "2025-05-10" and final["accepted_titles"] == ["Этап 1"]
    assert {"end_done", "petition_end", "review_petition"} <= runtime.completed_element_ids(wf)
    assert "end_refused" not in runtime.completed_element_ids(wf)
    json.dumps(final)


def test_gateway_default_branch(runtime, mentorship_spec):
    wf = runtime.start(mentorship_spec, {**START, "years_as_head": 2})
    assert runtime.is_completed(wf)
    assert "end_refused" in runtime.completed_element_ids(wf)
    assert runtime.workflow_data(wf)["eligibility"]["verdict"] == "not_eligible"


def test_complete_unknown_or_finished_task(runtime, mentorship_spec):
    wf = runtime.start(mentorship_spec, START)
    task_id = runtime.ready_user_tasks(wf)[0].task_id
    for bad in (str(uuid.uuid4()), "not-a-uuid", ""):
        with pytest.raises(NotFound):
            runtime.complete_user_task(wf, bad, {})
    runtime.complete_user_task(wf, task_id, {})
    with pytest.raises(NotFound):
        runtime.complete_user_task(wf, task_id, {})


def test_data_must_be_json(runtime, mentorship_spec):
    import datetime
    with pytest.raises(WorkflowRunError):
        runtime.start(mentorship_spec, {**START, "when": datetime.date(2025, 1, 1)})
    wf = runtime.start(mentorship_spec, START)
    with pytest.raises(WorkflowRunError):
        runtime.complete_user_task(wf, runtime.ready_user_tasks(wf)[0].task_id, {"s": {1, 2}})


def test_missing_facts_names_the_element(runtime, mentorship_spec):
    with pytest.raises(WorkflowRunError) as info:  # years_as_head is missing: the script fails
        runtime.start(mentorship_spec, {"contest_level": "regional", "started_on": "2025-01-10"})
    assert info.value.where == "prepare_facts «Подготовить факты»"
    assert "years_as_head" in str(info.value)


def test_names_with_line_breaks_read_on_one_line(runtime):
    """bpmn-js writes a name's line breaks as ``&#10;``: tasks, elements and errors name it on one line."""
    from engine.workflow import load_process

    from .conftest import RULESETS, fixture_bytes

    data = (fixture_bytes("mentorship.bpmn").replace("name=\"Подготовить факты\"".encode(),
                                                     "name=\"Подготовить&#10;факты\"".encode()))
    spec = load_process(data, "mentorship.bpmn", known_rulesets=RULESETS)
    assert next(e for e in spec.elements() if e.element_id == "prepare_facts").name == "Подготовить факты"
    with pytest.raises(WorkflowRunError) as info:
        runtime.start(spec, {"contest_level": "regional", "started_on": "2025-01-10"})
    assert info.value.where == "prepare_facts «Подготовить факты»"
    drawn = fixture_bytes("reminder.bpmn").replace("name=\"Сдать отчёт по этапу\"".encode(),
                                                  "name=\"Сдать отчёт&#10;&#10;  по этапу\"".encode())
    workflow = runtime.start(load_process(drawn, "reminder.bpmn", known_rulesets=RULESETS),
                             {"stage_reminder_at": "2025-01-01"})  # due already: the task is open
    assert [t.element_name for t in runtime.ready_user_tasks(workflow)] == ["Сдать отчёт по этапу"]


def test_decide_errors_surface_with_element(clock, mentorship_spec):
    from engine.errors import FactError
    from engine.workflow import WorkflowRuntime

    def decide(ruleset_id, facts):
        raise FactError("стаж должен быть числом", where="years_as_head")

    runtime = WorkflowRuntime(decide=decide, clock=clock)
    with pytest.raises(FactError) as info:
        runtime.start(mentorship_spec, START)
    assert info.value.where == "years_as_head"

    def decide_bad(ruleset_id, facts):
        return {"verdict": object()}

    with pytest.raises(WorkflowRunError) as info:
        WorkflowRuntime(decide=decide_bad, clock=clock).start(mentorship_spec, START)
    assert "check_mentor" in str(info.value)


def test_failing_script_names_the_element(runtime, mentorship_spec):
    with pytest.raises(WorkflowRunError) as info:
        runtime.start(mentorship_spec, {**START, "started_on": "nonsense"})
    assert info.value.where == "prepare_facts «Подготовить факты»"


def test_spec_serialization_round_trip(runtime, mentorship_spec):
    text = serialize_spec(mentorship_spec)
    restored = deserialize_spec(text)
    assert restored == mentorship_spec  # same ids, name, file and content hash
    wf = runtime.start(restored, START)
    assert [t.element_id for t in runtime.ready_user_tasks(wf)] == ["draft_plan"]
    doc = json.loads(text)
    doc["spiff_version"] = "0.1"
    with pytest.raises(WorkflowRunError):
        deserialize_spec(json.dumps(doc))


def test_state_migrations(runtime, mentorship_spec, monkeypatch):
    wf = runtime.start(mentorship_spec, START)
    current = json.loads(runtime.serialize(wf))
    assert current["format"] == "nastavnik.workflow" and current["version"] == WORKFLOW_VERSION == 1
    old = {"format": "nastavnik.workflow", "version": 0, "state": current["spiff"]}

    with pytest.raises(WorkflowRunError):  # no migration registered from v0
        runtime.deserialize(json.dumps(old))

    def v0_to_v1(doc):
        doc["spiff"] = doc.pop("state")
        return doc

    monkeypatch.setitem(MIGRATIONS, 0, v0_to_v1)
    migrated = runtime.deserialize(json.dumps(old))
    assert [t.element_id for t in runtime.ready_user_tasks(migrated)] == ["draft_plan"]
    for bad in ({**current, "version": 2}, {**current, "format": "other"}, {"version": 1},
                {**current, "spiff": {}}, [1]):
        with pytest.raises(WorkflowRunError):
            runtime.deserialize(json.dumps(bad))
    with pytest.raises(WorkflowRunError):
        runtime.deserialize("{not json")
