"""Regulation packs as methodologists edit them: every saved state of a pack's own files (pack.yaml,
roadmaps/, orders/) is a numbered version per pack; the deployed version is the one the process runs (the
folders under ``rules/`` are version 1 of each). The pack's rulesets/ files are versioned as rule files
(``rulefiles.RuleFileVersion``); a pack version names them (``rule_files``) and takes their deployed texts."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base, check_in
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Person


class PackVersionStatus(enum.StrEnum):
    """Saved and checked, not in use (draft); in use for new work (deployed, one per pack); in use before
    another version was deployed (superseded; may be deployed again)."""

    DRAFT = "draft"
    DEPLOYED = "deployed"
    SUPERSEDED = "superseded"


PACK_VERSION_STATUS_LABELS: dict[str, str] = {
    PackVersionStatus.DRAFT: "черновик",
    PackVersionStatus.DEPLOYED: "действует",
    PackVersionStatus.SUPERSEDED: "заменена",
}


class RegulationPackVersion(Base):
    __tablename__ = "regulation_pack_versions"
    __table_args__ = (
        UniqueConstraint("pack_id", "version"),
        check_in("status", PackVersionStatus, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(64), index=True)  # the folder name under rules/: 'tomsk'
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per pack
    files: Mapped[dict[str, str]] = mapped_column(JSON)  # {"pack.yaml": text, "roadmaps/x.yaml": text, ...}
    rule_files: Mapped[list[str]] = mapped_column(JSON)  # names under rulesets/ (texts: rule file versions)
    digest: Mapped[str] = mapped_column(String(64))  # engine.regulations.loader.pack_digest of ``files``
    status: Mapped[str] = mapped_column(String(16), default=PackVersionStatus.DRAFT.value)
    base_version: Mapped[int | None] = mapped_column(Integer)  # the version it was edited from
    note: Mapped[str | None] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    deployed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))

    saved_by: Mapped[Person | None] = relationship(foreign_keys=[saved_by_id])
    deployed_by: Mapped[Person | None] = relationship(foreign_keys=[deployed_by_id])

    @property
    def status_label(self) -> str:
        return PACK_VERSION_STATUS_LABELS.get(self.status, self.status)
