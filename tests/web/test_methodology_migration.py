"""The methodologist moves running programs to the new version of their process (issue 16, item 6): after a
deploy the page lists them, the movable with a checkbox, the others with the reason; the POST moves the chosen."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.bootstrap import bootstrap
from engine.db.models import AuditEntry, WorkflowInstance
from engine.services.people.actor import SYSTEM, load_actor
from engine.services.process import definitions, instances
from tests.web.conftest import csrf_token, login

ROOT = Path(__file__).resolve().parents[2]
PLAN = (ROOT / "tests" / "engine" / "services" / "fixtures" / "plan_review.bpmn").read_bytes()
V2 = PLAN.replace("Составить план".encode(), "Составить план занятий".encode())
START_DATA = {"started_on": "2025-01-10", "divisor": 1}


@pytest.fixture
def running(db_session_factory, seed):
    """plan_review v1 with two running instances of the seed's organization: one drafting, one past the draft."""
    definitions.clear_cache()
    domain = bootstrap()
    with domain.session_factory(db_session_factory.kw["bind"])() as session:
        definitions.deploy(session, SYSTEM, PLAN, "plan_review.bpmn")
        drafting = instances.start_instance(session, SYSTEM, "plan_review", "program", seed.org.id, {}, START_DATA)
        past = instances.start_instance(session, SYSTEM, "plan_review", "program", seed.org.id, {}, START_DATA)
        mentor = load_actor(session, seed.login_of("mentor"))
        task = next(t.task_id for t in past.open_tasks if t.element_id == "draft_plan")
        instances.complete_task(session, mentor, past.id, task, {"plan": "П"})
        session.commit()
        return drafting.id, past.id


def _deploy(client, data: bytes):
    token = csrf_token(client.get("/methodology").text)
    saved = client.post("/methodology/save", json={"xml": data.decode(), "filename": "plan_review.bpmn"},
                        headers={"X-CSRFToken": token}).get_json()
    page = client.get(saved["url"]).text
    return client.post(f"/methodology/workflows/plan_review/{saved['version']}/deploy",
                       data={"csrf_token": csrf_token(page)})


def test_after_a_deploy_the_methodologist_moves_the_chosen(client, running, db_session_factory):
    drafting, past = running
    login(client, "methodologist")
    deployed = _deploy(client, V2)
    assert deployed.status_code == 302 and deployed.headers["Location"].endswith("/methodology/workflows/plan_review/migrate")
    html = client.get("/methodology/workflows/plan_review/migrate").text
    assert "Перевести выполняющиеся программы на новую версию" in html
    assert "По прежним версиям выполняются 2 процесса" in html and "2 можно перевести" in html
    assert f'name="instance" value="{drafting}"' in html and f'name="instance" value="{past}"' in html
    assert 'data-migrate="plan_review"' in client.get("/methodology").text

    moved = client.post("/methodology/workflows/plan_review/migrate",
                        data={"csrf_token": csrf_token(html), "instance": [str(drafting)]})
    assert moved.status_code == 302
    after = client.get(moved.headers["Location"]).text
    assert "Переведён на новую версию 1 процесс." in after
    assert f'value="{drafting}"' not in after and f'value="{past}"' in after  # the other one was not chosen
    with db_session_factory() as session:
        assert session.get(WorkflowInstance, drafting).definition.version == 2
        assert session.get(WorkflowInstance, past).definition.version == 1
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "workflow.migrated")).all()
        assert entry.object_id == str(drafting) and entry.details["to_version"] == 2


def test_a_program_that_cannot_move_shows_the_reason(client, running, db_session_factory):
    drafting, past = running
    login(client, "methodologist")
    without = re.sub(rb'<bpmn:userTask id="draft_plan".*?</bpmn:userTask>', b"", PLAN, flags=re.S)
    without = without.replace(b"<bpmn:flowNodeRef>draft_plan</bpmn:flowNodeRef>", b"").replace(
        b'<bpmn:sequenceFlow id="f3" sourceRef="draft_plan" targetRef="approve_plan"/>', b"").replace(
        b'targetRef="draft_plan"', b'targetRef="approve_plan"')
    assert _deploy(client, without).status_code == 302
    html = client.get("/methodology/workflows/plan_review/migrate").text
    assert "сейчас открыта задача «Составить план», а в новой версии этого элемента нет" in html
    assert "программа уже прошла «Составить план»" in html and "2 перевести нельзя" in html
    assert 'name="instance"' not in html and "Перевести выбранные" not in html
    forced = client.post("/methodology/workflows/plan_review/migrate",  # a hand-made POST is refused just the same
                         data={"csrf_token": csrf_token(html), "instance": [str(drafting)]})
    assert forced.status_code == 422 and "Не переведён 1 процесс:" in forced.text
    with db_session_factory() as session:
        assert session.get(WorkflowInstance, drafting).definition.version == 1


def test_bad_choices_are_named(client, running):
    login(client, "methodologist")
    assert _deploy(client, V2).status_code == 302
    token = csrf_token(client.get("/methodology/workflows/plan_review/migrate").text)
    bad = client.post("/methodology/workflows/plan_review/migrate", data={"csrf_token": token, "instance": ["x1"]})
    assert bad.status_code == 422 and "«x1» — не номер процесса." in bad.text
    none = client.post("/methodology/workflows/plan_review/migrate", data={"csrf_token": token})
    assert none.status_code == 302
    unknown = client.post("/methodology/workflows/plan_review/migrate", data={"csrf_token": token, "instance": ["999999"]})
    assert unknown.status_code == 422 and "нет процесса №999999" in unknown.text


@pytest.mark.parametrize("who", ["curator", "head", "mentor", "other_curator"])
def test_only_methodologists_move(client, running, who):
    login(client, who)
    assert client.get("/methodology/workflows/plan_review/migrate").status_code == 403
