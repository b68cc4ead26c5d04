"""Files people attach to their work (a note's evidence for a roadmap event, a stage report).

The bytes live in the database next to the rows they belong to, so a backup or a rollback never
separates a record from its evidence; size and type limits are enforced by the service that stores them.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Organization, Person
    from engine.db.models.program import Program, RoadmapEventRecord, StageReport


class StoredFile:
    """The columns of a file kept in the database (the bytes deferred: loaded only when read), shared by the
    attachments of programs and the files of practices (``engine.db.models.recognition.PracticeFile``); the table's
    CHECK ``size_not_negative`` goes with them."""

    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attachment(StoredFile, Base):
    __tablename__ = "attachments"
    __table_args__ = (CheckConstraint("size_bytes >= 0", name="size_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    event_record_id: Mapped[int | None] = mapped_column(ForeignKey("roadmap_events.id"), index=True)
    stage_report_id: Mapped[int | None] = mapped_column(ForeignKey("stage_reports.id"), index=True)

    organization: Mapped[Organization] = relationship()
    program: Mapped[Program] = relationship()
    event_record: Mapped[RoadmapEventRecord | None] = relationship()
    stage_report: Mapped[StageReport | None] = relationship()
    uploaded_by: Mapped[Person | None] = relationship()
