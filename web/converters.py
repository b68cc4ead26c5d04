"""URL converters: ``<int:…>`` in every route (pages and API) is bounded by what the database can hold.

A record id is a PostgreSQL ``integer`` (SQLite binds at most 64 bits): a path with a 23-digit id does not
match any route and gets the 404 page, instead of an overflow inside the database driver (a 500). An id in
the query string is read with ``id_arg``: one out of range is as if it were not given; a page number with
``page_arg``, a date with ``date_arg``.
"""
from __future__ import annotations

from datetime import date

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, Map

from engine.errors import NastavnikError

MAX_DATABASE_ID = 2**31 - 1  # PostgreSQL integer
MAX_PAGE = MAX_DATABASE_ID // 1000  # a page of up to 1,000 rows beyond it would overflow the offset


class DatabaseIdConverter(IntegerConverter):
    """``int`` with ``max`` defaulting to ``MAX_DATABASE_ID`` (a route may still narrow it)."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002 - werkzeug's names
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        bound = MAX_DATABASE_ID if max is None or max > MAX_DATABASE_ID else max
        super().__init__(url_map, fixed_digits, min, bound, signed)
        if not signed and not fixed_digits:
            # a segment longer than any id matches no rule at all: rejected by ``to_python`` instead, it would make
            # a GET and a POST (or a PUT and a DELETE) on one path answer 405 for the method tried second, not 404
            self.regex = rf"\d{{1,{len(str(bound))}}}"


def init_app(app: Flask) -> None:
    """Call before any route is added."""
    app.url_map.converters["int"] = DatabaseIdConverter


def id_arg(name: str) -> int | None:
    """The record id in the query argument ``name``: None when missing, not a number or beyond any id."""
    raw = request.args.get(name, "")
    if not raw.isdigit() or len(raw) > len(str(MAX_DATABASE_ID)):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_DATABASE_ID else None


def date_arg(name: str, label: str, *, form: bool = False) -> date | None:
    """The date in the query argument ``name`` (the posted form's field when ``form``; ГГГГ-ММ-ДД, as a date field
    sends it); None when empty; a Russian error naming ``label`` otherwise."""
    raw = ((request.form if form else request.args).get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise NastavnikError(_("%(label)s: ожидается дата в виде ГГГГ-ММ-ДД, получено «%(raw)s»",
                               label=label, raw=raw[:20]), where=name) from None


def page_arg(name: str = "page", *, from_end: bool = False) -> int:
    """The page number in the query argument ``name``: 1 when missing or not a number, at most ``MAX_PAGE`` (a
    page beyond the list is simply empty). With ``from_end`` a negative number counts from the end (-1: the last
    page; ``engine.db.paging``)."""
    raw = request.args.get(name, "")
    sign = -1 if from_end and raw.startswith("-") else 1
    raw = raw[1:] if sign < 0 else raw
    if not raw.isdigit() or int(raw) == 0:
        return 1
    return sign * max(1, min(int(raw) if len(raw) <= len(str(MAX_PAGE)) else MAX_PAGE, MAX_PAGE))
