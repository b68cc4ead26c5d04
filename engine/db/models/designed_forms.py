"""Forms methodologists design in the browser (form-js schemas): their versions, the version each deployed
process version pins, and the answers given on them (``engine.forms.designed``, migration 0023)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base, check_in
from engine.db.models.rulefiles import VersionStatus
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Person


class DesignedForm(Base):
    """One version of a designed form. A ``draft`` is edited in place; deploying it makes it immutable (a next
    save starts the next version's draft). ``organization_id``: the methodologist's organization that owns it."""

    __tablename__ = "designed_forms"
    __table_args__ = (
        UniqueConstraint("organization_id", "key", "version"),
        check_in("status", VersionStatus, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))  # a user task names it "designed:<key>"
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255))
    schema: Mapped[dict[str, Any]] = mapped_column(JSON)  # the form-js schema
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=VersionStatus.DRAFT.value)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deployed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[Person | None] = relationship()


class DesignedFormPin(Base):
    """The designed form version a process version's user tasks use, fixed when the process is deployed."""

    __tablename__ = "designed_form_pins"
    __table_args__ = (UniqueConstraint("definition_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    form_id: Mapped[int] = mapped_column(ForeignKey("designed_forms.id"))

    form: Mapped[DesignedForm] = relationship()


class DesignedFormAnswer(Base):
    """The answers one completed step gave on a designed form (the program page lists them)."""

    __tablename__ = "designed_form_answers"
    __table_args__ = (Index("ix_designed_form_answers_instance", "instance_id", "answered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instances.id", ondelete="CASCADE"))
    form_id: Mapped[int] = mapped_column(ForeignKey("designed_forms.id"))
    task_id: Mapped[str] = mapped_column(String(36))
    step_name: Mapped[str] = mapped_column(String(500))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    form: Mapped[DesignedForm] = relationship()
    answered_by: Mapped[Person | None] = relationship()
