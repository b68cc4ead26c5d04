"""Column types shared by the models."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current moment as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time, always timezone-aware UTC in Python.

    Stored as ``TIMESTAMP WITH TIME ZONE`` on PostgreSQL and as a naive UTC ``DATETIME`` on SQLite
    (which has no time zones). Naive datetimes are refused on the way in: a moment without a zone
    is ambiguous. Calendar dates (due dates, terms) use ``Date`` instead.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"ожидался datetime, получено {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("время без часового пояса не принимается: используйте datetime с tzinfo (UTC)")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def insert_on_conflict(dialect_name: str, table: Any) -> Any:
    """The dialect's ``INSERT`` into ``table`` (a model or a Table) that takes ``.on_conflict_do_nothing(…)``: the
    one way the outboxes (jobs, notifications) and the chains' heads insert a row that may exist already."""
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(table)
