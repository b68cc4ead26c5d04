"""``nastavnik serve`` on gunicorn with two worker processes, for real (a subprocess on the test's database): a
session made by one process is valid in the other (one secret key per server), the background jobs run in exactly
one process of the server, and a rule file version a methodologist deploys through one process is what the other
one decides by on its next request (it checks the deployed versions per request)."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from engine.regulations import shipped_rule_file
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests import factories as f
from tests.cli.test_serve import ROOT, _free_port
from tests.web.conftest import PASSWORD, csrf_token
from web.auth import hash_password

NAME = "mentor_eligibility_tomsk"
EDITED = shipped_rule_file(NAME).read_text(encoding="utf-8").replace('version: "1"', 'version: "2"')
PID_HEADER = "X-Nastavnik-Worker"


class Browser:
    """One person's cookies over urllib: a new connection per request, so gunicorn hands requests to either
    process."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.pids: set[str] = set()

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text, pid = response.status, response.read().decode(), response.headers[PID_HEADER]
        except urllib.error.HTTPError as error:
            status, text, pid = error.code, error.read().decode(), error.headers[PID_HEADER]
        self.pids.add(pid)
        return status, text, pid


def _start(db_url: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "NASTAVNIK_SERVE_PID_HEADER": "1", "NASTAVNIK_TICK_SECONDS": "1"}
    for name in ("NASTAVNIK_SECRET_KEY", "NASTAVNIK_SESSION_COOKIE_SECURE", "NASTAVNIK_BROKER_URL",
                 "NASTAVNIK_EMBEDDED_JOBS"):
        env.pop(name, None)  # the server makes one key for its processes; the jobs run inside it
    process = subprocess.Popen([sys.executable, "-c", "import sys; from cli import main; sys.exit(main())",
                                "serve", "--port", str(port), "--workers", "2"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/login", timeout=30).read()
            return process, base
        except OSError:  # not listening yet (URLError), or a worker still starting
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"serve did not answer: {process.communicate(timeout=10)}")
            time.sleep(0.2)


def _descendants(pid: int) -> list[str]:
    """The command lines of every process under ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], list(children.get(pid, []))
    while stack:
        child = stack.pop()
        try:
            found.append((Path("/proc") / str(child) / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
        stack.extend(children.get(child, []))
    return found


def _until_both(browser: Browser, ask, *, seen_before: set[str] | None = None) -> list:
    """Ask again until two distinct processes answered (since now); every answer."""
    answers, pids, deadline = [], set(), time.monotonic() + 30
    while len(pids) < 2:
        assert time.monotonic() < deadline, f"only processes {pids} answered"
        answer = ask()
        answers.append(answer)
        pids.add(answer[2])
    return answers


def _running_version(browser: Browser, token: str) -> tuple[int, str, str]:
    status, text, pid = browser.request("/api/v1/rules", headers={"Authorization": f"Bearer {token}"})
    assert status == 200, text
    return status, {r["id"]: r["version"] for r in json.loads(text)}[NAME], pid


def test_two_worker_processes_share_sessions_jobs_once_and_follow_a_deployed_rule_version(db_url, db_session):
    department = f.make_department(db_session)
    methodologist = f.make_person(db_session, password_hash=hash_password(PASSWORD))
    f.make_role(db_session, methodologist, department, "methodologist")
    db_session.commit()
    token = api_tokens.issue(db_session, SYSTEM, methodologist.id, "проверка процессов", None).token
    db_session.commit()

    process, base = _start(db_url)
    try:
        under = _descendants(process.pid)
        assert sum("worker.embedded" in line for line in under) == 1, under  # the jobs: once per server
        browser = Browser(base)
        before = _until_both(browser, lambda: _running_version(browser, token))
        assert {version for _, version, _ in before} == {"1"}  # each process runs (and caches) the shipped file

        status, html, _ = browser.request("/login")
        status, _, _ = browser.request("/login", {"login": methodologist.login, "password": PASSWORD,
                                                  "csrf_token": csrf_token(html)})
        assert status == 200  # the redirect after login was followed
        page = f"/methodology/rules/{NAME}"
        pages = _until_both(browser, lambda: browser.request(page))
        assert all(status == 200 and "Сохранить" in html for status, html, _ in pages)  # logged in in both

        status, html, _ = browser.request(page)
        status, html, _ = browser.request(page, {"content": EDITED, "comment": "версия 2", "base_version": "1",
                                                 "csrf_token": csrf_token(html)})
        assert status == 200 and "Сохранена версия 2" in html, html
        status, html, deployed_by = browser.request(f"{page}/versions/2/deploy", {"csrf_token": csrf_token(html)})
        assert status == 200 and "Версия 2 развёрнута" in html, html

        after = _until_both(browser, lambda: _running_version(browser, token))
        assert {version for _, version, _ in after} == {"2"}, after  # the other process too, on its next request
        assert len(browser.pids) == 2 and deployed_by in browser.pids
    finally:
        process.terminate()
        out, err = process.communicate(timeout=60)
    assert "gunicorn, 2 процесса по 32 потока" in out, (out, err)
    assert not re.search(r"Traceback|Error", err), err
