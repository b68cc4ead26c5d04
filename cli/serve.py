"""``nastavnik serve [--host H] [--port P] [--workers N | --threads N]``: the web app, default 127.0.0.1:5000.

- On Linux (any system with ``fork``): gunicorn with ``--workers`` processes (default: the CPUs this process may
  use), each running ``THREADS_PER_WORKER`` threads (gthread): a request waiting for a script worker
  (engine.workflow.bounded) holds one, and logins must still find a free thread while eight scripts run into their
  bounds. Each process builds its own app after the fork (nothing of the master's is shared but the listening
  socket) and starts its own script workers.
- On Windows, or when ``--threads N`` is given: waitress, one process with N threads (default 32).

The listening socket is opened here, before any server starts: a busy port is a Russian error, and ``--port 0``
takes a free one (the address printed is the real one).

Without NASTAVNIK_SECRET_KEY one random key is made here for the whole server, so a session made by one worker
process is valid in another (sessions still end on restart).

With no NASTAVNIK_BROKER_URL the background jobs (due timers, e-mail, periodic work) run inside the server, once
per server whatever the number of worker processes: on gunicorn in one process of their own (``worker.embedded``,
a fresh interpreter started here, stopped with the server), on waitress in a scheduler thread; off with
NASTAVNIK_EMBEDDED_JOBS=0. With a broker, ``nastavnik worker`` runs them.

Session cookies are ``Secure`` except when serving on a loopback address (plain-http local use), unless
NASTAVNIK_SESSION_COOKIE_SECURE says otherwise.
"""
from __future__ import annotations

import argparse
import gc
import ipaddress
import logging
import os
import secrets
import shutil
import socket
import sys
import tempfile
from typing import Any

from engine import settings
from engine.errors import NastavnikError
from engine.vocabulary import plural

log = logging.getLogger(__name__)

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"  # worker.metrics sums the processes' files there

WAITRESS_THREADS = 32
THREADS_PER_WORKER = 32  # as many as waitress had: a worker's threads may all wait for its script workers
# the youngest generation is collected after this many new objects (Python's default: 700); a page makes
# thousands, so at 700 it was collected 7 times per inbox page
YOUNG_OBJECTS = 10_000


