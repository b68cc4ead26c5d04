"""``nastavnik jobs run-due`` (one pass here, no broker), ``nastavnik worker`` and ``nastavnik beat`` (Celery; they
say in Russian that NASTAVNIK_BROKER_URL is missing or wrong)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cli import build_parser, main
from engine.bootstrap import bootstrap
from engine.db import make_engine
from tests.worker.test_embedded import reminders, start_reminder


@pytest.fixture
def upgraded(db_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    return db_url


def test_run_due_fires_what_is_due_once(upgraded, capsys):
    engine = make_engine(upgraded)
    try:
        with bootstrap().session_factory(engine)() as session:
            instance_id = start_reminder(session, datetime.now(UTC) + timedelta(hours=1))
            assert main(["jobs", "run-due"]) == 0
            assert "(из них таймеров процессов: 0)" in capsys.readouterr().out  # the day's periodic jobs ran
            later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
            assert main(["jobs", "run-due", "--now", later]) == 0
            assert "(из них таймеров процессов: 1)" in capsys.readouterr().out
            assert main(["jobs", "run-due", "--now", later]) == 0  # nothing twice
            assert "выполнено заданий: 0" in capsys.readouterr().out
            assert reminders(session, instance_id) == 1
    finally:
        engine.dispose()
    assert main(["jobs", "run-due", "--now", "завтра"]) == 2
    assert "--now: «завтра» — не момент времени ISO 8601" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["worker"], ["beat"], ["worker", "--beat", "--concurrency", "2"]])
def test_worker_and_beat_need_a_broker(command, monkeypatch, capsys):
    monkeypatch.delenv("NASTAVNIK_BROKER_URL", raising=False)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.startswith("nastavnik: брокер очереди не настроен: задайте NASTAVNIK_BROKER_URL") and \
        err.count("\n") == 1
    monkeypatch.setenv("NASTAVNIK_BROKER_URL", "amqp://guest@localhost//")
    assert main(command) == 2
    assert "NASTAVNIK_BROKER_URL: «amqp://guest@localhost//» — не адрес Redis" in capsys.readouterr().err


def test_worker_arguments(monkeypatch, capsys):
    args = build_parser().parse_args(["worker", "--concurrency", "3", "--beat"])
    assert (args.concurrency, args.beat) == (3, True)
    monkeypatch.setenv("NASTAVNIK_BROKER_URL", "redis://127.0.0.1:6379/5")
    assert main(["worker", "--concurrency", "0"]) == 2
    assert "--concurrency: число процессов — от 1 до 64" in capsys.readouterr().err
    monkeypatch.setenv("NASTAVNIK_TICK_SECONDS", "0")
    assert main(["beat"]) == 2
    assert "NASTAVNIK_TICK_SECONDS: 0 — слишком мало" in capsys.readouterr().err
    monkeypatch.delenv("NASTAVNIK_TICK_SECONDS")
    assert main(["worker", "--pool", "solo", "--concurrency", "2"]) == 2  # solo runs one job at a time
    assert "--pool solo выполняет задания по одному" in capsys.readouterr().err
    monkeypatch.setenv("NASTAVNIK_JOB_BATCH", "0")
    assert main(["worker"]) == 2
    assert "NASTAVNIK_JOB_BATCH: «0» — не число заданий от 1 до 500" in capsys.readouterr().err
