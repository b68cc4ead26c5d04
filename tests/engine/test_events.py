"""The domain tells its watchers (metrics) what happened only when it happened: at the commit of the transaction,
never for work rolled back — a whole transaction or just a savepoint — and a watcher that fails breaks nothing."""
from __future__ import annotations

from engine import events
from engine.db.models import record_audit
from engine.errors import NastavnikError
from engine.events import emit
from engine.services.jobs.queue import enqueue
from engine.services.jobs.runner import Outcome, run_job
from engine.services.jobs.table import JobTable
from engine.services.notifications.outbox import notify
from tests import factories as f


def _watched(session) -> list[events.Event]:
    seen: list[events.Event] = []
    session.info[events.SESSION_KEY].subscribe(seen.append)
    return seen


def _told(seen, name):
    return [(dict(e.labels), e.amount) for e in seen if e.name == name]


def test_a_notification_is_told_when_its_transaction_commits_and_not_when_it_is_rolled_back(db_session):
    mentor = f.make_person(db_session, login="mentor", full_name="Смирнова Ольга Ивановна")
    db_session.commit()
    seen = _watched(db_session)
    notify(db_session, mentor.id, "task_assigned", "Новая задача: отчёт за этап 1")
    assert seen == []  # not yet: the step may still fail
    db_session.commit()
    assert _told(seen, events.NOTIFICATION) == [({"kind": "task_assigned"}, 1.0)]
    notify(db_session, mentor.id, "task_assigned", "Новая задача, которой не будет")
    db_session.rollback()
    db_session.commit()
    assert len(_told(seen, events.NOTIFICATION)) == 1


def test_a_savepoint_rolled_back_forgets_only_its_own_events(db_session):
    seen = _watched(db_session)
    emit(db_session, events.STEP, process="program", kind="task")
    savepoint = db_session.begin_nested()
    emit(db_session, events.INCIDENT, source="job", kind="send_email")
    savepoint.rollback()
    with db_session.begin_nested():  # released: its event waits for the transaction
        emit(db_session, events.EMAIL, outcome="sent")
    assert seen == []
    db_session.commit()
    assert [e.name for e in seen] == [events.STEP, events.EMAIL]


def test_a_failing_watcher_breaks_neither_the_work_nor_the_other_watchers(db_session):
    def broken(_event):
        raise RuntimeError("exporter down")

    db_session.info[events.SESSION_KEY].subscribe(broken)
    seen = _watched(db_session)
    emit(db_session, events.EMAIL, outcome="sent")
    db_session.commit()
    assert _told(seen, events.EMAIL) == [({"outcome": "sent"}, 1.0)]


def test_jobs_are_told_done_retried_and_incidents(db_session):
    table = JobTable()
    tries = [1]

    def flaky(session, job, now):
        record_audit(session, "job.effect", details={"job": job.id})
        if tries[0] > 0:
            tries[0] -= 1
            raise NastavnikError("почтовый сервер не отвечает", where="smtp")

    def hopeless(session, job, now):
        raise NastavnikError("адрес не существует", where="smtp")

    table.handle("flaky", flaky)
    table.handle("hopeless", hopeless)
    first = enqueue(db_session, "flaky", "flaky:1")
    second = enqueue(db_session, "hopeless", "hopeless:1", max_attempts=1)
    db_session.commit()
    seen = _watched(db_session)
    from datetime import timedelta

    from engine.db.types import utcnow
    now = utcnow()
    assert run_job(db_session, table, first, now=now) is Outcome.RETRY
    assert run_job(db_session, table, first, now=now + timedelta(hours=1)) is Outcome.DONE
    assert run_job(db_session, table, second, now=now) is Outcome.INCIDENT
    assert _told(seen, events.JOB) == [({"kind": "flaky", "outcome": "retry"}, 1.0),
                                       ({"kind": "flaky", "outcome": "done"}, 1.0),
                                       ({"kind": "hopeless", "outcome": "incident"}, 1.0)]
    assert _told(seen, events.INCIDENT) == [({"source": "job", "kind": "hopeless"}, 1.0)]


def test_nothing_is_kept_without_a_watcher(db_session):
    emit(db_session, events.STEP, process="program", kind="task")
    assert "nastavnik.events.pending" not in db_session.info
