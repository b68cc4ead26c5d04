"""Counting and paging a list in the database so that a page costs the same whatever the list's length (issue 14).

A list's total is counted only up to a bound: ``count_up_to`` reads at most ``bound + 1`` rows of the list's index,
so «Всего: 87» stays exact on every ordinary list while a department of 100 000 programs reads «более 1 000» instead
of scanning them all on each page. A bell needs even less (``UNREAD_BOUND``: «99+»).

Numbered pages run from the front (1, 2, …). When the total is only known as «more than the bound», the pages past
the bound are counted from the end (-1 is the last page, -2 the one before it) and read in the reversed order, so
the last page costs what the first one does; the pages in the middle of a very long list are reached by searching,
not by paging. ``paginate`` does both for any statement with a total order.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

LIST_BOUND = 1000  # a list's total is exact up to this many rows («более 1 000» beyond); an overview's figures too
UNREAD_BOUND = 99  # the bell: «99+»

SortKey = Sequence[tuple[ColumnElement[Any] | InstrumentedAttribute[Any], bool]]  # (expression, descending): a total
# order, ending with an id


@dataclass(frozen=True)
class Counted:
    """A count cut at a bound: ``value`` is exact unless ``more`` (then the list has more than ``value`` rows)."""
    value: int
    more: bool = False

    def __int__(self) -> int:
        return self.value

    def __bool__(self) -> bool:
        return self.value > 0


def count_up_to(session: Session, stmt: Select, bound: int) -> Counted:
    """The rows of ``stmt``, counted up to ``bound`` (at most ``bound + 1`` rows are read)."""
    probe = stmt.order_by(None).with_only_columns(literal(1), maintain_column_froms=True).limit(bound + 1)
    found = int(session.scalar(select(func.count()).select_from(probe.subquery())) or 0)
    return Counted(min(found, bound), found > bound)


@dataclass(frozen=True)
class PageOf:
    """One page of a list: its rows, the total (exact unless ``more``), the page number (negative: counted from
    the end) and the number of pages known from each end."""
    rows: list
    total: int
    page: int
    pages: int
    more: bool = False


def paginate(session: Session, stmt: Select, page: int, size: int, *, order: SortKey = (),
             bound: int | None = None) -> PageOf:
    """Page ``page`` of ``stmt`` in ``order`` (a total order). A page in the back half, or counted from the end, is
    read from the end in the reversed order and turned round, so the database skips at most half the rows (at most
    ``bound`` when the total is not known): the last page costs what the first does. ``bound``: ``LIST_BOUND``
    unless given."""
    bound = LIST_BOUND if bound is None else bound
    counted = count_up_to(session, stmt, bound)
    size = max(size, 1)
    pages = max((counted.value + size - 1) // size, 1)
    if counted.more:
        pages = max(bound // size, 1)
        page = max(min(page, pages), -pages) or 1
        if page > 0 or not order:
            return PageOf(_forwards(session, stmt, order, abs(page), size), counted.value, abs(page), pages, True)
        rows = _backwards(session, stmt, order, size, (-page - 1) * size)
        return PageOf(rows, counted.value, page, pages, True)
    page = pages + page + 1 if page < 0 else page
    page = min(max(page, 1), pages)
    total = counted.value
    offset = (page - 1) * size
    if order and offset > total // 2:
        shown = min(size, total - offset)
        return PageOf(_backwards(session, stmt, order, shown, total - offset - shown), total, page, pages)
    return PageOf(_forwards(session, stmt, order, page, size), total, page, pages)


def ordered(order: SortKey, *, reverse: bool = False) -> list[ColumnElement[Any]]:
    """``order`` as ORDER BY terms (``reverse``: each key the other way, to read the list from its end)."""
    return [key.asc() if descending == reverse else key.desc() for key, descending in order]


def _forwards(session: Session, stmt: Select, order: SortKey, page: int, size: int) -> list:
    if order:
        stmt = stmt.order_by(*ordered(order))
    return list(session.scalars(stmt.limit(size).offset((page - 1) * size)).unique())


def _backwards(session: Session, stmt: Select, order: SortKey, limit: int, offset: int) -> list:
    backwards = stmt.order_by(*ordered(order, reverse=True))
    return list(session.scalars(backwards.limit(limit).offset(offset)).unique())[::-1]
