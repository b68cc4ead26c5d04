"""All time the workflow engine sees comes from a ``Clock``.

``SystemClock`` is the wall clock; ``FixedClock`` stands still until a test moves it.
Both return timezone-aware UTC datetimes. The helpers at the bottom are the date functions
scripts may use (task data keeps dates as ISO-8601 strings).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from engine import domain_time


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to (``advance`` or ``set``)."""

    def __init__(self, now: datetime | str) -> None:
        self._now = to_utc(now)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now = self._now + delta
        return self._now

    def set(self, now: datetime | str) -> datetime:
        self._now = to_utc(now)
        return self._now


def to_utc(value: datetime | date | str) -> datetime:
    """An ISO string, date or datetime as an aware UTC datetime; naive values are taken as UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def add_months(iso: str, months: int) -> str:
    """``iso`` plus whole months by ``engine.domain_time.add_months`` (the one month arithmetic: the day clamped
    to the month's end); keeps date vs datetime form."""
    is_date = len(iso.strip()) == 10
    moment = to_utc(iso)
    day = domain_time.add_months(moment.date(), int(months))
    return day.isoformat() if is_date else moment.replace(year=day.year, month=day.month, day=day.day).isoformat()


def add_days(iso: str, days: int) -> str:
    is_date = len(iso.strip()) == 10
    moved = to_utc(iso) + timedelta(days=int(days))
    return moved.date().isoformat() if is_date else moved.isoformat()


def clock_functions(clock: Clock, zone: str | None = None) -> dict:
    """The date functions every script gets: ``now()``, ``today()``, ``add_days``, ``add_months``, and the
    domain's schedules (``engine.domain_time``: ``scheduled_stages``, ``mentor_term_end``) — the same functions
    the services use, so a script never counts months its own way. ``today()`` is the day in ``zone`` (the
    organization's time zone the step runs for, ``engine.workflow.bounded.running_for``; None: UTC), the same
    «today» the services count on (``engine.domain_time.local_day``)."""

    def now() -> str:
        return clock.now().isoformat()

    def today() -> str:
        return domain_time.local_day(clock.now(), ZoneInfo(zone) if zone else UTC).isoformat()

    return {"now": now, "today": today, "add_days": add_days, "add_months": add_months,
            "scheduled_stages": domain_time.scheduled_stages, "mentor_term_end": domain_time.mentor_term_end}
