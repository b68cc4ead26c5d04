"""Optimistic locking of workflow instances: two concurrent completions → one StaleDataError."""
from __future__ import annotations

import pytest
from sqlalchemy.orm.exc import StaleDataError

from engine.db.models import WorkflowInstance
from tests import factories as f


def test_second_concurrent_commit_is_stale(db_session_factory):
    with db_session_factory() as setup:
        instance_id = f.make_instance(setup, state='{"step": 0}').id
        setup.commit()

    first, second = db_session_factory(), db_session_factory()
    try:
        a = first.get(WorkflowInstance, instance_id)
        b = second.get(WorkflowInstance, instance_id)
        assert a.version == b.version == 1
        a.state = '{"step": "curator approved"}'
        b.state = '{"step": "head approved"}'
        first.commit()
        with pytest.raises(StaleDataError):
            second.commit()
        second.rollback()
    finally:
        first.close()
        second.close()

    with db_session_factory() as check:
        stored = check.get(WorkflowInstance, instance_id)
        assert stored.state == '{"step": "curator approved"}'
        assert stored.version == 2
        stored.status = "completed"  # a fresh read can write again
        check.commit()
        assert stored.version == 3
