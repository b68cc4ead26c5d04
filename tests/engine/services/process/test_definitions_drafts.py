"""Draft process versions: saved after the check, deployed later; new instances start on the latest
deployed version, running ones stay pinned."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.bootstrap import bootstrap
from engine.db.models import AuditEntry, ProcessDefinition, latest_definition
from engine.errors import ConflictError, NotFound, PermissionDenied, WorkflowDefinitionError
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances
from tests.engine.services.conftest import START_DATA, plan_bytes


def _v(n: int) -> bytes:
    return plan_bytes().replace("Утвердить план".encode(), f"Утвердить план (v{n})".encode())


def test_check_reports_what_the_command_line_reports():
    domain = bootstrap()
    assert definitions.check(plan_bytes(), "plan_review.bpmn", domain=domain) == []
    broken = plan_bytes().replace(b"rounds = 0", b"import os\nrounds = 0")
    problems = definitions.check(broken, "broken.bpmn", domain=domain)
    assert problems and problems[0].element_id == "prepare" and "импорт" in problems[0].message


def test_draft_is_stored_but_not_started_on_until_deployed(db_session, world, clock):
    v1 = definitions.deploy(db_session, world.methodologist, plan_bytes(), "plan_review.bpmn")
    assert v1.status == "deployed" and v1.activated_at is not None
    saved = definitions.save_draft(db_session, world.methodologist, _v(2), "plan_review.bpmn", comment="  правка  ")
    db_session.commit()
    draft = saved.definition
    assert saved.created and (draft.version, draft.status, draft.comment, draft.activated_at) == (2, "draft", "правка", None)
    assert draft.deployed_by_id == world.methodologist.person_id
    assert latest_definition(db_session, "plan_review", world.org_id).id == v1.id

    running = instances.start_instance(db_session, SYSTEM, "plan_review", "program", world.org_id, {}, START_DATA,
                                       clock=clock)
    assert running.definition_id == v1.id
    deployed = definitions.deploy_draft(db_session, world.methodologist, draft.id)
    db_session.commit()
    assert deployed.status == "deployed" and deployed.activated_at is not None
    assert latest_definition(db_session, "plan_review", world.org_id).id == draft.id
    new = instances.start_instance(db_session, SYSTEM, "plan_review", "program", world.org_id, {}, START_DATA,
                                   clock=clock)
    db_session.commit()
    assert new.definition_id == draft.id and running.definition_id == v1.id

    actions = [(a.action, a.details.get("version"), a.actor_id) for a in
               db_session.scalars(select(AuditEntry).where(AuditEntry.action.in_(("workflow.deployed", "workflow.draft_saved")))
                                  .order_by(AuditEntry.id))]
    who = world.methodologist.person_id
    assert actions == [("workflow.deployed", 1, who), ("workflow.draft_saved", 2, who), ("workflow.deployed", 2, who)]


def test_same_bytes_name_the_version_they_equal(db_session, world):
    v1 = definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    again = definitions.save_draft(db_session, world.methodologist, plan_bytes(), "copy.bpmn")
    assert not again.created and again.definition.id == v1.id
    assert definitions.find_by_content(db_session, _v(2)) is None


def test_deploy_of_a_drafts_bytes_deploys_the_draft(db_session, world):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    draft = definitions.save_draft(db_session, world.methodologist, _v(2), "plan_review.bpmn").definition
    same = definitions.deploy(db_session, world.methodologist, _v(2), "plan_review.bpmn")
    assert same.id == draft.id and same.status == "deployed"


def test_deploying_twice_or_an_older_draft_is_refused(db_session, world):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    old = definitions.save_draft(db_session, world.methodologist, _v(2), "plan_review.bpmn").definition
    newer = definitions.save_draft(db_session, world.methodologist, _v(3), "plan_review.bpmn").definition
    definitions.deploy_draft(db_session, world.methodologist, newer.id)
    with pytest.raises(ConflictError, match="уже развёрнута"):
        definitions.deploy_draft(db_session, world.methodologist, newer.id)
    with pytest.raises(ConflictError, match="более новая версия 3"):
        definitions.deploy_draft(db_session, world.methodologist, old.id)
    with pytest.raises(NotFound):
        definitions.deploy_draft(db_session, world.methodologist, 10_000)
    db_session.rollback()


def test_only_methodologists_save_and_deploy_drafts(db_session, world):
    draft = definitions.save_draft(db_session, world.methodologist, plan_bytes(), "plan_review.bpmn").definition
    db_session.commit()
    for actor in (world.mentor, world.curator, world.other_curator, world.outsider):
        with pytest.raises(PermissionDenied):
            definitions.save_draft(db_session, actor, _v(2), "plan_review.bpmn")
        with pytest.raises(PermissionDenied):
            definitions.deploy_draft(db_session, actor, draft.id)
    assert db_session.get(ProcessDefinition, draft.id).status == "draft"


def test_a_broken_draft_is_refused_naming_the_element(db_session, world):
    broken = plan_bytes().replace(b'<spiffworkflow:property name="form" value="approve_plan"/>', b"")
    with pytest.raises(WorkflowDefinitionError) as caught:
        definitions.save_draft(db_session, world.methodologist, broken, "broken.bpmn")
    assert "approve_plan" in {p.element_id for p in caught.value.problems}
    assert db_session.scalar(select(ProcessDefinition.id)) is None
