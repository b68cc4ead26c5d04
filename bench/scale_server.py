"""The web app as ``bench/scale.py`` serves it: waitress in this process (as ``nastavnik serve``), wrapped so each
response says what its request cost the server.

Run: python bench/scale_server.py --port P   (DATABASE_URL names the database)

Headers of every response: ``X-Bench-Statements`` (SQL statements the request's thread executed, counted by a
SQLAlchemy ``before_cursor_execute`` listener), ``X-Bench-RSS-KB`` (the process's resident memory before the
request) and ``X-Bench-Peak-RSS-KB`` (its peak during the request: ``/proc/self/clear_refs`` resets the peak when
the request starts, ``VmHWM`` reads it when the response starts). Requests must come one at a time for the peak
to be the request's own. The background jobs are off (NASTAVNIK_EMBEDDED_JOBS=0 is not needed: none is started).
"""
from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

_counts = threading.local()


def _count(*_args: Any) -> None:
    _counts.statements = getattr(_counts, "statements", 0) + 1


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # not Linux: the peak is the process's since it started


class Counting:
    """WSGI middleware: the statements and memory of each request in its response's headers."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        _counts.statements = 0
        _reset_peak()
        before = _memory_kb("VmRSS")

        def started(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers = [*headers, ("X-Bench-Statements", str(_counts.statements)), ("X-Bench-RSS-KB", str(before)),
                       ("X-Bench-Peak-RSS-KB", str(_memory_kb("VmHWM")))]
            return start_response(status, headers, exc_info)

        return self.app(environ, started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--memory-mb", type=int, default=0, help="the address space cap (0: none)")
    args = parser.parse_args()
    if args.memory_mb:
        import resource

        cap = args.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    from waitress import serve

    from web import create_app

    event.listen(Engine, "before_cursor_execute", _count)
    app = create_app({"SESSION_COOKIE_SECURE": False, "SECRET_KEY": "bench-scale", "RATELIMIT_ENABLED": False})
    print(f"serving on 127.0.0.1:{args.port}", flush=True)
    serve(Counting(app), host="127.0.0.1", port=args.port, threads=args.threads, ident="nastavnik-bench",
          channel_timeout=3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
