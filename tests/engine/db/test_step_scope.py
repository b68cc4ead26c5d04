"""A step's scope: what a step read once it does not read again, its audit trail is written together at its end,
and nothing of a step that fails (or of a SAVEPOINT rolled back inside it) is written."""
from __future__ import annotations

import gc

import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, Person, record_audit
from engine.db.step_scope import current_scope, step_scope
from tests import factories as f
from tests.statements import counted_statements


def _entries(session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "test")
                                .order_by(AuditEntry.id)))


def test_a_person_read_by_one_hook_is_not_read_again_by_the_next(db_session, db_engine):
    person_id = f.make_person(db_session).id
    db_session.commit()
    db_session.expunge_all()
    with step_scope(db_session):
        with counted_statements(db_engine) as first:
            assert db_session.get(Person, person_id) is not None  # one hook reads the person and lets it go
        gc.collect()
        with counted_statements(db_engine) as again:
            assert db_session.get(Person, person_id).id == person_id  # the next finds it held
    assert len(first) == 1 and len(again) == 0
    assert current_scope(db_session) is None


def test_the_steps_audit_entries_are_written_together_at_its_end(db_session, db_engine):
    with step_scope(db_session) as scope:
        record_audit(db_session, "test.first", object_type="test")
        db_session.flush()  # a hook's own flush does not write them yet
        record_audit(db_session, "test.second", object_type="test")
        assert _entries(db_session) == []
        scope.write(db_session)
        with counted_statements(db_engine) as written:
            db_session.flush()
    assert _entries(db_session) == ["test.first", "test.second"]
    inserts = [s for s in written.sql if s.startswith("INSERT INTO audit_entries")]
    assert len(inserts) == (1 if db_engine.dialect.name == "postgresql" else 2)  # SQLite: one RETURNING each


def _failing_step(session) -> None:
    with step_scope(session):
        record_audit(session, "test.failed", object_type="test")
        raise RuntimeError("the step failed")


def _undone_savepoint(session) -> None:
    with session.begin_nested():
        record_audit(session, "test.undone", object_type="test")
        raise RuntimeError("the savepoint is rolled back")


def test_a_step_that_fails_leaves_no_entry_behind(db_session):
    with pytest.raises(RuntimeError):
        _failing_step(db_session)
    record_audit(db_session, "test.after", object_type="test")  # outside a step: added at once, as ever
    db_session.flush()
    assert _entries(db_session) == ["test.after"]


def test_an_entry_recorded_in_a_savepoint_goes_with_it(db_session):
    with step_scope(db_session) as scope:
        record_audit(db_session, "test.kept", object_type="test")
        with pytest.raises(RuntimeError):
            _undone_savepoint(db_session)
        scope.write(db_session)
        db_session.flush()
    assert _entries(db_session) == ["test.kept"]
    assert db_session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "test.undone")) == 0
