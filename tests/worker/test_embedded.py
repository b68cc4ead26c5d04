"""The no-broker mode: ``nastavnik serve`` alone (SQLite, no NASTAVNIK_BROKER_URL) fires a timer that comes due
while it runs; the scheduler thread (worker.embedded) ticks, runs what is due once, survives a failing pass and
stops cleanly."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, Job, JobStatus, OpenTask
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances
from tests import factories as f
from worker import settings
from worker.embedded import EmbeddedScheduler
from worker.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]
DIAGRAM = Path(__file__).parent / "fixtures" / "reminder.bpmn"
SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def start_reminder(session, due_at: datetime) -> int:
    """An instance of the small «reminder» process whose timer comes due at ``due_at`` (committed)."""
    org = f.make_department(session)
    definitions.deploy(session, SYSTEM, DIAGRAM.read_bytes(), DIAGRAM.name)
    instance = instances.start_instance(session, SYSTEM, "reminder", "program", org.id, {},
                                        {"remind_at": due_at.isoformat()})
    session.commit()
    return instance.id


def reminders(session, instance_id: int) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(OpenTask).where(OpenTask.instance_id == instance_id,
                                                                          OpenTask.element_id == "acknowledge"))


def test_the_thread_fires_a_timer_when_it_comes_due_and_once(db_url, db_session):
    runtime = Runtime.build(db_url)
    instance_id = start_reminder(db_session, datetime.now(UTC) + timedelta(seconds=2))
    scheduler = EmbeddedScheduler(runtime, interval=0.2).start()
    try:
        assert reminders(db_session, instance_id) == 0  # not due yet
        deadline = time.monotonic() + 20
        while reminders(db_session, instance_id) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert reminders(db_session, instance_id) == 1
        passes = scheduler.passes
        while scheduler.passes < passes + 3:  # later passes find nothing more to do
            time.sleep(0.05)
    finally:
        scheduler.stop()
        runtime.dispose()
    assert not scheduler.running
    assert set(scheduler.outcomes) == {"done"}  # the timer's job (and the day's periodic ones)
    assert db_session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "workflow.timers_fired")) == 1
    assert db_session.scalars(select(Job.status).where(Job.kind == "fire_timers")).all() == [JobStatus.DONE.value]


@SQLITE
def test_a_failing_pass_is_logged_and_the_thread_goes_on(db_url, db_engine, caplog):
    runtime = Runtime.build(db_url)
    calls = []

    def tick(**_):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("база недоступна")
        return []

    runtime.tick = tick  # type: ignore[method-assign]
    scheduler = EmbeddedScheduler(runtime, interval=0.05).start()
    try:
        while len(calls) < 3:
            time.sleep(0.02)
        assert scheduler.running
    finally:
        scheduler.stop()
        runtime.dispose()
    assert not scheduler.running
    assert "background jobs pass failed" in caplog.text


def test_which_mode_runs_the_jobs(monkeypatch):
    monkeypatch.delenv("NASTAVNIK_BROKER_URL", raising=False)
    monkeypatch.delenv("NASTAVNIK_EMBEDDED_JOBS", raising=False)
    assert settings.embedded_jobs_enabled()
    monkeypatch.setenv("NASTAVNIK_EMBEDDED_JOBS", "0")
    assert not settings.embedded_jobs_enabled()
    monkeypatch.delenv("NASTAVNIK_EMBEDDED_JOBS")
    monkeypatch.setenv("NASTAVNIK_BROKER_URL", "redis://127.0.0.1:6379/5")
    assert not settings.embedded_jobs_enabled()  # the workers run them
    monkeypatch.setenv("NASTAVNIK_TICK_SECONDS", "раз в минуту")
    with pytest.raises(Exception, match="NASTAVNIK_TICK_SECONDS: «раз в минуту» — не число секунд"):
        settings.tick_seconds()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@SQLITE
def test_serve_alone_fires_a_timer_that_comes_due_while_it_runs(db_url, db_session):
    instance_id = start_reminder(db_session, datetime.now(UTC) + timedelta(seconds=4))
    env = {**os.environ, "DATABASE_URL": db_url, "NASTAVNIK_SECRET_KEY": "embedded-test",
           "NASTAVNIK_TICK_SECONDS": "0.5"}
    for name in ("NASTAVNIK_BROKER_URL", "NASTAVNIK_EMBEDDED_JOBS"):
        env.pop(name, None)
    server = subprocess.Popen([sys.executable, "-c", "import sys; from cli import main; sys.exit(main())",
                               "serve", "--port", str(_free_port())],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 40
        while reminders(db_session, instance_id) == 0:
            if server.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert reminders(db_session, instance_id) == 1
    finally:
        server.terminate()
        out, err = server.communicate(timeout=20)
    assert "фоновые задания выполняются в этом процессе (раз в 0.5 с; брокер не настроен)" in out, err
