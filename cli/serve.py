"""``nastavnik serve [--host H] [--port P]``: the web app on waitress (a production WSGI server),
default 127.0.0.1:5000, 32 threads: a request waiting for a script worker (engine.workflow.bounded) holds one, and
logins must still find a free thread while eight scripts run into their bounds.

With no NASTAVNIK_BROKER_URL the background jobs (due timers, e-mail, periodic work) run in this process: a
scheduler thread (``worker.embedded``), off with NASTAVNIK_EMBEDDED_JOBS=0; with a broker, ``nastavnik worker``
runs them.

Session cookies are ``Secure`` except when serving on a loopback address (plain-http local use), unless
NASTAVNIK_SESSION_COOKIE_SECURE says otherwise.
"""
from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from engine.errors import NastavnikError


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    serve = groups.add_parser("serve", help="запустить веб-интерфейс (waitress)")
    serve.add_argument("--host", default="127.0.0.1", help="адрес (по умолчанию 127.0.0.1)")
    serve.add_argument("--port", type=int, default=5000, help="порт (по умолчанию 5000)")
    serve.add_argument("--threads", type=int, default=32, help="потоков обработки запросов (по умолчанию 32)")
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    return serve(host=args.host, port=args.port, threads=args.threads)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(host: str = "127.0.0.1", port: int = 5000, threads: int = 32) -> int:
    from waitress import create_server

    from engine.workflow import bounded
    from web import create_app

    config = {}
    if is_loopback(host) and os.environ.get("NASTAVNIK_SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = False  # http://127.0.0.1 in development: no TLS to insist on
    app = create_app(config)
    bounded.pool().warm()  # the script workers start with the server, not on the first script
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="nastavnik")
    except OSError as error:
        raise NastavnikError(f"не удалось открыть {host}:{port}: {error.strerror or error}") from error
    jobs = start_embedded_jobs()
    shown = f"[{host}]" if ":" in host else host
    print(f"«Наставник» работает: http://{shown}:{server.effective_port}/  (остановить: Ctrl+C)", flush=True)
    if not app.config["SESSION_COOKIE_SECURE"]:
        print("внимание: cookie сессии без флага Secure (адрес только для этой машины)", file=sys.stderr, flush=True)
    try:
        server.run()
    finally:
        if jobs is not None:
            jobs.stop()
        server.close()
    return 0


def start_embedded_jobs():  # noqa: ANN201 - worker.embedded.EmbeddedScheduler | None
    """With no broker (NASTAVNIK_BROKER_URL unset) the background jobs run in this process: the scheduler thread
    (worker.embedded), unless NASTAVNIK_EMBEDDED_JOBS=0. With a broker the Celery workers run them."""
    from worker import settings

    if not settings.embedded_jobs_enabled():
        if settings.broker_url() is None:
            print("внимание: фоновые задания отключены (NASTAVNIK_EMBEDDED_JOBS=0): таймеры не сработают, пока их "
                  "не выполнит «nastavnik jobs run-due» или «nastavnik worker»", file=sys.stderr, flush=True)
        return None
    from worker.embedded import EmbeddedScheduler
    from worker.runtime import Runtime

    interval = settings.tick_seconds()
    scheduler = EmbeddedScheduler(Runtime.build(), interval).start()
    print(f"фоновые задания выполняются в этом процессе (раз в {interval:g} с; брокер не настроен)", flush=True)
    return scheduler
