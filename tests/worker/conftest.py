"""Real Celery workers for tests/worker: a Redis database of these tests (db 5, flushed), and worker processes on
the test's PostgreSQL schema (``db_url`` restricted to postgres). Redis missing FAILS the tests, it never skips."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import timer_world

BROKER = os.environ.get("NASTAVNIK_TEST_BROKER_URL") or "redis://127.0.0.1:6379/5"


@pytest.fixture
def broker() -> str:
    try:
        timer_world.flush_broker(BROKER)
    except Exception as error:  # noqa: BLE001 - any failure means "no Redis"
        pytest.fail(f"Redis at {BROKER} is unreachable ({type(error).__name__}: {error}); the worker's tests need "
                    f"it (NASTAVNIK_TEST_BROKER_URL points elsewhere)", pytrace=False)
    return BROKER


class Processes:
    """The ``nastavnik`` processes a test starts; all stopped (their process groups) at its end."""

    def __init__(self, url: str, broker: str, logs: Path) -> None:
        self.url, self.broker, self.logs, self.started = url, broker, logs, []

    def start(self, name: str, *arguments: str, module: str | None = None, **env: str):
        command = [sys.executable, "-m", module, *arguments] if module else timer_world.command(*arguments)
        process = timer_world.start(command, self.url, self.broker, self.logs / f"{name}.log", **env)
        self.started.append(process)
        return process

    def output(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}"
                         for log in sorted(self.logs.glob("*.log")))


@pytest.fixture
def processes(db_url, broker, tmp_path) -> Iterator[Processes]:
    running = Processes(db_url, broker, tmp_path)
    try:
        yield running
    finally:
        for process in running.started:
            timer_world.stop(process)
