"""Structured logs of the server and the worker, one line per record, in one format for both:

    NASTAVNIK_LOG_FORMAT=json    {"time": "2025-…Z", "level": "INFO", "logger": "nastavnik.access", "message": …,
                                  "request_id": "…", "person_id": 7, "route": "/programs/<int:program_id>", …}
    NASTAVNIK_LOG_FORMAT=text    time=2025-…Z level=INFO logger=nastavnik.access message="GET … 200" request_id=…
                                 (the default: key=value, values with spaces or quotes in double quotes)
    NASTAVNIK_LOG_LEVEL=INFO     DEBUG, INFO (the default), WARNING, ERROR

``configure()`` is called by the long-running entry points only (``nastavnik serve``, ``nastavnik worker``/``beat``,
Celery's own ``celery -A worker.app``, the embedded jobs process); a one-off command keeps Python's default (warnings
on stderr). Every record made while a request or a job runs carries its context (``bind``: the request id, the
person's id, the job's id and kind): the id only — never a name, a login or an e-mail address (152-ФЗ). The web's
access line (``web.request_log``) adds the route (its URL rule, never the path: paths hold secret tokens), the
method, the status and the duration in milliseconds.
"""
from __future__ import annotations

import contextvars
import json
import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from engine import settings

FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# the fields a record may carry besides its message, in the order they are written
FIELDS = ("request_id", "person_id", "method", "route", "status", "duration_ms", "job_id", "job_kind", "outcome")
_context: contextvars.ContextVar[Mapping[str, Any]] = contextvars.ContextVar(
    "nastavnik_log_context", default=MappingProxyType({}))
_HANDLER_MARK = "nastavnik_structured"


def log_format(environ: Mapping[str, str] | None = None) -> str:
    raw = ((environ.get("NASTAVNIK_LOG_FORMAT") if environ is not None else settings.value("NASTAVNIK_LOG_FORMAT"))
           or "text").strip().lower()
    if raw not in FORMATS:
        raise ValueError(f"NASTAVNIK_LOG_FORMAT: ожидается «text» (ключ=значение) или «json», а не «{raw}»")
    return raw


def log_level(environ: Mapping[str, str] | None = None, default: str = "INFO") -> int:
    raw = ((environ.get("NASTAVNIK_LOG_LEVEL") if environ is not None else settings.value("NASTAVNIK_LOG_LEVEL"))
           or default).strip().upper()
    if raw not in LEVELS:
        raise ValueError(f"NASTAVNIK_LOG_LEVEL: ожидается один из уровней {', '.join(LEVELS)}, а не «{raw}»")
    return int(logging.getLevelName(raw))


@contextmanager
def bind(**fields: Any) -> Iterator[None]:
    """Every record made inside carries ``fields`` (a request's or a job's context)."""
    token = _context.set({**_context.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


def set_context(**fields: Any) -> contextvars.Token:
    """``bind`` for frameworks that open and close in two callbacks (a request's before/after); reset with the
    token."""
    return _context.set({**_context.get(), **{k: v for k, v in fields.items() if v is not None}})


def reset_context(token: contextvars.Token) -> None:
    try:
        _context.reset(token)
    except ValueError:  # made in another context (a thread switch): start clean
        _context.set({})


def fields_of(record: logging.LogRecord) -> dict[str, Any]:
    """What a record says: time, level, logger, message, the context's and the record's own fields."""
    found: dict[str, Any] = {
        "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "level": record.levelname, "logger": record.name, "message": record.getMessage()}
    context = _context.get()
    for name in FIELDS:
        value = getattr(record, name, context.get(name))
        if value is not None:
            found[name] = value
    return found


def _text_value(value: Any) -> str:
    text = str(value)
    if text == "" or any(c in text for c in ' "=\\') or not text.isprintable():
        return json.dumps(text, ensure_ascii=False)
    return text


class StructuredFormatter(logging.Formatter):
    def __init__(self, fmt: str = "text") -> None:
        super().__init__()
        self.kind = fmt

    def format(self, record: logging.LogRecord) -> str:
        found = fields_of(record)
        if record.exc_info:
            found["error"] = self.formatException(record.exc_info)
        if self.kind == "json":
            return json.dumps(found, ensure_ascii=False, default=str)
        return " ".join(f"{key}={_text_value(value)}" for key, value in found.items())


def configure(environ: Mapping[str, str] | None = None, stream: Any = None,
              default_level: str | int | None = None) -> logging.Handler:
    """The root logger writes structured lines to ``stream`` (stderr) at NASTAVNIK_LOG_LEVEL (unset:
    ``default_level``, else INFO); called again, it replaces its own handler (never another's). A bad setting is a
    ``ValueError`` naming it, in Russian."""
    fallback = logging.getLevelName(default_level) if isinstance(default_level, int) else (default_level or "INFO")
    fmt, level = log_format(environ), log_level(environ, str(fallback))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(StructuredFormatter(fmt))
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    root.setLevel(level)
    for chatty in ("waitress.queue",):  # "Task queue depth" on every burst: not news at INFO
        logging.getLogger(chatty).setLevel(max(level, logging.WARNING))
    return handler
