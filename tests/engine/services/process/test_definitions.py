"""Deploying BPMN definitions: content-hash dedup, versions, refusal with element ids, pinning."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, ProcessDefinition, WorkflowInstance
from engine.domain_time import scheduled_stages
from engine.errors import PermissionDenied, WorkflowDefinitionError
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances
from tests.engine.services.conftest import START_DATA, plan_bytes


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_deploy_dedups_by_hash_and_versions_per_process(db_session, world):
    first = definitions.deploy(db_session, world.methodologist, plan_bytes(), "plan_review.bpmn")
    db_session.commit()
    assert (first.process_id, first.version, first.deployed_by_id) == ("plan_review", 1, world.methodologist.person_id)
    assert first.name == "Согласование плана (тест сервисов)"

    again = definitions.deploy(db_session, world.methodologist, plan_bytes(), "copy.bpmn")
    assert again.id == first.id and _count(db_session, ProcessDefinition) == 1

    changed = plan_bytes().replace("Утвердить план".encode(), "Утвердить план (v2)".encode())
    second = definitions.deploy(db_session, SYSTEM, changed, "plan_review.bpmn")
    db_session.commit()
    assert (second.version, second.deployed_by_id) == (2, None)
    assert second.bpmn.encode("utf-8") == changed
    audits = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "workflow.deployed")).all()
    assert [a.details["version"] for a in audits] == [1, 2]


def test_broken_bpmn_is_refused_naming_the_element(db_session, world):
    broken = plan_bytes().replace(b'<spiffworkflow:property name="form" value="approve_plan"/>', b"")
    with pytest.raises(WorkflowDefinitionError) as caught:
        definitions.deploy(db_session, SYSTEM, broken, "broken.bpmn")
    assert "approve_plan" in {p.element_id for p in caught.value.problems}
    assert "approve_plan" in str(caught.value)
    with pytest.raises(WorkflowDefinitionError):
        definitions.deploy(db_session, SYSTEM, b"\x00not xml", "garbage.bpmn")
    assert _count(db_session, ProcessDefinition) == 0


def test_only_methodologists_and_the_system_deploy(db_session, world):
    for actor in (world.mentor, world.curator, world.outsider):
        with pytest.raises(PermissionDenied):
            definitions.deploy(db_session, actor, plan_bytes(), "plan_review.bpmn")
    assert _count(db_session, ProcessDefinition) == 0


def test_spec_for_is_cached_and_falls_back_to_the_bpmn(db_session, world):
    definition = definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    spec = definitions.spec_for(definition)
    assert definitions.spec_for(definition) is spec
    definitions.clear_cache()
    definition.spec_json = '{"format": "old"}'  # another format: re-parse the BPMN text
    again = definitions.spec_for(definition)
    assert again.process_id == "plan_review" and again.sha256 == definition.bpmn_sha256
    assert definitions.spec_document(definition)["process_id"] == "plan_review"


def test_running_instance_stays_pinned_to_its_version(db_session, world, clock):
    v1 = definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    db_session.commit()
    old = instances.start_instance(db_session, SYSTEM, "plan_review", "program", world.org_id, {}, START_DATA,
                                   clock=clock)
    db_session.commit()
    changed = plan_bytes().replace("Утвердить план".encode(), "Утвердить план (v2)".encode())
    v2 = definitions.deploy(db_session, SYSTEM, changed, "plan_review.bpmn")
    db_session.commit()
    definitions.clear_cache()  # as in a fresh process

    task = old.open_tasks[0]
    instances.complete_task(db_session, world.mentor, old.id, task.task_id, {"plan": "план"}, clock=clock)
    db_session.commit()
    assert old.definition_id == v1.id
    assert [t.name for t in old.open_tasks] == ["Утвердить план"]
    instances.complete_task(db_session, world.curator, old.id, old.open_tasks[0].task_id,
                            {"approved": True}, clock=clock)
    db_session.commit()
    assert db_session.get(WorkflowInstance, old.id).status == "completed"

    new = instances.start_instance(db_session, SYSTEM, "plan_review", "program", world.org_id, {}, START_DATA,
                                   clock=clock)
    instances.complete_task(db_session, world.mentor, new.id, new.open_tasks[0].task_id, {}, clock=clock)
    db_session.commit()
    assert new.definition_id == v2.id
    assert [t.name for t in new.open_tasks] == ["Утвердить план (v2)"]


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_deploy_shipped_deploys_each_file_once(db_session, tmp_path):
    (tmp_path / "plan_review.bpmn").write_bytes(plan_bytes())
    first = definitions.deploy_shipped(db_session, tmp_path)
    again = definitions.deploy_shipped(db_session, tmp_path)
    assert [d.id for d in first] == [d.id for d in again] and first[0].version == 1


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_shipped_diagrams_deploy_and_start(db_session, world):
    """The real diagrams through the services (loose checks: another change may still polish them)."""
    shipped = definitions.deploy_shipped(db_session)
    assert {d.process_id for d in shipped} >= {"mentor_appointment", "pair_formation", "program_lifecycle"}
    data = {"regulation": "tomsk", "reminder_days_before": 7, "mentor_id": "m1", "mentee_ids": ["e1"],
            "program_started_on": "2025-01-10",  # the schedule comes as start data (engine/domain_time.py)
            "stages": scheduled_stages("2025-01-10", [{"id": "diagnosis", "name": "Организационный", "planned_months": 1},
                                                      {"id": "reflection", "name": "Рефлексивный", "planned_months": 1}])}
    instance = instances.start_instance(db_session, SYSTEM, "program_lifecycle", "program", world.org_id, {}, data)
    db_session.commit()
    assert instance.open_tasks and all(t.role in {"mentor", "mentee", "curator", "head"} for t in instance.open_tasks)
    assert '"spec_sha256"' in instance.state[:100]
    full = instances.unpack_state(instance.state, instance.definition)
    assert len(instance.state) * 2 < len(full)
