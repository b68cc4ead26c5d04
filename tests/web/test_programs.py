"""The program page and its diagram endpoint on a copy of the demo database (test client)."""
from __future__ import annotations

import re
import shutil

import pytest
from sqlalchemy import func, select

from engine.db.models import AccessLogEntry, MentoringGroup, Person, Program, RoadmapEventComment
from engine.demo.world import DEMO_PASSWORD, IN_PROGRESS_PAIR
from tests.statements import counted_statements
from tests.web.conftest import login, make_test_app
from web.db import database


@pytest.fixture
def demo_app(demo_database, tmp_path):
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_database, copy)
    app = make_test_app(f"sqlite:///{copy.as_posix()}")
    yield app
    database(app).dispose()


def _session(app):
    return database(app).session_factory()


def program_of(app, mentor: str, mentee: str) -> int:
    with _session(app) as s:
        mentor_id = s.scalar(select(Person.id).where(Person.login == mentor))
        mentee_id = s.scalar(select(Person.id).where(Person.login == mentee))
        for program in s.scalars(select(Program).join(MentoringGroup).where(MentoringGroup.mentor_id == mentor_id)):
            if mentee_id in [m.person_id for m in program.group.members]:
                return program.id
    raise AssertionError("no such program")


def client_as(app, login_name: str):
    client = app.test_client()
    response = login(client, login_name, DEMO_PASSWORD)
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("who", ["curator", "head", "methodologist", "volkov", "orlova"])
def test_staff_and_participants_see_the_program(demo_app, who):
    program_id = program_of(demo_app, *IN_PROGRESS_PAIR)
    html = client_as(demo_app, who).get(f"/programs/{program_id}").text
    assert f"Программа наставничества № {program_id}" in html
    assert "Волков Игорь Николаевич" in html and "Орлова Ирина Сергеевна" in html
    assert "003 прил. 1" in html and "«руководитель – руководитель»" in html
    assert "Диагностика затруднений в деятельности вновь назначенных руководителей ОУ." in html
    assert f'data-bpmn-json="/programs/{program_id}/diagram"' in html
    assert "Рассмотреть отчёт по этапу" in html  # the current task
    assert "на проверке" in html  # the stage report
    assert "Может быть назначен наставником" in html and "003 §3.5" in html  # the decision, with clauses
    assert "Представлен отчёт по этапу «1 ЭТАП. ОРГАНИЗАЦИОННЫЙ» (попытка 1)" in html  # history in words
    order_link = re.search(r'href="/orders/(\d+)"', html)
    assert (order_link is not None) == (who in ("curator", "head", "methodologist"))


def test_the_page_is_csp_clean_and_logs_the_access(demo_app):
    program_id = program_of(demo_app, *IN_PROGRESS_PAIR)
    client = client_as(demo_app, "curator")
    with _session(demo_app) as s:
        before = s.scalar(select(func.count()).select_from(AccessLogEntry))
    html = client.get(f"/programs/{program_id}").text
    assert " style=" not in html and " onclick=" not in html
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    with _session(demo_app) as s:
        assert s.scalar(select(func.count()).select_from(AccessLogEntry)) == before + 2  # mentor and mentee


def test_the_diagram_endpoint(demo_app):
    program_id = program_of(demo_app, *IN_PROGRESS_PAIR)
    data = client_as(demo_app, "orlova").get(f"/programs/{program_id}/diagram").get_json()
    assert set(data) >= {"xml", "completed", "active", "overdue"}
    assert "Task_review_stage_report" in data["active"] and "Task_stage_work" in data["completed"]
    assert 'id="Task_review_stage_report"' in data["xml"]
    assert set(data["overdue"]) <= set(data["active"])


@pytest.mark.parametrize("who", ["novikova", "morozova", "kozlov"])
def test_others_get_403(demo_app, who):
    program_id = program_of(demo_app, *IN_PROGRESS_PAIR)
    client = client_as(demo_app, who)
    assert client.get(f"/programs/{program_id}").status_code == 403
    assert client.get(f"/programs/{program_id}/diagram").status_code == 403


def test_unknown_and_anonymous(demo_app):
    client = client_as(demo_app, "curator")
    assert client.get("/programs/999999").status_code == 404
    assert client.get("/programs/999999/diagram").status_code == 404
    anonymous = demo_app.test_client()
    assert anonymous.get("/programs/1").status_code == 302
    assert anonymous.get("/programs/1/diagram").status_code == 302


def test_a_completed_program_in_english(demo_app):
    program_id = program_of(demo_app, "sokolova", "pavlov")
    client = client_as(demo_app, "curator")
    html = client.get(f"/programs/{program_id}?lang=en").text
    assert "Roadmap" in html and "Ground of completion" in html and "completed early" in html
    assert "003 §7.1 (2)" in html


def test_a_stage_moved_by_an_extension_shows_its_planned_and_its_moved_due_date(demo_app):
    """003 §7.2: after the extension order the roadmap says when the stage was due and until when it is moved,
    not a moved date as if it were the stage's own term."""
    from datetime import date

    from engine.services.mentorship import programs

    program_id = program_of(demo_app, "morozova", "fedorov")  # the demo's extended program
    with _session(demo_app) as s:
        program = s.get(Program, program_id)
        planned = {stage["id"]: date.fromisoformat(stage["due_at"])
                   for stage in programs.schedule(program.roadmap_id, program.started_on)}
        moved = {e.stage_id: e.due_on for e in program.events if e.due_on != planned[e.stage_id]}
    assert moved  # the extension moved the stage it was signed in and the later ones
    html = " ".join(client_as(demo_app, "curator").get(f"/programs/{program_id}").text.split())
    for stage_id, due in moved.items():
        assert (f"до {planned[stage_id]:%d.%m.%Y}; перенесён до {due:%d.%m.%Y} приказом о продлении") in html
    assert html.count("перенесён до") == len(moved)


def test_the_page_reads_its_events_and_their_comments_together(demo_app):
    """Issue 14: the program page reads all its events' comments in one statement (it had read each event's
    comments apart: 22 statements for 22 events)."""
    program_id = program_of(demo_app, *IN_PROGRESS_PAIR)
    client = client_as(demo_app, "curator")
    with _session(demo_app) as s:
        program = s.get(Program, program_id)
        author = s.scalar(select(Person.id).where(Person.login == "volkov"))
        events = len(program.events)
        for event in program.events[:5]:
            s.add_all(RoadmapEventComment(event_id=event.id, author_id=author, body=f"Как прошло: {n}")
                      for n in range(3))
        s.commit()
    with counted_statements(database(demo_app).engine) as seen:
        html = client.get(f"/programs/{program_id}").text
    assert html.count("Как прошло: 2") == 5 and events > 10
    assert [bool(re.search(r"\bFROM roadmap_event_comments\b", sql)) for sql in seen.sql].count(True) == 1
