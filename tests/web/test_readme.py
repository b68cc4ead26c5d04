"""A new user follows the README on a fresh clone: the first command of its first code block sets
everything up, runs the demo and serves the app on 127.0.0.1:5000; a browser logs in as the curator
and reaches the inbox with the demo's waiting stage report.

The clone is made from this repository's HEAD (CI's clean checkout is exactly that; locally, commit first).
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORT = 5000


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block, "README.md starts with a bash block holding the two commands"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.split("#", 1)[0].strip()]


def test_readme_names_exactly_two_commands_and_ci_runs_the_second():
    run, test = readme_commands()
    assert run == "bash scripts/run.sh" and test == "bash scripts/test.sh"
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_for_port(process: subprocess.Popen, log: Path, seconds: float) -> None:
    """Until our server listens: run.sh prints its banner after the demo, right before serving."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if "Веб-интерфейс: http://127.0.0.1:5000" in log.read_text(errors="replace") and _port_open(PORT):
            return
        if process.poll() is not None:
            pytest.fail(f"the run command ended with {process.returncode}:\n{log.read_text()[-3000:]}")
        time.sleep(1)
    pytest.fail(f"nothing listens on 127.0.0.1:{PORT} after {seconds:.0f} s:\n{log.read_text()[-3000:]}")


def test_fresh_clone_run_command_reaches_a_logged_in_inbox(tmp_path, browser):
    if _port_open(PORT):
        pytest.fail(f"127.0.0.1:{PORT} is busy: the README's run command serves there; stop what runs on it")
    clone = tmp_path / "nastavnik"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    log = tmp_path / "run.log"
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "VIRTUAL_ENV")}
    with log.open("wb") as out:
        process = subprocess.Popen(readme_commands()[0], shell=True, cwd=clone, stdout=out,
                                   stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        _wait_for_port(process, log, seconds=600)
        printed = log.read_text()
        assert "curator" in printed and "nastavnik" in printed, "the demo logins are printed"
        context = browser.new_context(locale="ru-RU")
        page = context.new_page()
        try:
            page.goto(f"http://127.0.0.1:{PORT}/")
            page.get_by_label("Логин").fill("curator")
            page.get_by_label("Пароль").fill("nastavnik")
            page.get_by_role("button", name="Войти").click()
            page.wait_for_url("**/inbox**")
            assert page.get_by_role("heading", name="Входящие").is_visible()
            assert page.get_by_text("Рассмотреть отчёт по этапу").first.is_visible()
        finally:
            context.close()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
