"""The mentor files his report by 10 June (003 п. 3) on his own page: the task the worker opened links to it, the page
shows his program with the roadmap's events held, each program's results are required (a Russian message naming the
program and the field), the report goes through the common completion; the curator's monitoring shows him
«представлен» and a mentor who did not file «не представлен в срок» after the date; another mentor gets 403
(web/views/my_reports.py, the monitoring page)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.db.models import MentorPeriodReport, Notification
from engine.forms import FormId
from tests.web.conftest import app_on_clock, csrf_token, login
from tests.web.test_mentor_report_indicators import build_world

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])
BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


@pytest.fixture
def tomsk(db_session_factory):
    """A Tomsk organization (003) with two appointed mentors, one of them in a running program; the report tasks
    for 10 June opened by the worker on 27 May (``build_world``)."""
    session = db_session_factory()
    yield build_world(session)
    session.close()


@pytest.fixture
def app(db_url, db_engine, seed, tomsk):
    with app_on_clock(db_url, tomsk[0].clock) as application:
        yield application


@BOTH
def test_the_mentor_files_his_report_and_the_curator_sees_it(client, tomsk):
    world, volkov, orlov, program = tomsk
    task = world.task(volkov, FormId.MENTOR_PERIOD_REPORT)
    path = f"/my/reports/{task.instance_id}/{task.task_id}"
    told = world.session.scalar(select(Notification).where(Notification.person_id == volkov.id,
                                                           Notification.instance_id == task.instance_id))
    assert told is not None and told.link == path  # «Новая задача» leads to the page

    login(client, volkov.login)
    page = client.get(path)
    assert page.status_code == 200
    assert "Отчёт наставника за период" in page.text and "Новикова Елена Павловна" in page.text
    assert "Срок — до 10.06.2025" in page.text and f"Программа № {program.id}" in page.text
    token = csrf_token(page.text)
    entry = {"programs-0-program_id": str(program.id), "csrf_token": token}
    empty = client.post(path, data={**entry, "programs-0-results": "  "})
    assert empty.status_code == 422
    assert f"Программа № {program.id}: напишите результаты за период." in empty.text
    forged = client.post(path, data={**entry, "programs-0-program_id": "999999", "programs-0-results": "x"})
    assert forged.status_code == 422 and "не программа наставника за этот период" in forged.text
    no_csrf = client.post(path, data={"programs-0-program_id": str(program.id), "programs-0-results": "x"})
    assert no_csrf.status_code == 400
    filed = client.post(path, data={**entry, "programs-0-results": "Составлен план развития школы",
                                    "programs-0-difficulties": "Нехватка времени",
                                    "programs-0-mentee_progress": "Освоила планирование", "comment": "Всё по плану"})
    assert filed.status_code == 302, filed.text
    row = world.session.scalar(select(MentorPeriodReport).where(MentorPeriodReport.mentor_id == volkov.id)
                               .execution_options(populate_existing=True))
    assert row.filed_on == date(2025, 5, 27) and row.body["comment"] == "Всё по плану"
    [entry_filed] = row.body["programs"]
    assert (entry_filed["program_id"], entry_filed["results"], entry_filed["mentee_progress"]) == (
        program.id, "Составлен план развития школы", "Освоила планирование")
    assert client.get(path).status_code == 409  # filed already: nothing to file twice
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/my").text)})

    world.session.expunge_all()
    world.advance_to(date(2025, 6, 11))  # Orlov's date passed: the curator is asked to act
    login(client, world.curator.login)
    monitoring = client.get(f"/monitoring?org={world.organization.id}")
    assert "Отчёты наставников за период" in monitoring.text and "Срок — 10.06.2025" in monitoring.text
    volkov_row = monitoring.text.split(f'data-mentor-report="{row.id}"')[1].split("</tr>")[0]
    assert "представлен" in volkov_row and "27.05.2025" in volkov_row and "не представлен" not in volkov_row
    orlov_row = monitoring.text.split('data-state="overdue"')[1].split("</tr>")[0]
    assert "Орлов Пётр Ильич" in orlov_row and "не представлен в срок" in orlov_row and "11.06.2025" in orlov_row
    overdue = world.task(world.curator, FormId.MENTOR_REPORT_OVERDUE)
    step = client.get(f"/tasks/{overdue.instance_id}/{overdue.task_id}")
    assert step.status_code == 200
    done = client.post(f"/tasks/{overdue.instance_id}/{overdue.task_id}",
                       data={"csrf_token": csrf_token(step.text), "version": "", "comment": "Позвонили наставнику"})
    assert done.status_code == 302


@SQLITE
def test_another_mentor_cannot_open_the_report(client, tomsk):
    world, volkov, orlov, program = tomsk
    task = world.task(volkov, FormId.MENTOR_PERIOD_REPORT)
    path = f"/my/reports/{task.instance_id}/{task.task_id}"
    login(client, orlov.login)
    assert client.get(path).status_code == 403
    page = client.get(f"/my/reports/{world.task(orlov, FormId.MENTOR_PERIOD_REPORT).instance_id}/"
                      f"{world.task(orlov, FormId.MENTOR_PERIOD_REPORT).task_id}")
    assert page.status_code == 200 and "За период у вас нет программ наставничества" in page.text
    assert client.post(path, data={"csrf_token": csrf_token(page.text), "programs-0-program_id": str(program.id),
                                   "programs-0-results": "чужой отчёт"}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    login(client, world.curator.login)
    assert client.get(path).status_code == 403  # the curator is no mentor
