"""The audit trail and the personal-data access log are append-only."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError

from engine.db import ImmutableRecordError
from engine.db.models import AccessLogEntry, AuditEntry, log_access, record_audit
from tests import factories as f


def test_audit_entry_cannot_be_updated_or_deleted_through_the_orm(db_session):
    entry = record_audit(db_session, "order.signed", object_type="order", object_id=7, details={"n": 1})
    db_session.commit()
    entry.action = "order.refused"
    with pytest.raises(ImmutableRecordError):
        db_session.flush()
    db_session.rollback()
    db_session.delete(entry)
    with pytest.raises(ImmutableRecordError):
        db_session.flush()
    db_session.rollback()
    assert db_session.scalars(select(AuditEntry.action)).all() == ["order.signed"]


def test_access_log_cannot_be_updated_or_deleted_through_the_orm(db_session):
    entry = log_access(db_session, f.make_person(db_session), "profile")
    db_session.commit()
    entry.purpose = "nothing"
    with pytest.raises(ImmutableRecordError):
        db_session.flush()
    db_session.rollback()
    db_session.delete(entry)
    with pytest.raises(ImmutableRecordError):
        db_session.flush()


def test_appending_more_entries_is_fine(db_session):
    for i in range(3):
        record_audit(db_session, f"step.{i}", object_type="program", object_id=1)
    db_session.commit()
    record_audit(db_session, "step.3", object_type="program", object_id=1)
    db_session.commit()
    assert len(db_session.scalars(select(AuditEntry)).all()) == 4


@pytest.mark.parametrize("table", ["audit_entries", "access_log"])
def test_trails_are_append_only_in_the_database_too(db_session, table):
    subject = f.make_person(db_session)
    record_audit(db_session, "x", object_type="y")
    log_access(db_session, subject, "profile")
    db_session.commit()
    column = "action" if table == "audit_entries" else "purpose"
    with pytest.raises(IntegrityError, match="immutable"):
        db_session.execute(text(f"UPDATE {table} SET {column} = 'z'"))
    db_session.rollback()
    model = AuditEntry if table == "audit_entries" else AccessLogEntry
    with pytest.raises(IntegrityError, match="immutable"):
        db_session.execute(delete(model))
    db_session.rollback()