def settle_heap() -> None:
    """Once the app is built: what it holds now (modules, routes, parsed processes and rules, the pool) lives as
    long as the process, so the cyclic garbage collector stops going through it on every collection (``gc.freeze``:
    6.7 ms of GC per inbox page became 1.2 ms, issue 14), and the youngest objects are collected less often.
    Garbage is still collected (reference counting frees most of it at once; cycles at the next collection)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ожидается целое число, а не «{raw}»") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"ожидается число не меньше 1, а не {value}")
    return value


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    serve = groups.add_parser(
        "serve", help="запустить веб-интерфейс (gunicorn; waitress — на Windows или с --threads)",
        description="Веб-интерфейс. В Linux — gunicorn с несколькими процессами (--workers); в Windows или с "
                    "--threads — waitress, один процесс с потоками.")
    serve.add_argument("--host", default="127.0.0.1", help="адрес (по умолчанию 127.0.0.1)")
    serve.add_argument("--port", type=int, default=5000, help="порт (по умолчанию 5000; 0 — любой свободный)")
    serve.add_argument("--workers", type=_positive, default=None,
                       help=f"процессов обработки запросов (gunicorn; по умолчанию — по числу процессоров: "
                            f"{default_workers()}), в каждом {THREADS_PER_WORKER} "
                            f"{plural(THREADS_PER_WORKER, 'поток', 'потока', 'потоков')}")
    serve.add_argument("--threads", type=_positive, default=None,
                       help=f"запустить на waitress: один процесс с этим числом потоков (так же в Windows, "
                            f"по умолчанию {WAITRESS_THREADS})")
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    return serve(host=args.host, port=args.port, workers=args.workers, threads=args.threads)


def default_workers() -> int:
    """The CPUs this process may run on (its affinity), else the machine's."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def multiprocess_available() -> bool:
    """gunicorn runs where processes fork (Linux, other Unix), not on Windows."""
    return hasattr(os, "fork") and sys.platform != "win32"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_config(host: str) -> dict[str, Any]:
    """What every process's app is built with: the cookie rule of the address, one secret key for all."""
    config: dict[str, Any] = {}
    if is_loopback(host) and settings.value("NASTAVNIK_SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = False  # http://127.0.0.1 in development: no TLS to insist on
    if not settings.value("NASTAVNIK_SECRET_KEY"):
        if settings.is_production():
            raise NastavnikError("NASTAVNIK_SECRET_KEY: не задан, а NASTAVNIK_ENV=production — рабочий сервер без "
                                 "постоянного ключа сессий не запускается")
        config["SECRET_KEY"] = secrets.token_hex(32)
        print("внимание: NASTAVNIK_SECRET_KEY не задан — ключ сессий случайный, сессии закончатся при перезапуске",
              file=sys.stderr, flush=True)
    return config


def listen(host: str, port: int) -> socket.socket:
    """The server's listening socket; NastavnikError (Russian) when the address cannot be opened."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        if host == "localhost":
            host = "127.0.0.1"
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(2048)
        except OSError:
            sock.close()
            raise
    except OSError as error:
        raise NastavnikError(f"не удалось открыть {host}:{port}: {error.strerror or error}") from error
    sock.set_inheritable(True)
    return sock


def announce(host: str, port: int, secure_cookie: bool, how: str) -> None:
    shown = f"[{host}]" if ":" in host else host
    print(f"«Наставник» работает: http://{shown}:{port}/  ({how}; остановить: Ctrl+C)", flush=True)
    if not secure_cookie:
        print("внимание: cookie сессии без флага Secure (адрес только для этой машины)", file=sys.stderr, flush=True)


def serve(host: str = "127.0.0.1", port: int = 5000, workers: int | None = None, threads: int | None = None) -> int:
    if workers is not None and threads is not None:
        raise NastavnikError("укажите либо --workers (gunicorn, несколько процессов), либо --threads (waitress, "
                             "один процесс), но не оба")
    configure_logs()
    if threads is not None or not multiprocess_available():
        return serve_waitress(host, port, threads or WAITRESS_THREADS)
    return serve_gunicorn(host, port, workers or default_workers())


def serve_waitress(host: str, port: int, threads: int) -> int:
    from waitress import create_server

    from engine.workflow import bounded
    from web import create_app

    config = app_config(host)
    sock = listen(host, port)
    app = create_app(config)
    bounded.pool().warm()  # the script workers start with the server, not on the first script
    settle_heap()
    server = create_server(app, sockets=[sock], threads=threads, ident="nastavnik")
    jobs = start_embedded_jobs()
    announce(host, sock.getsockname()[1], app.config["SESSION_COOKIE_SECURE"],
             f"waitress, {threads} {_threads_word(threads)}")
    try:
        server.run()
    finally:
        if jobs is not None:
            jobs.stop()
        server.close()
    return 0


def serve_gunicorn(host: str, port: int, workers: int) -> int:
    from cli.serve_gunicorn import run

    config = app_config(host)
    sock = listen(host, port)
    bound = sock.getsockname()[1]
    secure = config.get("SESSION_COOKIE_SECURE", _secure_by_environment())
    how = f"gunicorn, {workers} {_processes_word(workers)} по {THREADS_PER_WORKER} {_threads_word(THREADS_PER_WORKER)}"
    if workers > 1 and (settings.value("NASTAVNIK_RATELIMIT_STORAGE") or "memory://").startswith("memory"):
        print("внимание: счётчики неудачных входов ведутся отдельно в каждом процессе сервера (предел действует на "
              "процесс); для общего счёта задайте NASTAVNIK_RATELIMIT_STORAGE=redis://…",
              file=sys.stderr, flush=True)
    made_metrics_dir = shared_metrics_dir()  # before any process imports prometheus_client
    jobs = start_embedded_jobs(own_process=True)
    try:  # gunicorn takes the descriptor over (and closes it)
        return run(sock.detach(), config, workers, THREADS_PER_WORKER,
                   on_ready=lambda: announce(host, bound, secure, how))
    finally:
        if jobs is not None:
            jobs.stop()
        if made_metrics_dir is not None:
            shutil.rmtree(made_metrics_dir, ignore_errors=True)
            os.environ.pop(MULTIPROCESS_DIR, None)


def configure_logs() -> None:
    """Structured logs for the server's life (``worker.logs``); a bad setting stops the start, named."""
    from worker import logs

    try:
        logs.configure()
    except ValueError as error:
        raise NastavnikError(str(error)) from None


def shared_metrics_dir() -> str | None:
    """Several processes serve (gunicorn's workers, the jobs process): their metrics go to one directory that
    /metrics sums (prometheus_client's multiprocess mode). One is made for this server unless
    PROMETHEUS_MULTIPROC_DIR names one (then it should be emptied before each start); the one made is removed when
    the server stops."""
    if settings.value(MULTIPROCESS_DIR):
        return None
    if "prometheus_client" in sys.modules:  # too late for this process: its values are already per process
        log.warning("prometheus_client imported before the server started: /metrics counts one process only")
        return None
    made = tempfile.mkdtemp(prefix="nastavnik-metrics-")
    os.environ.update({MULTIPROCESS_DIR: made})  # for the processes started below (a write, not a setting read)
    return made


def _secure_by_environment() -> bool:
    from web import default_config

    return bool(default_config()["SESSION_COOKIE_SECURE"])


def _threads_word(count: int) -> str:
    return plural(count, "поток", "потока", "потоков")


def _processes_word(count: int) -> str:
    return plural(count, "процесс", "процесса", "процессов")


def start_embedded_jobs(*, own_process: bool = False):  # noqa: ANN201 - EmbeddedScheduler | JobsProcess | None
    """With no broker (NASTAVNIK_BROKER_URL unset) the background jobs run inside the server, unless
    NASTAVNIK_EMBEDDED_JOBS=0: a scheduler thread here (waitress), or ``own_process``: one process of their own
    for the whole server (gunicorn: never one per worker process). With a broker the Celery workers run them."""
    from worker import settings

    if not settings.embedded_jobs_enabled():
        if settings.broker_url() is None:
            print("внимание: фоновые задания отключены (NASTAVNIK_EMBEDDED_JOBS=0): таймеры не сработают, пока их "
                  "не выполнит «nastavnik jobs run-due» или «nastavnik worker»", file=sys.stderr, flush=True)
        return None
    interval = settings.tick_seconds()
    if own_process:
        from worker.embedded import JobsProcess

        process = JobsProcess(interval).start()
        print(f"фоновые задания выполняются в отдельном процессе сервера (раз в {interval:g} с; брокер не настроен)",
              flush=True)
        return process
    from worker.embedded import EmbeddedScheduler
    from worker.runtime import Runtime

    scheduler = EmbeddedScheduler(Runtime.build(), interval).start()
    print(f"фоновые задания выполняются в этом процессе (раз в {interval:g} с; брокер не настроен)", flush=True)
    return scheduler
