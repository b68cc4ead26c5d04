"""Appending to the chains of the audit trail, the access log and the signed orders (``engine.integrity``).

A row joins its chain when the transaction that wrote it commits: ``after_flush`` notes the new audit and
access-log entries and the orders that became signed, ``before_commit`` locks each chain's head (PostgreSQL:
``SELECT … FOR UPDATE`` of its ``chain_heads`` row; SQLite: the transaction already holds the database's write
lock), appends one link per row in id order and moves the head. The lock is taken last in the transaction and
released by its commit a moment later, always in the same order (audit, access, orders), so appending never
deadlocks with the transaction's other locks and concurrent commits keep one unbroken chain. A SAVEPOINT released
or rolled back appends nothing and forgets nothing: only the outermost commit appends (rows a rolled-back
SAVEPOINT took with it no longer exist and are skipped).

``append`` works on a plain connection too (migration 0011 chains the rows that were there before it).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Select, Table, bindparam, event, select, true
from sqlalchemy.orm import Session, SessionTransaction, attributes

from engine.db.base import Base
from engine.db.models import AccessLogEntry, AuditEntry, Order, OrderStatus
from engine.db.types import insert_on_conflict, utcnow
from engine.integrity.canonical import (
    CHAINED_COLUMNS,
    CHAINS,
    GENESIS,
    chain_hash,
    content_sha256,
    head_seal,
    seal,
)
from engine.integrity.keys import chain_key

PENDING = "nastavnik.chain_pending"
Record = Mapping[Any, Any]  # a row as the database gives it (``RowMapping``)
LINKS: Table = Base.metadata.tables["chain_links"]
HEADS: Table = Base.metadata.tables["chain_heads"]
_ENTRY_CHAINS: dict[type, str] = {AuditEntry: "audit", AccessLogEntry: "access"}


def chain_table(chain: str) -> Table:
    return Base.metadata.tables[CHAINED_COLUMNS[chain][0]]


def load_rows(connection: Connection, chain: str, ids: Iterable[int] | None = None, *,
              every: bool = False) -> dict[int, Record]:
    """The chain's rows by id, their chained columns (and an order's status): ``ids``, or all of them (for orders
    the signed ones, unless ``every``)."""
    table = chain_table(chain)
    columns = CHAINED_COLUMNS[chain][1] + (("status",) if chain == "orders" else ())
    stmt = select(*(table.c[name] for name in columns)).order_by(table.c.id)
    if ids is not None:
        stmt = stmt.where(table.c.id.in_(list(ids)))
    elif chain == "orders" and not every:
        stmt = stmt.where(table.c.status == OrderStatus.SIGNED.value)
    return {row.id: row for row in connection.execute(stmt).mappings()}


def _locked_head(connection: Connection, chain: str) -> tuple[int, str]:
    """The chain's head (its last number and hash), locked until the transaction ends; created at the genesis
    the first time (one statement once it exists)."""
    heads = HEADS
    locked = select(heads.c.seq, heads.c.chain_hash).where(heads.c.chain == chain).with_for_update()
    row = connection.execute(locked).first()
    if row is None:
        values = {"chain": chain, "seq": 0, "chain_hash": GENESIS, "seal": None, "updated_at": utcnow()}
        connection.execute(insert_on_conflict(connection.dialect.name, heads).values(values).on_conflict_do_nothing())
        row = connection.execute(locked).one()
    return row.seq, row.chain_hash


def _unchained(chain: str, ids: Any) -> Select:
    """SQL: the rows ``ids`` of ``chain`` that exist and have no link yet, in id order."""
    table = chain_table(chain)
    columns = CHAINED_COLUMNS[chain][1] + (("status",) if chain == "orders" else ())
    linked = select(LINKS.c.record_id).where(LINKS.c.chain == chain, LINKS.c.record_id == table.c.id).exists()
    return (select(*(table.c[name] for name in columns)).where(table.c.id.in_(ids), ~linked)
            .order_by(table.c.id))


def _unchained_rows(connection: Connection, chain: str, ids: list[int]) -> list[Record]:
    """The rows ``ids`` of ``chain`` that exist and have no link yet, in id order (one statement)."""
    return list(connection.execute(_unchained(chain, ids)).mappings())


@lru_cache(maxsize=len(CHAINS))
def _rows_and_head_statement(chain: str) -> Select:
    """PostgreSQL, built once per chain: the unchained rows of the expanding parameter ``ids`` and the chain's head,
    locked — outer-joined, so the head comes back even when no row does."""
    head = (select(HEADS.c.seq.label("head_seq"), HEADS.c.chain_hash.label("head_hash"))
            .where(HEADS.c.chain == chain).with_for_update().cte("head"))
    fresh = _unchained(chain, bindparam("ids", expanding=True)).order_by(None).subquery("fresh")
    return (select(head.c.head_seq, head.c.head_hash, *fresh.c).select_from(head.outerjoin(fresh, true()))
            .order_by(fresh.c.id))


def _unchained_rows_and_head(connection: Connection, chain: str, ids: list[int]) -> tuple[list[Record], tuple[int, str]] | None:
    """PostgreSQL: the unchained rows ``ids`` and the chain's head, locked (``_locked_head``) — one statement; None
    while the chain has no head yet."""
    found = list(connection.execute(_rows_and_head_statement(chain), {"ids": ids}).mappings())
    if not found:
        return None
    names = CHAINED_COLUMNS[chain][1] + (("status",) if chain == "orders" else ())
    rows: list[Record] = [{name: row[name] for name in names} for row in found if row["id"] is not None]
    return rows, (found[0]["head_seq"], found[0]["head_hash"])


LINK_COLUMNS = ("chain", "seq", "record_id", "content_sha256", "previous_hash", "chain_hash", "seal", "created_at")
CACHED_LINKS = 16  # a commit appending at most this many links to a chain uses a statement built once


@lru_cache(maxsize=CACHED_LINKS)
def _links_and_head_statement(count: int) -> Any:
    """PostgreSQL, built once per number of links: ``count`` links inserted and the head moved, one statement (a
    data-modifying WITH), its values as parameters (``link_<column>_<n>``, ``head_…``)."""
    links = [{name: bindparam(f"link_{name}_{n}", type_=LINKS.c[name].type) for name in LINK_COLUMNS}
             for n in range(count)]
    move_head = HEADS.update().where(HEADS.c.chain == bindparam("head_chain", type_=HEADS.c.chain.type)).values(
        seq=bindparam("head_seq", type_=HEADS.c.seq.type), chain_hash=bindparam("head_hash", type_=HEADS.c.chain_hash.type),
        seal=bindparam("head_seal", type_=HEADS.c.seal.type), updated_at=bindparam("head_at", type_=HEADS.c.updated_at.type))
    return move_head.add_cte(LINKS.insert().values(links).cte("new_links"))


def append(connection: Connection, chain: str, ids: Iterable[int], key: bytes | None = None) -> int:
    """Append the rows ``ids`` of ``chain`` (those that exist and are not chained yet), in id order; how many."""
    wanted = sorted(set(ids))
    if not wanted:
        return 0
    postgresql = connection.dialect.name == "postgresql"
    together = _unchained_rows_and_head(connection, chain, wanted) if postgresql else None
    rows, head = together if together is not None else (_unchained_rows(connection, chain, wanted), None)
    fresh = [row for row in rows if chain != "orders" or row["status"] == OrderStatus.SIGNED.value]
    if not fresh:
        return 0
    key = key if key is not None else chain_key()
    seq, previous = head if head is not None else _locked_head(connection, chain)
    new_links = []
    now = utcnow()
    for row in fresh:
        seq += 1
        content = content_sha256(chain, row)
        current = chain_hash(chain, seq, row["id"], previous, content)
        new_links.append({"chain": chain, "seq": seq, "record_id": row["id"], "content_sha256": content,
                          "previous_hash": previous, "chain_hash": current, "seal": seal(key, current),
                          "created_at": now})
        previous = current
    sealed = head_seal(key, chain, seq, previous)
    if postgresql and len(new_links) <= CACHED_LINKS:  # the links and the head in one statement, built once
        parameters = {f"link_{name}_{n}": link[name] for n, link in enumerate(new_links) for name in LINK_COLUMNS}
        parameters.update(head_chain=chain, head_seq=seq, head_hash=previous, head_seal=sealed, head_at=now)
        connection.execute(_links_and_head_statement(len(new_links)), parameters)
        return len(new_links)
    move_head = HEADS.update().where(HEADS.c.chain == chain).values(
        seq=seq, chain_hash=previous, seal=sealed, updated_at=now)
    if postgresql:  # the links and the head in one statement (a data-modifying WITH)
        connection.execute(move_head.add_cte(LINKS.insert().values(new_links).cte("new_links")))
    else:
        connection.execute(LINKS.insert(), new_links)
        connection.execute(move_head)
    return len(new_links)


# --- the session's side: note on flush, append on commit ----------------------------------------------------


def _newly_signed(obj: object) -> bool:
    return (isinstance(obj, Order) and obj.status == OrderStatus.SIGNED.value
            and bool(attributes.get_history(obj, "status").added))


@event.listens_for(Session, "after_flush")
def _note_chained_rows(session: Session, _context: object) -> None:
    pending: dict[str, set[int]] = session.info.setdefault(PENDING, {})
    for obj in session.new:
        chain = _ENTRY_CHAINS.get(type(obj))
        if chain is not None and getattr(obj, "id", None) is not None:
            pending.setdefault(chain, set()).add(obj.id)
    for obj in list(session.new) + list(session.dirty):
        if _newly_signed(obj) and getattr(obj, "id", None) is not None:
            pending.setdefault("orders", set()).add(obj.id)


@event.listens_for(Session, "before_commit")
def _append_on_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a SAVEPOINT released: the rows join when the transaction commits
        return
    session.flush()
    pending: dict[str, set[int]] = session.info.pop(PENDING, {})
    if not any(pending.values()):
        return
    connection = session.connection()
    key = chain_key()
    for chain in CHAINS:  # always in this order: one lock order for every commit
        append(connection, chain, pending.get(chain, ()), key)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    """The transaction rolled back: its rows are gone. A SAVEPOINT rolled back keeps the notes (``append`` skips the
    rows that no longer exist)."""
    if previous_transaction.parent is None and not previous_transaction.nested:
        session.info.pop(PENDING, None)
