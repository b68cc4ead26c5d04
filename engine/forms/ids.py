"""The form ids of the shipped diagrams (``workflows/*.bpmn``, userTask property ``form``)."""
from __future__ import annotations

import enum


class FormId(enum.StrEnum):
    """What a person fills in at a user task; a plain string wherever a form id is stored."""

    PROPOSE_MENTOR = "propose_mentor"  # куратор: кандидат в наставники (mentor_appointment)
    SIGN_ORDER = "sign_order"  # руководитель: подписать приказ или отказать
    ACKNOWLEDGE_REMINDER = "acknowledge_reminder"  # куратор, наставник: напоминание получено
    PROPOSE_PAIR = "propose_pair"  # куратор: наставник и наставляемые (pair_formation)
    GIVE_CONSENT = "give_consent"  # наставник, наставляемый: согласие на участие в паре
    STAGE_WORK = "stage_work"  # наставник: мероприятия этапа и справка (program_lifecycle)
    REVIEW_STAGE_REPORT = "review_stage_report"  # куратор: принять справку или вернуть
    HANDLE_ESCALATION = "handle_escalation"  # куратор: меры по просроченному этапу
    DECIDE_PETITION = "decide_petition"  # куратор: решение по ходатайству
    AGREE_EXTENSION = "agree_extension"  # наставник, наставляемый: согласие на продление
    PETITION_EXTENSION = "petition_extension"  # куратор: ходатайство о продлении
    COMPLETE_PROGRAM = "complete_program"  # куратор: итоги программы
    MONITORING_REPORT = "monitoring_report"  # куратор: мониторинг к дате календаря (001 §2.4)
    BASE_REVIEW = "base_review"  # куратор: сверка базы наставников и наставляемых (001 §4.2)
