"""``nastavnik serve`` on gunicorn (``cli.serve`` decides when): N worker processes of ``THREADS_PER_WORKER``
threads each (gthread) on a socket ``cli.serve.listen`` opened.

The app is not preloaded: each worker process builds its own after the fork (``create_app``: its database pool,
its rule registry and regulation packs following the database, its script workers), so nothing that holds a lock,
a connection or a child process crosses a fork. The master only watches the workers (a dead one is replaced).
The processes stay consistent through the database: every request checks the deployed rule file and regulation
pack versions (``web.deployed``: one SELECT), process versions are read from it, and the other
process-wide caches are keyed by content (sha256).

``NASTAVNIK_SERVE_PID_HEADER=1`` (tests only) adds ``X-Nastavnik-Worker: <pid>`` to every response, so a test can
tell the worker processes apart.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from engine import settings

PID_HEADER = "X-Nastavnik-Worker"


class _Server(BaseApplication):
    def __init__(self, config: dict[str, Any], options: dict[str, Any]) -> None:
        self.app_config, self.options = config, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):  # noqa: ANN201 - a Flask app; called in each worker process after the fork
        from cli.serve import settle_heap
        from engine.workflow import bounded
        from web import create_app

        app = create_app(self.app_config)
        bounded.pool().warm()  # this process's script workers start with it, not on the first script
        if settings.value("NASTAVNIK_SERVE_PID_HEADER") == "1":
            pid = str(os.getpid())
            app.after_request(lambda response: (response.headers.__setitem__(PID_HEADER, pid), response)[1])
        settle_heap()  # what the app holds is not gone through by every garbage collection
        return app


def run(descriptor: int, config: dict[str, Any], workers: int, threads: int, *,
        on_ready: Callable[[], None]) -> int:
    """Serve until stopped (SIGINT/SIGTERM: the workers finish their requests); the exit code."""
    options = {
        "bind": [f"fd://{descriptor}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "proc_name": "nastavnik",
        "loglevel": "warning",  # no English start-up chatter; errors and dead workers are still logged
        "graceful_timeout": 10,  # SIGTERM: requests under way get 10 s (idle keep-alive connections would hold 30)
        "when_ready": lambda _arbiter: on_ready(),
    }
    master = os.getpid()
    try:
        _Server(config, options).run()
    except SystemExit as stop:
        if os.getpid() != master:  # a worker process ending: it leaves at once, none of serve()'s cleanup is its own
            raise
        return int(stop.code or 0) if isinstance(stop.code, int) or stop.code is None else 1
    return 0
