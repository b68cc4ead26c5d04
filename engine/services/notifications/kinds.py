"""The kinds of notification: what each tells, what a person chooses for its e-mail by default.

A kind's ``label`` names it on the person's settings page («Уведомления»); ``acts`` says whether the person must do
something (a task, a signature, a consent) or only know. Every kind is e-mailed at once unless the person chooses
the daily digest or no e-mail (``preferences``).
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.db.models import EmailChoice


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str
    acts: bool
    default_email: EmailChoice = EmailChoice.IMMEDIATE


TASK_ASSIGNED = "task_assigned"
STAGE_DUE_SOON = "stage_due_soon"
STAGE_OVERDUE = "stage_overdue"
REPORT_RETURNED = "report_returned"
REPORT_ACCEPTED = "report_accepted"
CONSENT_REQUESTED = "consent_requested"
ORDER_AWAITING_SIGNATURE = "order_awaiting_signature"
ORDER_DECIDED = "order_decided"
MENTOR_TERM_ENDING = "mentor_term_ending"
PETITION_DECIDED = "petition_decided"
JOB_INCIDENT = "job_incident"
COUNCIL_DECISIONS_AWAITING = "council_decisions_awaiting"  # the council's adopted decisions await the head (000 §4.3)

KINDS: dict[str, NotificationKind] = {kind.code: kind for kind in (
    NotificationKind(TASK_ASSIGNED, "Новая задача для вас", acts=True),
    NotificationKind(STAGE_DUE_SOON, "Скоро срок этапа программы", acts=True),
    NotificationKind(STAGE_OVERDUE, "Срок этапа программы прошёл", acts=True),
    NotificationKind(REPORT_RETURNED, "Отчёт возвращён на доработку", acts=True),
    NotificationKind(REPORT_ACCEPTED, "Отчёт принят", acts=False, default_email=EmailChoice.DIGEST),
    NotificationKind(CONSENT_REQUESTED, "Нужно ваше согласие", acts=True),
    NotificationKind(ORDER_AWAITING_SIGNATURE, "Приказ ждёт вашей подписи", acts=True),
    NotificationKind(ORDER_DECIDED, "Приказ подписан или не подписан", acts=False, default_email=EmailChoice.DIGEST),
    NotificationKind(MENTOR_TERM_ENDING, "Заканчивается срок назначения наставника", acts=False),
    NotificationKind(PETITION_DECIDED, "Ходатайство рассмотрено", acts=False),
    NotificationKind(JOB_INCIDENT, "Сбой фоновой работы (инцидент)", acts=True),
    NotificationKind(COUNCIL_DECISIONS_AWAITING, "Решения совета наставников ждут согласования", acts=True),
)}


def kind_of(code: str) -> NotificationKind:
    """The kind ``code`` names; an unknown code is a mistake of the code that notifies."""
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown notification kind {code!r}") from None
