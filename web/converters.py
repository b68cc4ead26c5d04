"""URL converters: ``<int:…>`` in every route (pages and API) is bounded by what the database can hold.

A record id is a PostgreSQL ``integer`` (SQLite binds at most 64 bits): a path with a 23-digit id does not
match any route and gets the 404 page, instead of an overflow inside the database driver (a 500).
"""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

MAX_DATABASE_ID = 2**31 - 1  # PostgreSQL integer


class DatabaseIdConverter(IntegerConverter):
    """``int`` with ``max`` defaulting to ``MAX_DATABASE_ID`` (a route may still narrow it)."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002 - werkzeug's names
                 max: int | None = None, signed: bool = False) -> None:  # noqa: A002
        bound = MAX_DATABASE_ID if max is None or max > MAX_DATABASE_ID else max
        super().__init__(url_map, fixed_digits, min, bound, signed)


def init_app(app: Flask) -> None:
    """Call before any route is added."""
    app.url_map.converters["int"] = DatabaseIdConverter
