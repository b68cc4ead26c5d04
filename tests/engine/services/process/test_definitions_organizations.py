"""Who deploys for whom (issue 11, finding 2): a version one organization's methodologist stores runs only
in that organization's new work; shipped versions are everyone's default. And a script stopped at a bound
leaves nothing of the step behind, only an incident the methodologist sees."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.db.models import Organization, ProcessDefinition, ScriptIncident, WorkflowInstance
from engine.errors import NotFound
from engine.services.methodology import workflow_versions
from engine.services.people.actor import SYSTEM, load_actor
from engine.services.process import definitions, instances
from engine.workflow.sandbox import ScriptLimitExceeded
from tests import factories as f
from tests.engine.services.conftest import START_DATA, plan_bytes

BOMB = b"rounds = 0\nplan_due = add_days(started_on, 14)"


def _other_methodologist(session, world):
    person = f.make_person(session)
    f.make_role(session, person, _org(session, world.other_org_id), "methodologist")
    session.commit()
    return load_actor(session, person.login)


def _org(session, org_id):
    return session.get(Organization, org_id)


def _changed(label: str) -> bytes:
    return plan_bytes().replace("Утвердить план".encode(), f"Утвердить план ({label})".encode())


def _start(session, org_id, clock):
    instance = instances.start_instance(session, SYSTEM, "plan_review", "program", org_id, {}, START_DATA, clock=clock)
    session.commit()
    return instance


def test_a_version_deployed_by_one_organization_runs_only_there(db_session, world, clock):
    shipped = definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    db_session.commit()
    other = _other_methodologist(db_session, world)
    theirs = definitions.deploy(db_session, other, _changed("их"), "plan_review.bpmn")
    db_session.commit()
    assert (shipped.organization_id, theirs.organization_id) == (None, world.other_org_id)

    assert _start(db_session, world.org_id, clock).definition_id == shipped.id  # ours is not changed
    assert _start(db_session, world.other_org_id, clock).definition_id == theirs.id

    ours = definitions.deploy(db_session, world.methodologist, _changed("наш"), "plan_review.bpmn")
    db_session.commit()
    assert _start(db_session, world.org_id, clock).definition_id == ours.id
    assert _start(db_session, world.other_org_id, clock).definition_id == theirs.id


def test_another_organizations_versions_are_neither_listed_nor_deployable(db_session, world):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    other = _other_methodologist(db_session, world)
    draft = definitions.save_draft(db_session, other, _changed("их"), "plan_review.bpmn").definition
    db_session.commit()
    listed = workflow_versions.process(db_session, world.methodologist, "plan_review")
    assert [row.definition.version for row in listed.versions] == [1]
    with pytest.raises(NotFound):
        workflow_versions.get_version(db_session, world.methodologist, "plan_review", draft.version)
    with pytest.raises(NotFound):
        definitions.deploy_draft(db_session, world.methodologist, draft.id)
    assert db_session.get(ProcessDefinition, draft.id).status == "draft"


def test_an_organization_chooses_anothers_version_by_storing_its_file(db_session, world, clock):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    other = _other_methodologist(db_session, world)
    theirs = definitions.deploy(db_session, other, _changed("их"), "plan_review.bpmn")
    db_session.commit()
    ours = definitions.deploy(db_session, world.methodologist, _changed("их"), "plan_review.bpmn")
    db_session.commit()
    assert ours.id != theirs.id and ours.bpmn_sha256 == theirs.bpmn_sha256
    assert (ours.organization_id, ours.version) == (world.org_id, 3)
    assert _start(db_session, world.org_id, clock).definition_id == ours.id
    assert definitions.deploy(db_session, world.methodologist, _changed("их"), "copy.bpmn").id == ours.id


def test_a_script_stopped_at_a_bound_leaves_an_incident_and_nothing_else(db_session, world, clock):
    bomb = plan_bytes().replace(BOMB, b"rounds = 0\nn = 100000\nwaste = 'x' * n * n\nplan_due = add_days(started_on, 14)")
    assert bomb != plan_bytes()
    definitions.deploy(db_session, world.methodologist, bomb, "plan_review.bpmn")
    db_session.commit()
    with pytest.raises(ScriptLimitExceeded) as caught:
        instances.start_instance(db_session, world.methodologist, "plan_review", "program", world.org_id, {},
                                 START_DATA, clock=clock)
    assert str(caught.value) == "сценарий «Подготовить данные» (элемент prepare) превысил предел памяти 256\u00a0МБ"
    assert db_session.scalar(select(func.count()).select_from(WorkflowInstance)) == 0
    incident = db_session.scalars(select(ScriptIncident)).one()
    assert (incident.organization_id, incident.process_id, incident.element_id, incident.bound) == (
        world.org_id, "plan_review", "prepare", "memory")
    assert incident.actor_id == world.methodologist.person_id
    assert incident.definition.version == 1
