"""Shared by the mentor/mentee page tests: the app on a private copy of the demo database (volkov
mentors orlova in program in progress, its first stage report awaiting the curator) and engine-side
helpers that play the curator."""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from datetime import UTC

import pytest
from sqlalchemy import select

from engine.bootstrap import bootstrap
from engine.db import make_engine
from engine.db.models import OpenTask, Person, Program
from engine.demo.world import DEMO_PASSWORD
from engine.services.people.actor import load_actor
from engine.services.process import instances
from tests.web.conftest import csrf_token, make_test_app
from web.db import database

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03" + b"\x00" * 64


@contextmanager
def engine_session(url: str):
    engine = make_engine(url)
    session = bootstrap().session_factory(engine)()
    try:
        yield session
    finally:
        session.close()
        engine.dispose()


def copy_demo(demo_database, tmp_path) -> str:
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_database, copy)
    return f"sqlite:///{copy.as_posix()}"


def in_progress_program(session) -> Program:
    volkov = session.scalar(select(Person).where(Person.login == "volkov"))
    orlova = session.scalar(select(Person).where(Person.login == "orlova"))
    return next(p for p in session.scalars(select(Program).order_by(Program.id.desc()))
                if p.group.mentor_id == volkov.id and orlova.id in p.group.participant_ids())


def review_report(url: str, *, approved: bool, comment: str = "") -> int:
    """The curator approves or returns the in-progress program's stage report; returns the program id."""
    with engine_session(url) as session:
        program = in_progress_program(session)
        task = session.scalar(select(OpenTask).where(OpenTask.instance_id == program.workflow_instance_id,
                                                     OpenTask.form_id == "review_stage_report"))
        instances.complete_task(session, load_actor(session, "curator"), task.instance_id, task.task_id,
                                {"approved": approved, "comment": comment})
        session.commit()
        return program.id


def let_stage_run_late(url: str, program_id: int) -> None:
    """The demo's story ends before the work it leaves is due; move the program's open steps' due date
    into the past, as if the mentor had let the stage run late."""
    from datetime import datetime, timedelta

    with engine_session(url) as session:
        program = session.get(Program, program_id)
        for task in session.scalars(select(OpenTask).where(OpenTask.instance_id == program.workflow_instance_id)):
            task.due_at = datetime.now(UTC) - timedelta(days=3)
        session.commit()


def login_demo(client, login_name: str):
    page = client.get("/login")
    response = client.post("/login", data={"login": login_name, "password": DEMO_PASSWORD,
                                           "csrf_token": csrf_token(page.text)})
    assert response.status_code == 302, response.text[:500]
    return response


@pytest.fixture
def demo_url(demo_database, tmp_path) -> str:
    return copy_demo(demo_database, tmp_path)


@pytest.fixture
def demo_app(demo_url):
    app = make_test_app(demo_url)
    yield app
    database(app).dispose()


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()
