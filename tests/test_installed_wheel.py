"""The administrator's installation: the built wheel, installed outside the checkout, migrates, runs the demo,
serves, and a curator logs in — with no file of the checkout used (issue 17, «Done means»).

How it stays offline and fast: the wheel is built (``pip wheel --no-deps``, with setuptools from the configured
index or cache) from a copy of the tracked files plus ``web/static/vendor`` — what a release build sees, nothing
left over in the checkout. It is installed with ``--no-deps`` into a fresh virtual environment in a temporary
folder; the pinned dependencies come from the project's own ``.venv`` through a ``.pth`` line naming its
site-packages (a plain path: that folder's own ``.pth`` files — among them the editable install of the checkout —
are not processed, so ``engine``, ``web``, ``cli`` can only be the wheel's). Installing every pinned dependency
anew would need the network and a C compiler (durable_rules) and minutes; ``scripts/wheelhouse.sh`` does that for
real offline machines. ``PYTHONPATH`` is removed, and every command runs in an empty temporary folder.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "web" / "static" / "vendor"
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
ADDRESS = re.compile(r"работает: (http://127\.0\.0\.1:\d+/)")

pytestmark = pytest.mark.slow  # about a minute (the demo): scheduled among the first files


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command}: {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _release_copy(target: Path, *, bundles: bool = True) -> Path:
    """The tracked files and the front-end bundles (what a release build has), nothing else of the checkout."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    if bundles:
        shutil.copytree(VENDOR, target / "web" / "static" / "vendor", symlinks=False)
    return target


def _fresh_environment(folder: Path) -> Path:
    """A virtual environment of the project's interpreter that sees the pinned dependencies, not the checkout."""
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _clean_env(instance: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("NASTAVNIK_", "PYTHON")) and key != "DATABASE_URL"}
    env.update(NASTAVNIK_INSTANCE_DIR=str(instance), NASTAVNIK_EMBEDDED_JOBS="0")
    return env


def _login(base_url: str) -> requests.Response:
    http = requests.Session()
    page = http.get(f"{base_url}login", timeout=30)
    token = CSRF.search(page.text)
    assert token, page.text[:500]
    answer = http.post(f"{base_url}login", data={"login": "curator", "password": "nastavnik",
                                                  "csrf_token": token.group(1)}, timeout=60)
    inbox = http.get(f"{base_url}inbox", timeout=60)
    assert answer.status_code == 200 and inbox.status_code == 200, (answer.status_code, inbox.status_code)
    assert "/login" not in inbox.url
    bundle = http.get(f"{base_url}static/vendor/modeler/modeler.bundle.js", timeout=30)
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    return inbox


@pytest.mark.skipif(not VENDOR.joinpath("modeler", "modeler.bundle.js").is_file(),
                    reason="web/static/vendor is not built (bash scripts/setup.sh)")
def test_the_wheel_installed_outside_the_checkout_migrates_runs_the_demo_and_serves(tmp_path):
    source = _release_copy(tmp_path / "release")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), "."],
         cwd=source, env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")})
    wheel = next((tmp_path / "dist").glob("nastavnik-*.whl"))
    python = _fresh_environment(tmp_path / "venv")
    work = tmp_path / "work"
    work.mkdir()
    env = _clean_env(work / "data")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet",
          str(wheel)], cwd=work, env=env)
    nastavnik = str(tmp_path / "venv" / "bin" / "nastavnik")

    where = _run([str(python), "-c", "import cli, engine, web; from engine import resources; "
                  "print(engine.__file__, web.__file__, cli.__file__, resources.DATA_ROOT, resources.installed())"],
                 cwd=work, env=env).split()
    assert where[-1] == "True"
    for path in where[:-1]:
        assert not Path(path).resolve().is_relative_to(ROOT), f"{path} is a file of the checkout"
        assert Path(path).resolve().is_relative_to(tmp_path / "venv")

    assert re.fullmatch(r"«Наставник» \d+\.\d+\.\d+\S*\n", _run([nastavnik, "--version"], cwd=work, env=env))
    assert "ошибок в настройках нет" in _run([nastavnik, "config", "check"], cwd=work, env=env)
    assert "база данных обновлена" in _run([nastavnik, "db", "upgrade"], cwd=work, env=env)
    assert "curator" in _run([nastavnik, "demo", "--quiet"], cwd=work, env=env, timeout=600)
    assert (work / "data" / "nastavnik.sqlite3").is_file()  # the data folder, not the checkout's instance/

    server = subprocess.Popen([nastavnik, "serve", "--port", "0", "--workers", "1"], cwd=work, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        seen = ""
        deadline = time.monotonic() + 120
        while (found := ADDRESS.search(seen)) is None:
            assert time.monotonic() < deadline and server.poll() is None, seen
            seen += server.stdout.readline()
        inbox = _login(found.group(1))
        assert "Входящие" in inbox.text or "Задачи" in inbox.text
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_the_wheel_is_not_built_without_the_front_end_bundles(tmp_path):
    source = _release_copy(tmp_path / "release", bundles=False)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path / "dist"), "."],
                           cwd=source, capture_output=True, text=True, timeout=300,
                           env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")})
    assert built.returncode != 0
    assert "the front-end bundles are missing in web/static/vendor/" in built.stdout + built.stderr
    assert "bash scripts/setup.sh" in built.stdout + built.stderr
    assert not list(tmp_path.glob("dist/*.whl"))
