"""``nastavnik serve`` runs the app on gunicorn (Linux) or waitress (``--threads``, Windows); the command line
imports the web app directly. Several worker processes: ``test_serve_workers``."""
from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from cli import build_parser
from cli.serve import YOUNG_OBJECTS, default_workers, is_loopback, serve, settle_heap
from engine.errors import NastavnikError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_serve_arguments():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.workers, args.threads) == ("127.0.0.1", 5000, None, None)
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "8080", "--workers", "3"])
    assert (args.host, args.port, args.workers) == ("0.0.0.0", 8080, 3)
    assert build_parser().parse_args(["serve", "--threads", "8"]).threads == 8


@pytest.mark.parametrize("wrong", [["--workers", "0"], ["--threads", "много"]])
def test_serve_refuses_a_wrong_count_in_russian(wrong, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["serve", *wrong])
    assert exit_.value.code == 2
    assert "ожидается" in capsys.readouterr().err


def test_serve_takes_workers_or_threads_not_both():
    from cli import main

    with pytest.raises(NastavnikError, match="либо --workers .*, либо --threads"):
        serve(workers=2, threads=8)
    assert main(["serve", "--workers", "2", "--threads", "8"]) == 2


def test_the_default_is_one_worker_process_per_cpu():
    assert default_workers() == len(os.sched_getaffinity(0))


def test_a_built_app_is_kept_out_of_the_garbage_collectors_rounds():
    """What the server's process holds once its app is built is frozen (issue 14: 6.7 ms of collection per inbox
    page at Python's defaults), and the young generation is collected after YOUNG_OBJECTS new objects."""
    threshold = gc.get_threshold()
    try:
        settle_heap()
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold()[0] == YOUNG_OBJECTS > threshold[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.0.0.5") and not is_loopback("example.org")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("db_backend", ["sqlite"])
@pytest.mark.parametrize(("arguments", "server"), [(["--threads", "32"], "nastavnik"), (["--workers", "1"], "gunicorn")],
                         ids=["waitress", "gunicorn"])
def test_serve_answers(db_url, db_engine, arguments, server):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "NASTAVNIK_SECRET_KEY": "serve-test"}
    env.pop("NASTAVNIK_SESSION_COOKIE_SECURE", None)
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from cli import main; sys.exit(main())",
         "serve", "--port", str(port), *arguments],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=30) as response:
                    body, headers = response.read().decode(), response.headers
                break
            except OSError:  # not listening yet, or the worker processes still building their app
                if process.poll() is not None or time.monotonic() > deadline:
                    out, err = process.communicate(timeout=5)
                    pytest.fail(f"serve did not answer (exit {process.returncode}): {out}\n{err}")
                time.sleep(0.2)
        assert "Вход в систему" in body
        assert headers["Server"] == server  # waitress or gunicorn, not the Flask development server
        assert "Secure" not in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in out


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_serve_reports_a_busy_port(db_url, db_engine, capsys, monkeypatch):
    from cli import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code = main(["serve", "--port", str(busy.getsockname()[1])])
    assert code == 2
    assert "не удалось открыть 127.0.0.1" in capsys.readouterr().err
