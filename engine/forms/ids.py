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
    REPLACE_MENTOR = "replace_mentor"  # куратор: программа без наставника — новый наставник или завершение (003 §4.1)
    MONITORING_REPORT = "monitoring_report"  # куратор: мониторинг к дате календаря (001 §2.4)
    BASE_REVIEW = "base_review"  # куратор: сверка базы наставников и наставляемых (001 §4.2)
    MENTOR_PERIOD_REPORT = "mentor_period_report"  # наставник: отчёт к 10 июня и 10 декабря (003 п. 3)
    MENTOR_REPORT_OVERDUE = "mentor_report_overdue"  # куратор: меры по непредставленному отчёту наставника
    ROADMAP_EVENT_DONE = "roadmap_event_done"  # куратор или руководитель: мероприятие дорожной карты выполнено (school_roadmap)
    ROADMAP_OVERDUE = "roadmap_overdue"  # руководитель: меры по просроченному мероприятию (шагу) дорожной карты
    ROADMAP_INTERIM_ANALYSIS = "roadmap_interim_analysis"  # куратор: промежуточный анализ (004 прил. 2 п. 7.2)
    ROADMAP_COMPLETION = "roadmap_completion"  # куратор: мониторинг и завершение года (004 прил. 2 п. 8.1)
    FORM_NETWORK_GROUP = "form_network_group"  # куратор: сетевой наставник и стажёры его направления (004 III.4)
    MENTOR_WORK_PLAN = "mentor_work_plan"  # сетевой наставник: план работы со стажёрами (004 III.5)
    DEVELOPMENT_PLAN = "development_plan"  # стажёр: индивидуальный план профессионального развития (004 IV.3)
    ACCEPT_DEVELOPMENT_PLAN = "accept_development_plan"  # сетевой наставник: согласовать план или вернуть (004 IV.1)
    TRAINEE_REVIEW = "trainee_review"  # сетевой наставник: отзыв о стажёре в конце учебного года (004 IV.1)


# Who fills each system form: the roles (the lanes' roles, ``engine.workflow.bpmn_xml.ROLE_BY_LANE``) whose pages
# open it. A user task naming the form on another role's lane would wait for someone who has no page for it, so
# ``workflow check`` refuses it (``registry.form_problem``).
FORM_ROLES: dict[str, frozenset[str]] = {form: frozenset(roles) for form, roles in {
    FormId.PROPOSE_MENTOR: ("curator",), FormId.SIGN_ORDER: ("head",),
    FormId.ACKNOWLEDGE_REMINDER: ("curator", "mentor"), FormId.PROPOSE_PAIR: ("curator",),
    FormId.GIVE_CONSENT: ("mentor", "mentee"), FormId.STAGE_WORK: ("mentor",),
    FormId.REVIEW_STAGE_REPORT: ("curator",), FormId.HANDLE_ESCALATION: ("curator",),
    FormId.DECIDE_PETITION: ("curator",), FormId.AGREE_EXTENSION: ("mentor", "mentee"),
    FormId.PETITION_EXTENSION: ("curator",), FormId.COMPLETE_PROGRAM: ("curator",),
    FormId.REPLACE_MENTOR: ("curator",), FormId.MONITORING_REPORT: ("curator",), FormId.BASE_REVIEW: ("curator",),
    FormId.MENTOR_PERIOD_REPORT: ("mentor",), FormId.MENTOR_REPORT_OVERDUE: ("curator",),
    FormId.ROADMAP_EVENT_DONE: ("curator", "head"), FormId.ROADMAP_OVERDUE: ("head",),
    FormId.ROADMAP_INTERIM_ANALYSIS: ("curator",), FormId.ROADMAP_COMPLETION: ("curator",),
    FormId.FORM_NETWORK_GROUP: ("curator",), FormId.MENTOR_WORK_PLAN: ("mentor",),
    FormId.DEVELOPMENT_PLAN: ("mentee",), FormId.ACCEPT_DEVELOPMENT_PLAN: ("mentor",),
    FormId.TRAINEE_REVIEW: ("mentor",),
}.items()}
ROLE_WORDS = {"curator": "куратор", "methodologist": "методист", "head": "руководитель", "mentor": "наставник",
              "mentee": "наставляемый", "system": "система"}
