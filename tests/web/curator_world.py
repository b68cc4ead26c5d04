"""A small demo world for the curator's web tests: the demo department and people (password
``nastavnik``), mentors appointed, mentees registered, one pair formed whose first stage report waits for
the curator — every step through the workflows on the demo's clock. Import the fixtures into a test
module: ``from tests.web.curator_world import curator_app, curator_client, world  # noqa: F401``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

import pytest
from sqlalchemy import select

from engine.db.models import OpenTask, Program, add_months
from engine.demo import world as demo_data
from engine.demo.story import Demo
from engine.demo.world import DEMO_PASSWORD
from engine.services.people.accounts import hash_password
from engine.services.process import definitions
from tests.web.conftest import csrf_token, make_test_app
from web.db import database


@lru_cache(maxsize=1)
def _demo_hash() -> str:
    return hash_password(DEMO_PASSWORD)


def world_start(now: datetime) -> datetime:
    """Three months before ``now`` (the 15th, 09:00 UTC): the first stage (one month) is overdue, the
    mentors' 24-month terms (003 §3.4) run well past today, whenever the suite runs."""
    first = add_months(date(now.year, now.month, 15), -3)
    return datetime(first.year, first.month, first.day, 9, tzinfo=UTC)


@dataclass
class CuratorWorld:
    started_on: date
    program_id: int
    instance_id: int
    review_task_id: str
    ids: dict[str, int]  # login -> person id
    schools: dict[str, int]  # demo school key -> organization id
    department_id: int


def build_world(session) -> CuratorWorld:
    start = world_start(datetime.now(UTC))
    demo = Demo(session, say=lambda line: None, start=start)
    for mentor in ("volkov", "morozova"):
        demo.appoint(mentor)
    for mentee in ("orlova", "fedorov"):
        demo.register(mentee)
    program = demo.form_pair("volkov", "orlova")
    events = [e.number for e in program.events if e.stage_id == program.current_stage_id]
    demo.complete("volkov", "stage_work", {"events_done": events,
                                           "report": "Информационная справка: диагностика проведена."},
                  program.workflow_instance_id)
    second = demo.form_pair("morozova", "fedorov")  # a second step for the curator: the inbox has pages
    demo.complete("morozova", "stage_work", {
        "events_done": [e.number for e in second.events if e.stage_id == second.current_stage_id],
        "report": "Информационная справка резервиста."}, second.workflow_instance_id)
    task = session.scalar(select(OpenTask).where(OpenTask.form_id == "review_stage_report",
                                                 OpenTask.instance_id == program.workflow_instance_id))
    world = CuratorWorld(start.date(), program.id, program.workflow_instance_id, task.task_id,
                         {login: person.id for login, person in demo.world.people.items()},
                         {key: school.id for key, school in demo.world.schools.items()}, demo.department_id)
    session.commit()
    return world


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def first_stage_due(world: CuratorWorld) -> date:
    return add_months(world.started_on, 1)


@pytest.fixture
def world(db_url, db_engine, demo_worlds, monkeypatch) -> CuratorWorld:
    monkeypatch.setattr(demo_data, "set_password", lambda person, plain: setattr(person, "password_hash", _demo_hash()))
    definitions.clear_cache()
    return demo_worlds.copy("curator", build_world, db_url, db_engine)  # built once per backend, then copied


@pytest.fixture
def curator_app(db_url, db_engine, world):
    app = make_test_app(db_url)
    yield app
    database(app).dispose()


def log_in(client, login: str):
    page = client.get("/login")
    return client.post("/login", data={"login": login, "password": DEMO_PASSWORD, "csrf_token": csrf_token(page.text)})


@pytest.fixture
def curator_client(curator_app):
    client = curator_app.test_client()
    log_in(client, "curator")
    return client


def program(session, program_id: int) -> Program:
    return session.get(Program, program_id)
