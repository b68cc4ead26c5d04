"""API tokens (other school systems call ``/api/v1`` as a person, with that person's roles) and one-time
account links (an invitation to set one's password, a reset).

Only a SHA-256 of the token is stored; the token itself is shown once, when it is issued.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base, check_in
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Person


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))  # what it is for, e.g. «Электронный журнал школы № 8»
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # the first characters, to recognise a token in lists
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()


class AccountLinkPurpose(enum.StrEnum):
    INVITATION = "invitation"  # the first password of a person the administrator created
    PASSWORD_RESET = "password_reset"  # a new password, the administrator's reset


class AccountLink(Base):
    """A one-time, expiring link to set one's password (an invitation or a reset by the administrator).

    Only a SHA-256 of the link's token is stored; the link is shown to the administrator once (e-mail delivery
    comes with the notifications). Using it, or issuing a newer link for the same person, ends it."""

    __tablename__ = "account_links"
    __table_args__ = (check_in("purpose", AccountLinkPurpose, "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
