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
COUNCIL_SESSION_SCHEDULED = "council_session_scheduled"  # the members: a session and its agenda (000 §4.1)
COUNCIL_VOTING_OPEN = "council_voting_open"  # the members present: the session is held, vote (000 §4.2)
COUNCIL_SECRETARY_ELECTED = "council_secretary_elected"  # the secretary: record and draw up the protocol (000 §5.1)
CONTEST_NOMINATED = "contest_nominated"  # a mentor: nominated for the best-mentor contest
CONTEST_VOTING_OPEN = "contest_voting_open"  # the jurors: score the nominees
CONTEST_VOTES_IN = "contest_votes_in"  # the curators: every juror scored every nominee, compute the result
PRACTICE_SUBMITTED = "practice_submitted"  # the curators: a practice or case awaits review (002 §3.2)
PRACTICE_APPROVED = "practice_approved"  # the author: approved into the bank
PRACTICE_RETURNED = "practice_returned"  # the author: returned with the curator's comment
PLAN_CORRECTION_PROPOSED = "plan_correction_proposed"  # the other participants: agree or return (003 §7.2)
PLAN_CORRECTION_AGREED = "plan_correction_agreed"  # the curators: agreed by all participants, approve or return
PLAN_CORRECTION_APPROVED = "plan_correction_approved"  # the proposer: the plan changed
PLAN_CORRECTION_RETURNED = "plan_correction_returned"  # the proposer: returned with a reason

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
    NotificationKind(COUNCIL_SESSION_SCHEDULED, "Назначена сессия совета наставников", acts=False),
    NotificationKind(COUNCIL_VOTING_OPEN, "Открыто голосование на сессии совета наставников", acts=True),
    NotificationKind(COUNCIL_SECRETARY_ELECTED, "Вы избраны секретарём сессии совета наставников", acts=True),
    NotificationKind(CONTEST_NOMINATED, "Вас выдвинули на конкурс «Лучший наставник»", acts=False),
    NotificationKind(CONTEST_VOTING_OPEN, "Открыто голосование жюри конкурса", acts=True),
    NotificationKind(CONTEST_VOTES_IN, "Жюри конкурса проголосовало: можно подвести итоги", acts=True),
    NotificationKind(PRACTICE_SUBMITTED, "Практика ждёт рассмотрения", acts=True),
    NotificationKind(PRACTICE_APPROVED, "Практика принята в банк практик", acts=False,
                     default_email=EmailChoice.DIGEST),
    NotificationKind(PRACTICE_RETURNED, "Практика возвращена на доработку", acts=True),
    NotificationKind(PLAN_CORRECTION_PROPOSED, "Корректировка плана ждёт вашего согласия", acts=True),
    NotificationKind(PLAN_CORRECTION_AGREED, "Корректировка плана ждёт утверждения", acts=True),
    NotificationKind(PLAN_CORRECTION_APPROVED, "Корректировка плана утверждена", acts=False),
    NotificationKind(PLAN_CORRECTION_RETURNED, "Корректировка плана возвращена", acts=True),
)}


def kind_of(code: str) -> NotificationKind:
    """The kind ``code`` names; an unknown code is a mistake of the code that notifies."""
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown notification kind {code!r}") from None
