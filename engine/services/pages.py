"""A page of a list as the API hands it out (the total and the items of one slice), and dates as ISO
text; shared by the rooms that list things."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Slice:
    total: int
    items: list[dict]


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None
