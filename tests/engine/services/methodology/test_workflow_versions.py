"""The methodologist's list of processes: versions, the current one, and who runs on which."""
from __future__ import annotations

import pytest

from engine.db import paging
from engine.db.models import Organization
from engine.errors import NotFound, PermissionDenied
from engine.services.methodology import workflow_versions
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions
from tests import factories as f
from tests.engine.services.conftest import plan_bytes


def _v(n: int) -> bytes:
    return plan_bytes().replace("Утвердить план".encode(), f"Утвердить план (v{n})".encode())


def test_versions_current_usage_and_programs(db_session, world, monkeypatch):
    v1 = definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    v2 = definitions.save_draft(db_session, world.methodologist, _v(2), "plan_review.bpmn", comment="черновик").definition
    org = db_session.get(Organization, world.org_id)
    other = db_session.get(Organization, world.other_org_id)
    own = f.make_program(db_session, group=f.make_group(db_session, organization=org),
                         workflow_instance=f.make_instance(db_session, definition=v1, organization=org, kind="program"))
    f.make_program(db_session, group=f.make_group(db_session, organization=other),
                   workflow_instance=f.make_instance(db_session, definition=v1, organization=other, kind="program"))
    f.make_instance(db_session, definition=v1, organization=org, kind="program", status="completed")
    db_session.commit()

    [process] = workflow_versions.list_processes(db_session, world.methodologist)
    assert process.process_id == "plan_review" and process.name == "Согласование плана (тест сервисов)"
    assert [r.definition.version for r in process.versions] == [2, 1]
    draft, current = process.versions
    assert process.current is current and current.is_current and not draft.is_current
    assert draft.is_draft and draft.definition.comment == "черновик" and process.deployable(draft)
    assert not process.deployable(current)
    assert [(u.kind, u.status, u.count) for u in current.usage] == [("program", "completed", 1),
                                                                     ("program", "running", 2)]
    assert (current.instances, current.running, draft.instances) == (3, 2, 0)
    # programs are named only in the methodologist's own organizations; counts cover all of them
    assert [p.program_id for p in current.programs] == [own.id]
    assert (current.programs_total.value, current.programs_total.more) == (1, False)

    monkeypatch.setattr(paging, "LIST_BOUND", 1)  # a region's thousands of instances: counted up to the bound
    [process] = workflow_versions.list_processes(db_session, world.methodologist)
    bounded = process.versions[1]
    assert [(u.status, u.count, u.more) for u in bounded.usage] == [("completed", 1, False), ("running", 1, True)]
    assert [p.program_id for p in bounded.programs] == [own.id]
    monkeypatch.undo()

    definitions.deploy_draft(db_session, world.methodologist, v2.id)
    [process] = workflow_versions.list_processes(db_session, world.methodologist)
    assert process.current.definition.version == 2 and process.versions[1].running == 2


def test_one_process_and_one_version(db_session, world):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    assert workflow_versions.process(db_session, world.methodologist, "plan_review").current.definition.version == 1
    assert workflow_versions.get_version(db_session, world.methodologist, "plan_review", 1).version == 1
    with pytest.raises(NotFound):
        workflow_versions.process(db_session, world.methodologist, "missing")
    with pytest.raises(NotFound):
        workflow_versions.get_version(db_session, world.methodologist, "plan_review", 7)


def test_only_methodologists_see_the_list(db_session, world):
    for actor in (world.mentor, world.curator, world.outsider):
        with pytest.raises(PermissionDenied):
            workflow_versions.list_processes(db_session, actor)
        with pytest.raises(PermissionDenied):
            workflow_versions.get_version(db_session, actor, "plan_review", 1)
