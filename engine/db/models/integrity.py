"""The chains that make the audit trail, the access log and the signed orders tamper-evident
(``engine.integrity.canonical`` says how a link is computed, ``engine.db.chain`` appends them on commit).

``ChainLink``: one row per chained record (an audit entry, an access-log entry, a signed order), numbered per chain;
append-only like the trails (mapper events and database triggers refuse UPDATE, DELETE and, on PostgreSQL,
TRUNCATE). ``ChainHead``: per chain, the number and hash of its last link with their seal; it moves on with every
commit that appends (its row is the lock that serialises appending).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, check_in
from engine.db.errors import ImmutableRecordError
from engine.db.types import UTCDateTime, utcnow

CHAIN_NAMES = ("audit", "access", "orders")


class ChainLink(Base):
    __tablename__ = "chain_links"
    __table_args__ = (
        UniqueConstraint("chain", "seq"),
        Index("ix_chain_links_record", "chain", "record_id", unique=True),
        check_in("chain", CHAIN_NAMES, "chain"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)  # 1, 2, 3… within the chain
    record_id: Mapped[int] = mapped_column(Integer)  # the row's id in the chain's table
    content_sha256: Mapped[str] = mapped_column(String(64))
    previous_hash: Mapped[str] = mapped_column(String(64))
    chain_hash: Mapped[str] = mapped_column(String(64))
    seal: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 of chain_hash with the server's chain key
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChainHead(Base):
    __tablename__ = "chain_heads"
    __table_args__ = (check_in("chain", CHAIN_NAMES, "chain"),)

    chain: Mapped[str] = mapped_column(String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)  # the last link's number (0: empty chain)
    chain_hash: Mapped[str] = mapped_column(String(64))
    seal: Mapped[str | None] = mapped_column(String(64))  # None until the first append
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def _refuse(_mapper: object, _connection: object, target: ChainLink) -> None:
    raise ImmutableRecordError("звенья цепочки только добавляются", where=f"chain_links.{target.id}")


event.listen(ChainLink, "before_update", _refuse)
event.listen(ChainLink, "before_delete", _refuse)
