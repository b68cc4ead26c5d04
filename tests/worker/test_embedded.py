"""The no-broker mode: ``nastavnik serve`` alone (SQLite, no NASTAVNIK_BROKER_URL) fires a timer that comes due
while it runs (on gunicorn: in the server's one jobs process; on waitress: in a thread); the scheduler (worker.embedded) ticks, runs what is due once, survives a failing pass and
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
@pytest.mark.parametrize(("arguments", "where"), [([], "в отдельном процессе сервера"),
                                                  (["--threads", "8"], "в этом процессе")],
                         ids=["gunicorn", "waitress"])
def test_serve_alone_fires_a_timer_that_comes_due_while_it_runs(db_url, db_session, arguments, where):
    instance_id = start_reminder(db_session, datetime.now(UTC) + timedelta(seconds=4))
    env = {**os.environ, "DATABASE_URL": db_url, "NASTAVNIK_SECRET_KEY": "embedded-test",
           "NASTAVNIK_TICK_SECONDS": "0.5"}
    for name in ("NASTAVNIK_BROKER_URL", "NASTAVNIK_EMBEDDED_JOBS"):
        env.pop(name, None)
    server = subprocess.Popen([sys.executable, "-c", "import sys; from cli import main; sys.exit(main())",
                               "serve", "--port", str(_free_port()), *arguments],
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
    assert f"фоновые задания выполняются {where} (раз в 0.5 с; брокер не настроен)" in out, err


def test_a_pass_runs_the_rule_version_deployed_since_the_runtime_was_built(db_url, db_session):
    """The jobs run in a process of their own under gunicorn: a version a methodologist deployed through a web
    process is what the next pass decides by (the process's registry follows the database, not its start)."""
    from engine.regulations import rule_file_paths, shipped_rule_file
    from engine.rules import RuleRegistry, default_registry
    from engine.services.methodology import rule_deployment, rule_files
    from engine.services.people.actor import load_actor

    name = "mentor_eligibility_tomsk"
    runtime = Runtime.build(db_url)
    assert default_registry().get(name).version == "1"
    methodologist = f.make_person(db_session)
    f.make_role(db_session, methodologist, f.make_department(db_session), "methodologist")
    db_session.commit()
    actor = load_actor(db_session, methodologist.login)
    edited = shipped_rule_file(name).read_text(encoding="utf-8").replace('version: "1"', 'version: "2"')
    rule_files.save_version(db_session, actor, name, edited, "версия 2")
    rule_deployment.deploy(db_session, actor, name, 2, registry=RuleRegistry())  # «another process» deployed it
    db_session.commit()
    try:
        assert default_registry().get(name).version == "1"
        EmbeddedScheduler(runtime, interval=60).run_once()
        assert default_registry().get(name).version == "2"
    finally:
        for path in rule_file_paths():
            default_registry().install(path.read_bytes(), str(path))
