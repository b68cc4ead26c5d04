"""Two programs on one definition, one worker process: the steps run on specs the process keeps (nothing of the
spec is parsed, built or encoded per step), and a petition that starts an event subprocess in one program —
SpiffWorkflow wires it into that program's spec — never reaches the other program's spec."""
from __future__ import annotations

import json

from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instance_state, instance_steps, instances, workflow_cache
from engine.workflow.spiff.spec_pool import shape_of
from tests.engine.services.conftest import START_DATA, plan_bytes


def _start(session, world, clock):
    instance = instances.start_instance(session, SYSTEM, "plan_review", "program", world.org_id, {"group_id": 1},
                                        START_DATA, clock=clock)
    session.commit()
    return instance


def _task(instance, element_id) -> str:
    return next(t.task_id for t in instance.open_tasks if t.element_id == element_id)


def test_a_petition_in_one_program_does_not_leak_into_another_programs_spec(db_session, world, clock, monkeypatch):
    monkeypatch.setattr(workflow_cache, "_cache", workflow_cache.WorkflowCache(0))  # the pool alone (every spec given
    # back after its step; with the cache a spec stays with its kept workflow: test_workflow_cache)
    definition = definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    definitions.clear_cache()
    pristine = shape_of(definitions.fresh_spec(definition))
    pool = definitions.spec_pool()
    built = pool.built
    first, second = _start(db_session, world, clock), _start(db_session, world, clock)
    assert pool.built == built + 1  # the second start ran on the spec the first one gave back

    instances.send_message(db_session, world.mentor, first.id, "petition", {"reason": "замена"}, clock=clock)
    db_session.commit()
    assert "spec" in json.loads(first.state)["spiff"]  # its spec was rewired: that program keeps it whole
    assert pool.built == built + 1 and pool.idle_count((definition.id, definition.bpmn_sha256)) == 0  # and it was dropped

    lease = definitions.lease_spec(definition)  # what the next step runs on: a fresh spec, as the definition says
    assert shape_of(lease.spec) == pristine and pool.built == built + 2
    definitions.give_back_spec(lease)

    assert instances.snapshot(db_session, second.id).waiting_messages == ["petition"]
    instances.complete_task(db_session, world.mentor, second.id, _task(second, "draft_plan"), {"plan": "План"},
                            clock=clock)
    db_session.commit()
    assert [t.element_id for t in second.open_tasks] == ["approve_plan"]  # no petition review came with it
    stored = json.loads(second.state)
    assert stored["spec_sha256"] == definition.bpmn_sha256 and "spec" not in stored["spiff"]

    instances.send_message(db_session, world.mentor, second.id, "petition", {"reason": "своё"}, clock=clock)
    db_session.commit()  # its own petition: the same as the first program's
    assert sorted(t.element_id for t in second.open_tasks) == ["approve_plan", "review_petition"]
    assert sorted(t.element_id for t in first.open_tasks) == ["draft_plan", "review_petition"]
    assert instances.snapshot(db_session, first.id).data["petition"] == {"reason": "замена"}


def test_the_state_saved_without_building_the_spec_is_the_one_cut_from_the_whole(db_session, world, clock):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    started = _start(db_session, world, clock)
    runtime = instance_steps.make_runtime(clock)
    with instance_state.restored(runtime, started) as running:
        assert running.lease is not None  # on a spec of the pool, not one parsed from the state
        fast = running.state(runtime, started.definition)
        whole = runtime.serialize(running.workflow)
    assert fast == instances.pack_state(whole, started.definition) == started.state
    assert instances.unpack_state(fast, started.definition) == whole
