"""A page of a list as the API hands it out (the total, counted up to a bound beyond the page, and the items of one
slice), and dates as ISO text; shared by the rooms that list things."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select
from sqlalchemy.orm import Session

from engine.db import paging
from engine.db.paging import count_up_to


@dataclass(frozen=True)
class Slice:
    total: int  # exact unless ``more``: then the list has more than ``total`` items
    items: list[dict]
    more: bool = False


def counted_slice(session: Session, stmt: Select, offset: int, items: list[dict]) -> Slice:
    """``items`` with their list's length, counted up to ``offset + LIST_BOUND`` (``engine.db.paging``)."""
    counted = count_up_to(session, stmt, offset + paging.LIST_BOUND)
    return Slice(counted.value, items, counted.more)


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None
