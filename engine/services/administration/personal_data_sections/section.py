"""One section of the personal-data export: a table holding a column that names a person, what the person is to the
row (by column) and the columns a reader sees on the page."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """Rows of ``table`` where one of ``person_columns`` is the person (``{column: what the person is to the row}``);
    ``shown``: (column or «column.key» of a JSON column, Russian label) for the page."""

    key: str
    title: str
    table: str
    person_columns: dict[str, str]
    shown: tuple[tuple[str, str], ...]

