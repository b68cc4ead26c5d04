"""An API world on a fresh database (sqlite and postgres): the demo's department and people, built
through the engine services on today's clock — volkov appointed mentor, orlova and novikova in the
mentee registry, the pair volkov–orlova with both consents, so the head has a pair-formation order
waiting for signature — plus another organization, and a bearer token for each person."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from engine.db.models import Order, Organization, Person
from engine.demo import world as demo_data
from engine.demo.story import Demo
from engine.services.mentorship import formation as mentorship
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests import factories as f
from tests.web.conftest import make_test_app, password_hash
from web.db import database

LOGINS = ("head", "curator", "methodologist", "volkov", "orlova", "novikova", "other_curator", "other_head",
          "other_methodologist", "nobody", "admin")


@dataclass
class ApiWorld:
    client: object
    app: object
    session_factory: object
    org_id: int
    other_org_id: int
    ids: dict[str, int]  # login -> person id
    tokens: dict[str, str]  # login -> bearer token
    pair_instance_id: int
    order_id: int
    extra: dict = field(default_factory=dict)

    def headers(self, login: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[login]}"} if login else {}

    def call(self, method: str, path: str, login: str | None = None, **kwargs):
        headers = {**self.headers(login), **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, login: str | None = None, **kwargs):
        return self.call("GET", path, login, **kwargs)

    def post(self, path: str, login: str | None = None, **kwargs):
        return self.call("POST", path, login, **kwargs)

    def sign_pair_order(self) -> int:
        """The head signs the pair-formation order through the API; returns the new program's id."""
        response = self.post(f"/api/v1/orders/{self.order_id}/sign", "head")
        assert response.status_code == 200, response.get_json()
        programs = self.get("/api/v1/programs", "curator").get_json()
        assert len(programs) == 1
        return programs[0]["id"]

    def task(self, login: str, form: str) -> dict:
        tasks = [t for t in self.get("/api/v1/tasks", login).get_json() if t["form_id"] == form]
        assert len(tasks) == 1, tasks
        return tasks[0]


def build_world(session) -> dict:
    demo = Demo(session, say=lambda line: None, start=datetime.now(UTC) - timedelta(days=2))
    demo.appoint("volkov")
    demo.register("orlova")
    demo.register("novikova")
    instance = mentorship.propose_pair(session, demo.actor("curator"), demo.department_id, demo.person_id("volkov"),
                                       [demo.person_id("orlova")], clock=demo.clock)
    session.commit()
    demo.complete("volkov", "give_consent", {"consent": True}, instance.id)
    demo.complete("orlova", "give_consent", {"consent": True}, instance.id)
    order = session.scalar(select(Order).where(Order.workflow_instance_id == instance.id))
    other = f.make_department(session, name="Управление образования г. Якутска", short_name="УО Якутска",
                              regulation="yakutsk")
    for login, role in [("other_curator", "curator"), ("other_head", "head"),
                        ("other_methodologist", "methodologist")]:
        f.make_role(session, f.make_person(session, login=login, full_name=f"Чужой {role}"), other, role)
    f.make_person(session, login="nobody", full_name="Без Ролей")
    demo.world.people["curator"].password_hash = password_hash()  # the browser login (tests.web.conftest.PASSWORD)
    session.commit()
    ids = {login: session.scalar(select(Person.id).where(Person.login == login)) for login in LOGINS}
    tokens = {login: api_tokens.issue(session, SYSTEM, person_id, "тест", timedelta(days=1)).token
              for login, person_id in ids.items()}
    session.commit()
    return {"org_id": demo.department_id, "other_org_id": other.id, "ids": ids, "tokens": tokens,
            "pair_instance_id": instance.id, "order_id": order.id}


@pytest.fixture
def api_world(db_url, db_engine, db_session_factory, monkeypatch, demo_worlds) -> ApiWorld:
    # argon2 is slow on purpose; the API never reads passwords
    monkeypatch.setattr(demo_data, "set_password", lambda person, plain: None)
    built = demo_worlds.copy("api", build_world, db_url, db_engine)  # built once per backend, then copied
    with db_session_factory() as session:
        assert session.get(Organization, built["org_id"]) is not None
    app = make_test_app(db_url)
    try:
        yield ApiWorld(app.test_client(), app, db_session_factory, **built)
    finally:
        database(app).dispose()
