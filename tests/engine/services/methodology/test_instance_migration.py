"""A methodologist moves running programs to the new version of their process (issue 16, item 6): the one that
can move moves and runs to its end on the new version; the one sitting on a task the new version removed is
refused with the reason, stays on its version and keeps working; each move is audited; only the methodologist of
the program's organization moves it."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.db.models import AuditEntry, WorkflowInstance
from engine.errors import PermissionDenied
from engine.services.audit.history import history
from engine.services.methodology import instance_migration as migration
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances
from engine.workflow import FixedClock
from tests.engine.services.conftest import START_DATA, plan_bytes

LATER = FixedClock("2025-01-12T09:00:00+00:00")


def renamed_and_slower() -> bytes:
    """v2, a harmless change: the mentor's task has a new label, the curator gets 21 days instead of 14."""
    return plan_bytes().replace("Составить план".encode(), "Составить план занятий".encode()).replace(b"P14D", b"P21D")


def without_draft_plan() -> bytes:
    """v2 without the mentor's task «Составить план»: the plan goes straight to the curator."""
    data = plan_bytes().replace(b"<bpmn:flowNodeRef>draft_plan</bpmn:flowNodeRef>", b"")
    data = re.sub(rb'<bpmn:userTask id="draft_plan".*?</bpmn:userTask>', b"", data, flags=re.S)
    data = data.replace(b'<bpmn:sequenceFlow id="f3" sourceRef="draft_plan" targetRef="approve_plan"/>', b"")
    return data.replace(b'targetRef="draft_plan"', b'targetRef="approve_plan"')


def _start(session, world, clock):
    instance = instances.start_instance(session, SYSTEM, "plan_review", "program", world.org_id, {"group_id": 1},
                                        START_DATA, clock=clock)
    session.commit()
    return instance


def _deploy_v2(session, world, data: bytes):
    draft = definitions.save_draft(session, world.methodologist, data, "plan_review.bpmn").definition
    definitions.deploy_draft(session, world.methodologist, draft.id)
    session.commit()
    return draft


def _task(instance, element_id) -> str:
    return next(t.task_id for t in instance.open_tasks if t.element_id == element_id)


def test_a_program_moves_to_version_2_and_completes_on_it(db_session, world, clock):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    waiting = _start(db_session, world, clock)  # the mentor drafts the plan
    instances.complete_task(db_session, world.mentor, waiting.id, _task(waiting, "draft_plan"), {"plan": "П"},
                            clock=clock)
    db_session.commit()  # now with the curator, a 14-day timer running
    timer_before = waiting.timers[0].fires_at
    drafting = _start(db_session, world, clock)
    v2 = _deploy_v2(db_session, world, renamed_and_slower())

    listed = migration.candidates(db_session, world.methodologist, "plan_review")
    assert [(c.instance_id, c.from_version, c.to_version, c.movable) for c in listed.candidates] == [
        (waiting.id, 1, 2, True), (drafting.id, 1, 2, True)]
    assert listed.candidates[0].reopened == ("approve_overdue",)  # its timer changed: it counts anew
    assert listed.candidates[1].open_tasks == ("Составить план",)
    assert int(listed.total) == 2

    result = migration.move_instances(db_session, world.methodologist, "plan_review", [drafting.id, waiting.id],
                                      clock=LATER)
    assert [(m.instance_id, m.from_version, m.to_version) for m in result.moved] == [(drafting.id, 1, 2),
                                                                                     (waiting.id, 1, 2)]
    assert result.refused == []
    db_session.expire_all()
    drafting, waiting = db_session.get(WorkflowInstance, drafting.id), db_session.get(WorkflowInstance, waiting.id)
    assert drafting.definition_id == waiting.definition_id == v2.id
    assert [t.name for t in drafting.open_tasks] == ["Составить план занятий"]  # the open task shows the new label
    assert waiting.timers[0].fires_at > timer_before  # 21 days from the move

    # both run to the end on version 2
    instances.complete_task(db_session, world.mentor, drafting.id, _task(drafting, "draft_plan"), {"plan": "П"},
                            clock=LATER)
    for instance in (drafting, waiting):
        instances.complete_task(db_session, world.curator, instance.id, _task(instance, "approve_plan"),
                                {"approved": True}, clock=LATER)
    db_session.commit()
    assert (drafting.status, waiting.status) == ("completed", "completed")

    moves = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "workflow.migrated")
                               .order_by(AuditEntry.id)).all()
    assert [(e.object_id, e.actor_id, e.details["from_version"], e.details["to_version"]) for e in moves] == [
        (str(drafting.id), world.methodologist.person_id, 1, 2), (str(waiting.id), world.methodologist.person_id, 1, 2)]
    told = [h.text for h in history(db_session, program_ids=[], instance_ids={waiting.id})]
    assert "Процесс переведён с версии 1 на версию 2" in told
    assert migration.candidates(db_session, world.methodologist, "plan_review").candidates == []


def test_a_program_on_a_removed_task_is_refused_and_keeps_working(db_session, world, clock):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    stuck = _start(db_session, world, clock)  # sits on «Составить план», which v2 removes
    state, version = stuck.state, stuck.version
    _deploy_v2(db_session, world, without_draft_plan())

    [candidate] = migration.candidates(db_session, world.methodologist, "plan_review").candidates
    assert not candidate.movable
    assert candidate.obstacles == ("сейчас открыта задача «Составить план», а в новой версии этого элемента нет",)

    result = migration.move_instances(db_session, world.methodologist, "plan_review", [stuck.id])
    assert result.moved == [] and result.refused == [(stuck.id, candidate.obstacles[0])]
    db_session.expire_all()
    stuck = db_session.get(WorkflowInstance, stuck.id)
    assert (stuck.definition.version, stuck.state, stuck.version) == (1, state, version)  # nothing changed
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action == "workflow.migrated")) is None

    instances.complete_task(db_session, world.mentor, stuck.id, _task(stuck, "draft_plan"), {"plan": "П"}, clock=clock)
    instances.complete_task(db_session, world.curator, stuck.id, _task(stuck, "approve_plan"), {"approved": True},
                            clock=clock)
    db_session.commit()
    assert stuck.status == "completed" and stuck.definition.version == 1


def test_a_program_past_the_removed_task_is_refused_too(db_session, world, clock):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    past = _start(db_session, world, clock)
    instances.complete_task(db_session, world.mentor, past.id, _task(past, "draft_plan"), {}, clock=clock)
    db_session.commit()
    _deploy_v2(db_session, world, without_draft_plan())
    [candidate] = migration.candidates(db_session, world.methodologist, "plan_review").candidates
    assert candidate.obstacles == ("программа уже прошла «Составить план», а в новой версии этого элемента нет: "
                                   "пройденный путь не переписывается",)


def test_only_the_methodologist_of_the_organization_moves(db_session, world, clock):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    instance = _start(db_session, world, clock)
    _deploy_v2(db_session, world, renamed_and_slower())
    for actor in (world.mentor, world.curator, world.outsider, world.other_curator):
        with pytest.raises(PermissionDenied):
            migration.candidates(db_session, actor, "plan_review")
        with pytest.raises(PermissionDenied):
            migration.move_instances(db_session, actor, "plan_review", [instance.id])
    db_session.expire_all()
    assert db_session.get(WorkflowInstance, instance.id).definition.version == 1
