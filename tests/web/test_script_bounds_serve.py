"""Eight CPU-bound and eight memory-bound scripts, started through the API of the real server (``nastavnik
serve`` on waitress), stop at their bounds with a Russian error and an incident each, while ``/login`` keeps
answering within a second (issue 11, finding 2: the audit's squaring loop pinned every thread)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from sqlalchemy import func, select

from engine.db.models import ScriptIncident
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances
from tests.cli.test_serve import ROOT, _free_port
from tests.engine.services.conftest import START_DATA, make_world, plan_bytes

RECORD = b"rounds = rounds + 1\nscore = 100 / divisor"
BOMBS = (b"rounds = rounds + 1\nn = 100000\nif divisor == 1:\n    a = 3\n    for i in range(n):\n        b = a\n"
         b"        a = a * b\nelse:\n    s = 'x' * n * n")  # past the static check: the runtime bounds stop them


def _serve(db_url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": db_url, "NASTAVNIK_SECRET_KEY": "bounds-test"}
    process = subprocess.Popen([sys.executable, "-c", "import sys; from cli import main; sys.exit(main())",
                                "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=30).read()
            return process
        except OSError:  # not listening yet, or the worker processes still building their app
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve did not answer: {process.communicate(timeout=5)[1]}")
            time.sleep(0.2)


def _approve(port: int, token: str, instance_id: int, task_id: str, replies: list) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/tasks/{instance_id}/{task_id}/complete", method="POST",
        data=json.dumps({"data": {"approved": True}}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            replies.append((response.status, response.read().decode()))
    except urllib.error.HTTPError as error:
        replies.append((error.code, error.read().decode()))


@pytest.mark.slow
@pytest.mark.parametrize("db_backend", ["sqlite"])  # PostgreSQL passes too; one backend keeps the suite shorter
def test_login_answers_within_a_second_while_sixteen_scripts_run_into_their_bounds(db_url, db_session):
    world = make_world(db_session)
    definitions.deploy(db_session, world.methodologist, plan_bytes().replace(RECORD, BOMBS), "plan_review.bpmn")
    db_session.commit()
    waiting = []
    for n in range(16):
        instance = instances.start_instance(db_session, SYSTEM, "plan_review", "program", world.org_id, {},
                                            {**START_DATA, "divisor": 1 if n < 8 else 2})
        instances.complete_task(db_session, world.mentor, instance.id, instance.open_tasks[0].task_id, {"plan": "п"})
        db_session.commit()
        waiting.append((instance.id, instance.open_tasks[0].task_id))
    token = api_tokens.issue(db_session, SYSTEM, world.curator.person_id, "проверка", None).token
    db_session.commit()

    port = _free_port()
    process = _serve(db_url, port)
    try:
        replies: list = []
        bombs = [threading.Thread(target=_approve, args=(port, token, i, t, replies)) for i, t in waiting]
        for thread in bombs:
            thread.start()
        latencies: list = []
        begun = time.monotonic()
        while any(thread.is_alive() for thread in bombs):
            started = time.monotonic()
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10).read()
            latencies.append((round(started - begun, 2), round(time.monotonic() - started, 3)))
            time.sleep(0.2)
        for thread in bombs:
            thread.join()
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert len(latencies) >= 10
    assert max(took for _, took in latencies) < 1.0, latencies
    stopped = [json.dumps(json.loads(body), ensure_ascii=False) for status, body in replies if status == 422]
    busy = [body for status, body in replies if status == 503]
    assert len(stopped) + len(busy) == 16 and len(stopped) >= 8
    assert all("сценарий «Учесть решение» (элемент record) превысил предел" in body for body in stopped), stopped
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(ScriptIncident)) == len(stopped)
