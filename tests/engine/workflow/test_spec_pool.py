"""Parsed specs kept to run again (``spec_pool``) and the state saved without its spec: a spec is lent to one
workflow at a time, and one that a workflow changed (an event subprocess started) never runs another workflow."""
from __future__ import annotations

import json

from engine.workflow import SpecPool, deserialize_spec, serialize_spec
from engine.workflow.spiff.spec_pool import shape_of
from tests.engine.workflow.conftest import RULESETS, fixture_bytes

FACTS = {"years_as_head": 7, "contest_level": "regional", "started_on": "2025-01-10"}


def _builder(spec_text: str, built: list):
    def build():
        spec = deserialize_spec(spec_text)
        built.append(spec)
        return spec
    return build


def _start_outputs(spec) -> list[str]:
    return list(spec.spiff_spec.start._outputs)


def test_a_petition_rewires_the_spec_its_workflow_runs_on_and_that_spec_is_never_lent_again(runtime, mentorship_spec):
    pool, built = SpecPool(), []
    build = _builder(serialize_spec(mentorship_spec), built)
    first = pool.lease("mentorship", build)
    workflow = runtime.start(first.spec, FACTS)
    before = _start_outputs(first.spec)
    runtime.complete_user_task(workflow, runtime.ready_user_tasks(workflow)[0].task_id, {"plan": "План"})
    runtime.send_message(workflow, "petition_replace_mentor", {"reason": "несовместимость"})
    assert "petition_sub" in _start_outputs(first.spec) and "petition_sub" not in before  # SpiffWorkflow edits it
    assert not first.pristine()
    assert pool.give_back(first) is False  # dropped, not kept for the next workflow
    second = pool.lease("mentorship", build)
    assert second.spec is not first.spec and len(built) == 2
    assert _start_outputs(second.spec) == before
    other = runtime.start(second.spec, FACTS)
    assert runtime.waiting_messages(other) == runtime.waiting_messages(runtime.start(mentorship_spec, FACTS))
    assert second.pristine() and pool.give_back(second) is True
    assert pool.lease("mentorship", build).spec is second.spec  # an unchanged spec runs the next workflow
    assert len(built) == 2


def test_a_lease_is_exclusive_and_the_pool_is_bounded(mentorship_spec, reminder_spec):
    pool, built = SpecPool(keys=2, idle=2), []
    mentorship = _builder(serialize_spec(mentorship_spec), built)
    leases = [pool.lease("m", mentorship) for _ in range(3)]  # three workflows at once: three specs
    assert len({id(lease.spec) for lease in leases}) == 3
    assert [pool.give_back(lease) for lease in leases] == [True, True, False]  # two kept idle per key
    assert pool.idle_count("m") == 2
    pool.give_back(pool.lease("r", _builder(serialize_spec(reminder_spec), built)))
    pool.give_back(pool.lease("x", _builder(serialize_spec(reminder_spec), built)))
    assert pool.idle_count("m") == 0 and pool.idle_count("r") == 1  # the least recently used key went


def test_the_state_without_the_spec_is_the_whole_state_with_the_spec_cut_out(runtime, mentorship_spec):
    workflow = runtime.start(mentorship_spec, FACTS)
    whole = runtime.serialize(workflow)
    text, at = runtime.serialize_without_spec(workflow)
    spiff = json.loads(whole)["spiff"]
    members = "".join(f'"{key}": {json.dumps(spiff[key], ensure_ascii=False)}, '
                      for key in ("spec", "subprocess_specs"))
    assert text[:at] + members + text[at:] == whole  # byte for byte
    assert "spec" not in json.loads(text)["spiff"]
    again = runtime.deserialize(text, deserialize_spec(serialize_spec(mentorship_spec)))
    assert runtime.serialize(again) == whole
    assert runtime.ready_user_tasks(again) == runtime.ready_user_tasks(workflow)


def test_shape_sees_every_connection_a_run_may_add(mentorship_spec):
    copy = deserialize_spec(serialize_spec(mentorship_spec))
    shape = shape_of(copy)
    assert shape_of(deserialize_spec(serialize_spec(mentorship_spec))) == shape
    sub = next(iter(copy.subprocess_specs.values()))  # what BpmnStartTask.trigger_wf does, in a subprocess's spec
    sub.start.connect(sub.task_specs[f"{sub.name}.EndJoin"])
    assert shape_of(copy) != shape


def test_specs_built_from_text_are_fresh_objects():
    from engine.workflow import load_process

    spec = load_process(fixture_bytes("mentorship.bpmn"), "mentorship.bpmn", known_rulesets=RULESETS)
    text = serialize_spec(spec)
    assert deserialize_spec(text).spiff_spec is not deserialize_spec(text).spiff_spec
