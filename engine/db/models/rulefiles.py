"""Rule files edited in the browser: every saved text is a numbered version per file; a deployed
version is the one the rule registry runs (the files under ``rules/`` are version 1 of each)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base, check_in
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Person


class VersionStatus(enum.StrEnum):
    """Saved (checked, not yet in use) or deployed (new work uses it); shared with process definitions."""

    DRAFT = "draft"
    DEPLOYED = "deployed"


class RuleFileVersion(Base):
    __tablename__ = "rule_file_versions"
    __table_args__ = (
        UniqueConstraint("file_name", "version"),
        UniqueConstraint("file_name", "sha256"),
        check_in("status", VersionStatus, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))  # e.g. 'mentor_eligibility_tomsk.yaml'
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per file
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=VersionStatus.DRAFT.value)
    comment: Mapped[str | None] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    deployed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))

    saved_by: Mapped[Person | None] = relationship(foreign_keys=[saved_by_id])
    deployed_by: Mapped[Person | None] = relationship(foreign_keys=[deployed_by_id])
