"""Append-only trails: the audit trail (who did what) and the personal-data access log (who saw
whose data, 152-ФЗ). Rows are written once: mapper events refuse updates and deletes
(``ImmutableRecordError``) and database triggers refuse them outside the ORM."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from engine.db.base import Base
from engine.db.errors import ImmutableRecordError
from engine.db.step_scope import current_scope
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Organization, Person


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)  # None = system
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))  # e.g. 'order.signed', 'task.completed'
    object_type: Mapped[str] = mapped_column(String(64))  # e.g. 'order', 'program', 'workflow_instance'
    object_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    actor: Mapped[Person | None] = relationship()
    organization: Mapped[Organization | None] = relationship()


class AccessLogEntry(Base):
    """Someone (``viewer``) saw personal data of ``subject`` for ``purpose`` (152-ФЗ)."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_subject_at", "subject_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    viewer_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)  # None = system job
    subject_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    purpose: Mapped[str] = mapped_column(String(64))  # e.g. 'profile', 'registry_export', 'rules_check'
    fields: Mapped[list[str] | None] = mapped_column(JSON)  # which attributes were shown

    viewer: Mapped[Person | None] = relationship(foreign_keys=[viewer_id])
    subject: Mapped[Person] = relationship(foreign_keys=[subject_id])


def _refuse_update(_mapper, _connection, target) -> None:
    raise ImmutableRecordError("записи журнала только добавляются: изменять нельзя",
                               where=f"{target.__tablename__}.{target.id}")


def _refuse_delete(_mapper, _connection, target) -> None:
    raise ImmutableRecordError("записи журнала только добавляются: удалять нельзя",
                               where=f"{target.__tablename__}.{target.id}")


for _cls in (AuditEntry, AccessLogEntry):
    event.listen(_cls, "before_update", _refuse_update)
    event.listen(_cls, "before_delete", _refuse_delete)


def _object_ref(obj) -> tuple[str | None, str | None]:
    if obj is None:
        return None, None
    return getattr(obj, "__tablename__", type(obj).__name__), (str(obj.id) if getattr(obj, "id", None) else None)


def record_audit(
    session: Session,
    action: str,
    *,
    actor: Person | int | None = None,
    obj: Any = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    organization: Organization | int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to ``session`` (flushed with the caller's transaction; within a step of an instance, at the
    step's end with the step's other entries: ``engine.db.step_scope``)."""
    ref_type, ref_id = _object_ref(obj)
    entry = AuditEntry(
        action=action,
        actor_id=getattr(actor, "id", actor),
        organization_id=getattr(organization, "id", organization),
        object_type=object_type or ref_type or "-",
        object_id=str(object_id) if object_id is not None else ref_id,
        details=details,
    )
    scope = current_scope(session)
    if scope is not None and not session.in_nested_transaction():  # a SAVEPOINT's entry goes (or stays) with it
        scope.audit.append(entry)
    else:
        session.add(entry)
    return entry


def log_shown(session: Session, subjects: Iterable[Person | int], purpose: str, *, viewer: int | None,
              fields: list[str]) -> None:
    """``log_access`` for every person a page or a file shows, once each, in the order shown; the viewer's own data
    is not «access»."""
    for subject_id in dict.fromkeys(getattr(subject, "id", subject) for subject in subjects):
        if subject_id != viewer:
            log_access(session, subject_id, purpose, viewer=viewer, fields=fields)


def log_access(
    session: Session,
    subject: Person | int,
    purpose: str,
    *,
    viewer: Person | int | None = None,
    fields: list[str] | None = None,
) -> AccessLogEntry:
    """Record that ``viewer`` saw ``subject``'s personal data. A ``purpose`` longer than its column (a step page
    names its task: «шаг «Рассмотреть заявление наставника о сложении обязанностей» процесса №4») is cut with «…»
    instead of failing the page on PostgreSQL."""
    limit = getattr(AccessLogEntry.__table__.c.purpose.type, "length", None) or len(purpose)
    entry = AccessLogEntry(
        subject_id=getattr(subject, "id", subject),
        viewer_id=getattr(viewer, "id", viewer),
        purpose=purpose if len(purpose) <= limit else purpose[:limit - 1] + "…",
        fields=list(fields) if fields is not None else None,
    )
    session.add(entry)
    return entry
