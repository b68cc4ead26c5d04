"""«Инциденты» (issue 13, item 5): the curator and the administrator of the organization see the background jobs
that failed their last try — what, where, the error, when, how many tries — and retry or skip them (a reason
asked); the program page warns that it has one; others get 403 or see none of another organization's."""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from cli.context import session_scope
from engine.db.models import AuditEntry, Job, JobStatus, Program, WorkflowInstance
from engine.demo.world import DEMO_PASSWORD
from tests import factories as f
from tests.engine.services.conftest import PLAN
from tests.web.conftest import csrf_token, login, make_test_app, password_hash
from tests.web.incidents_support import make_incident
from web.db import database


@pytest.fixture
def jobs(db_session_factory, seed) -> dict[str, int]:
    with db_session_factory() as session:
        admin = f.make_person(session, login="admin", full_name="Админов Пётр Ильич", password_hash=password_hash())
        f.make_role(session, admin, session.merge(seed.org), "admin")
        definition = f.make_definition(session, process_id="program_lifecycle", name="Программа наставничества",
                                       bpmn=PLAN.read_text(encoding="utf-8"))
        instance = f.make_instance(session, definition=definition, organization=session.merge(seed.org),
                                   kind="program")
        program = f.make_program(session, group=f.make_group(session, organization=session.merge(seed.org)),
                                 workflow_instance_id=instance.id)
        session.commit()
        ids = {"program_id": program.id, "instance_id": instance.id}
        ids["own"] = make_incident(session, seed.org.id, "web:own", instance_id=instance.id, element_id="draft_plan")
        ids["other"] = make_incident(session, seed.other_org.id, "web:other")
        return ids


def test_the_curator_sees_the_incident_with_where_what_and_when(client, jobs):
    login(client, "curator")
    html = client.get("/incidents").text
    assert f'data-job-id="{jobs["own"]}"' in html and f'data-job-id="{jobs["other"]}"' not in html
    assert "smtp: почтовый сервер отклонил письмо: 554 отказ" in html
    assert f'href="/programs/{jobs["program_id"]}"' in html and "Шаг «Составить план»" in html
    assert "всего 1 попытка" in html and "Открыт 1 инцидент" in html
    assert 'mainnav__count">1<' in html  # the menu item with the open count


def test_another_organizations_curator_sees_only_hers_and_others_are_refused(client, jobs):
    login(client, "other_curator")
    html = client.get("/incidents").text
    assert f'data-job-id="{jobs["other"]}"' in html and f'data-job-id="{jobs["own"]}"' not in html
    page = client.get(f"/incidents/{jobs['own']}/skip")
    assert page.status_code == 403 and "«администратор» и «куратор»" in page.text
    client = client.application.test_client()
    login(client, "mentor")
    assert client.get("/incidents").status_code == 403
    assert "/incidents" not in client.get("/").text  # no menu item


def test_retry_puts_it_back_in_the_queue(client, jobs, db_session):
    login(client, "admin")
    token = csrf_token(client.get("/incidents").text)
    done = client.post(f"/incidents/{jobs['own']}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert "поставлено в очередь снова" in done.text and f'data-job-id="{jobs["own"]}"' not in done.text
    job = db_session.get(Job, jobs["own"])
    assert (job.status, job.attempts) == (JobStatus.WAITING.value, 0)
    again = client.post(f"/incidents/{jobs['own']}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert "его уже повторили" in again.text


def test_skip_asks_a_reason(client, jobs, db_session):
    login(client, "curator")
    form = client.get(f"/incidents/{jobs['own']}/skip")
    assert form.status_code == 200 and "Почему это задание не нужно выполнять" in form.text
    token = csrf_token(form.text)
    empty = client.post(f"/incidents/{jobs['own']}/skip", data={"csrf_token": token, "reason": ""})
    assert empty.status_code == 422 and "Укажите причину" in empty.text
    done = client.post(f"/incidents/{jobs['own']}/skip", data={"csrf_token": token, "reason": "Письмо неактуально"},
                       follow_redirects=True)
    assert "пропущено; причина записана" in done.text and "Открытых инцидентов нет" in done.text
    assert db_session.get(Job, jobs["own"]).status == JobStatus.SKIPPED.value
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "job.skipped"))
    assert entry.details["reason"] == "Письмо неактуально"


def test_the_program_page_warns_of_its_open_incident(demo_database, tmp_path):  # the demo database: SQLite
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_database, copy)
    url = f"sqlite:///{copy.as_posix()}"
    with session_scope(url) as session:
        program = session.scalars(select(Program).where(Program.workflow_instance_id.is_not(None))
                                  .order_by(Program.id)).first()
        instance = session.get(WorkflowInstance, program.workflow_instance_id)
        job_id = make_incident(session, instance.organization_id, "web:program", instance_id=instance.id,
                               element_id="Task_stage_reminder")
        program_id = program.id
    app = make_test_app(url)
    try:
        client = app.test_client()
        login(client, "curator", DEMO_PASSWORD)
        html = client.get(f"/programs/{program_id}").text
        assert 'data-open-incidents="1"' in html and "У этой программы 1 открытый инцидент фоновой работы" in html
        assert f'href="/incidents?program={program_id}"' in html
        listed = client.get(f"/incidents?program={program_id}").text
        assert f'data-job-id="{job_id}"' in listed and "Только программа" in listed
        client = app.test_client()
        login(client, "head", DEMO_PASSWORD)  # staff, not one who acts on incidents: warned, told who does
        html = client.get(f"/programs/{program_id}").text
        assert "1 открытый инцидент" in html and "администратор либо куратор" in html
    finally:
        database(app).dispose()


def test_tries_agree_with_their_number(app):
    from web.views.incidents import tries

    with app.test_request_context("/"):
        assert [tries(n) for n in (1, 3, 5, 21)] == ["1 попытка", "3 попытки", "5 попыток", "21 попытка"]
