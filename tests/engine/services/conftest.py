"""Shared setup for the service tests: a department with its people, the plan_review diagram."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.db.models import Organization, Person
from engine.demo import world as demo_data
from engine.demo.story import DEMO_START, Demo
from engine.demo.world import DEMO_PASSWORD, DEPARTMENT, PEOPLE, SCHOOLS, DemoWorld
from engine.services.people.accounts import hash_password
from engine.services.people.actor import Actor, load_actor
from engine.services.process import definitions
from engine.workflow import FixedClock
from tests import factories as f

FIXTURES = Path(__file__).parent / "fixtures"
PLAN = FIXTURES / "plan_review.bpmn"
START = "2025-01-10T09:00:00+00:00"
START_DATA = {"started_on": "2025-01-10", "divisor": 1}


def plan_bytes() -> bytes:
    return PLAN.read_bytes()


def hooked_plan_bytes(hook: str = "approve_plan") -> bytes:
    """plan_review whose «approve_plan» task names the domain hook ``hook``."""
    form = b'<spiffworkflow:property name="form" value="approve_plan"/>'
    return plan_bytes().replace(form, form + b'\n          <spiffworkflow:property name="hook" value="'
                                + hook.encode() + b'"/>')


@dataclass
class World:
    org_id: int
    other_org_id: int
    mentor: Actor
    curator: Actor
    methodologist: Actor
    other_curator: Actor  # curator of another organization
    outsider: Actor  # a person without roles


def make_world(session) -> World:
    org, other = f.make_department(session), f.make_department(session)
    people = {}
    for key, organization, role in [("mentor", org, "mentor"), ("curator", org, "curator"),
                                    ("methodologist", org, "methodologist"), ("other_curator", other, "curator"),
                                    ("outsider", None, None)]:
        person = f.make_person(session)
        if role:
            f.make_role(session, person, organization, role)
        people[key] = person.login
    session.commit()
    return World(org.id, other.id, **{k: load_actor(session, v) for k, v in people.items()})


@pytest.fixture(autouse=True)
def _fresh_caches():
    definitions.clear_cache()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def world(db_session) -> World:
    return make_world(db_session)


# -- the demo world as a fixture (lifecycle and mentorship path tests) -------------------------------

@pytest.fixture(scope="session")
def _demo_hash() -> str:
    return hash_password(DEMO_PASSWORD)


class CopiedDemo(Demo):
    """The demo's driver over a copy of what ``Demo()`` leaves (the shipped workflows deployed, the
    department, its schools and people), on the demo's clock (the session carries the bootstrapped domain: tests/conftest.py)."""

    def __init__(self, session, *, say=print, start=DEMO_START) -> None:  # not Demo's: no deploy, no new people
        self.session = session
        self.say = say
        self.clock = FixedClock(start)
        by_name = {o.name: o for o in session.scalars(select(Organization))}
        people = {p.login: p for p in session.scalars(select(Person).where(Person.login.in_([p[0] for p in PEOPLE])))}
        self.world = DemoWorld(by_name[DEPARTMENT], {key: by_name[name] for key, name in SCHOOLS.items()},
                               {login: people[login] for login, *_ in PEOPLE})


def _new_demo(session) -> None:
    Demo(session, say=lambda line: None)


@pytest.fixture
def demo(db_url, db_engine, db_session, monkeypatch, _demo_hash, demo_worlds) -> Demo:
    # one argon2 hash for all demo people instead of thirteen (argon2 is slow on purpose; not tested here)
    monkeypatch.setattr(demo_data, "set_password", lambda person, plain: setattr(person, "password_hash", _demo_hash))
    demo_worlds.copy("demo", _new_demo, db_url, db_engine)  # Demo() once per backend, then copies
    return CopiedDemo(db_session, say=lambda line: None)
