"""``/healthz`` (issue 13, item 6): for a load balancer — no login, no cookie, JSON; 200 while the database answers,
its migrations are current, a worker was seen lately and the broker (when configured) answers; 503 otherwise.
Waiting jobs and open incidents are reported and never make it 503."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from engine.db.migrate import head_revision
from engine.db.models import WorkerHeartbeat
from engine.db.types import utcnow
from engine.services.jobs.queue import enqueue
from tests.web.incidents_support import make_incident

REDIS = "redis://127.0.0.1:6379/7"  # this helper's database of the development Redis
CLOSED = "redis://127.0.0.1:1/7"  # nothing listens on port 1


def _stamp(session, revision: str | None) -> None:
    session.execute(text("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
    session.execute(text("DELETE FROM alembic_version"))
    if revision is not None:
        session.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision})
    session.commit()


def _beat(session, seconds_ago: float) -> None:
    session.merge(WorkerHeartbeat(name="host:1", mode="celery", seen_at=utcnow() - timedelta(seconds=seconds_ago)))
    session.commit()


@pytest.fixture
def healthy(db_session):
    _stamp(db_session, head_revision())
    _beat(db_session, 2)
    return db_session


def test_a_fresh_heartbeat_on_current_migrations_is_200_with_no_cookie(client, healthy):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.is_json
    assert "Set-Cookie" not in response.headers and response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["database"] == {"ok": True}
    assert checks["migrations"] == {"ok": True, "current": head_revision(), "head": head_revision()}
    assert checks["worker"]["ok"] and 0 <= checks["worker"]["last_seen_seconds_ago"] < 30
    assert checks["worker"]["stale_after_seconds"] == 60  # 3 × 5 s is less than the minute
    assert checks["broker"] == {"configured": False}
    assert checks["jobs"] == {"waiting_due": 0, "oldest_due_seconds": None}
    assert checks["incidents"] == {"open": 0}


def test_waiting_jobs_and_incidents_are_reported_but_keep_it_200(client, healthy, seed):
    enqueue(healthy, "whatever", "health:late", run_after=utcnow() - timedelta(minutes=5))
    enqueue(healthy, "whatever", "health:later", run_after=utcnow() + timedelta(hours=1))  # not due: not counted
    healthy.commit()
    make_incident(healthy, seed.org.id, "health:incident")
    response = client.get("/healthz")
    assert response.status_code == 200
    checks = response.get_json()["checks"]
    assert checks["jobs"]["waiting_due"] == 1 and checks["jobs"]["oldest_due_seconds"] >= 300
    assert checks["incidents"] == {"open": 1}


def test_a_stale_or_missing_heartbeat_is_503(client, healthy, monkeypatch):
    _beat(healthy, 61)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] == "fail"
    assert response.get_json()["checks"]["worker"]["ok"] is False
    monkeypatch.setenv("NASTAVNIK_TICK_SECONDS", "30")  # three ticks of 30 s: 61 s is not stale yet
    assert client.get("/healthz").status_code == 200
    healthy.query(WorkerHeartbeat).delete()
    healthy.commit()
    worker = client.get("/healthz").get_json()["checks"]["worker"]
    assert worker["ok"] is False and worker["last_seen_seconds_ago"] is None


def test_migrations_behind_the_code_are_503(client, healthy):
    _stamp(healthy, "0014_an_older_revision")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["migrations"] == {"ok": False, "current": "0014_an_older_revision",
                                                           "head": head_revision()}
    _stamp(healthy, None)  # a database never migrated
    assert client.get("/healthz").status_code == 503


@pytest.mark.parametrize("app_config", [{"BROKER_URL": REDIS}])
def test_a_reachable_broker_is_200(client, healthy):
    response = client.get("/healthz")
    assert response.get_json()["checks"]["broker"] == {"ok": True, "configured": True}, \
        f"Redis must run at {REDIS} for this test"
    assert response.status_code == 200


@pytest.mark.parametrize("app_config", [{"BROKER_URL": CLOSED}])
def test_an_unreachable_broker_is_503(client, healthy):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["broker"] == {"ok": False, "configured": True}
