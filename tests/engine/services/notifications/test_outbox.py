"""A notification is written with the step that caused it, once per event, to people who can be told; its e-mail
follows the person's choice for the kind (engine.services.notifications)."""
from __future__ import annotations

from sqlalchemy import func, select

from engine.db.models import EmailState, Notification
from engine.db.types import utcnow
from engine.services.notifications import kinds
from engine.services.notifications.outbox import notify, notify_many
from engine.services.notifications.preferences import set_choices
from engine.services.people.actor import load_actor
from tests import factories as f


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Notification))


def test_one_event_is_told_once_and_a_rolled_back_step_tells_nobody(db_session, mail_on):
    mentor = f.make_person(db_session, email="volkov@example.ru")
    db_session.commit()
    made = notify(db_session, mentor.id, kinds.REPORT_RETURNED, "Отчёт по этапу «Диагностика» возвращён",
                  link="/programs/1", key="report_returned:1:diagnosis:1")
    again = notify(db_session, mentor.id, kinds.REPORT_RETURNED, "Отчёт возвращён", key="report_returned:1:diagnosis:1")
    assert made is not None and again is None
    assert made.email_state == EmailState.PENDING.value
    db_session.rollback()
    assert _count(db_session) == 0


def test_choices_route_the_email_and_the_inactive_are_not_told(db_session, mail_on):
    mentor = f.make_person(db_session, email="volkov@example.ru")
    without_mail = f.make_person(db_session, email=None)
    gone = f.make_person(db_session, email="gone@example.ru", is_active=False)
    db_session.commit()
    set_choices(db_session, load_actor(db_session, mentor.login), mentor.id,
                {kinds.TASK_ASSIGNED: "digest", kinds.STAGE_OVERDUE: "none"})
    told = notify_many(db_session, [mentor.id, without_mail.id, gone.id, mentor.id], kinds.TASK_ASSIGNED,
                       "Новая задача", key="task:1")
    assert [(n.person_id, n.email_state) for n in told] == [
        (mentor.id, EmailState.IN_DIGEST.value), (without_mail.id, EmailState.NOT_WANTED.value)]
    overdue = notify(db_session, mentor.id, kinds.STAGE_OVERDUE, "Срок этапа прошёл")
    assert overdue is not None and overdue.email_state == EmailState.NOT_WANTED.value
    assert overdue.created_at <= utcnow()
