"""The contracts of the shipped forms: what each user task of ``workflows/*.bpmn`` writes into the
process data. Every channel (pages, the JSON API, ``nastavnik task complete``) is checked against these
inside ``engine.services.process.instances.complete_task``; the API documents them (components
``Form*``) and the pages build their fields from them (label, limit).

Beyond the contract, the domain's own rules still apply at the step (a returned report needs a
comment, a refusal needs a reason, a new mentor must be appointed by order, …). A field whose ``input`` is
«system» is filled from the registers: a client (the API, the command line) sending it is refused
(``engine.services.tasks.completion``), but for the ids the step checks against itself (the candidate, the pair).
"""
from __future__ import annotations

from engine.forms.contracts_network import NETWORK_CONTRACTS
from engine.forms.fields import (
    FormContract,
    day,
    decision,
    flag,
    item_facts,
    item_id,
    item_text,
    listing,
    one_of,
    person_id,
    rule_facts,
    text,
    whole_number,
)
from engine.forms.ids import FormId
from engine.forms.roadmap_contracts import ROADMAP_FORMS

EXTENSION_MONTHS = (1, 24)  # an extension petition's range (003 §7.2)
# the grounds a program that ran all its stages ends on (003 §7.1): the plan done in full — only with every
# roadmap event done — or, with events left undone, the curator's initiative (the third ground)
COMPLETION_GROUNDS = {"plan_completed": "завершение плана мероприятий в полном объёме (только при выполненной "
                                        "дорожной карте)",
                      "improper_execution": "по инициативе куратора: недолжное исполнение программы"}


class FormProposeMentor(FormContract):
    """propose_mentor (куратор): кандидат в наставники; факты для правил заполняет система."""
    form_id, title = FormId.PROPOSE_MENTOR, "Предложить кандидата в наставники"
    candidate_id = person_id("Кандидат в наставники", required=True)
    candidate_name = text("ФИО кандидата", max_length=300, source="system")
    facts = rule_facts("Сведения о кандидате для правил", help="заполняет система по реестру наставников")
    direction = text("Направление деятельности (для сетевого наставника, 004 III.2)", max_length=200)
    comment = text("Комментарий")


class FormSignOrder(FormContract):
    """sign_order (руководитель): подписать (signed: true) или отказать с причиной (refusal_reason)."""
    form_id, title = FormId.SIGN_ORDER, "Подписать приказ"
    signed = decision("Приказ подписан", help="true — подписать; false — отказать, указав причину")
    refusal_reason = text("Причина отказа")
    order_number = text("Номер приказа", max_length=32, source="api",
                        help="не обязателен: номер присваивает реестр приказов")
    order_date = day("Дата приказа", source="api", help="не обязательна: дата — день подписания")


class FormAcknowledgeReminder(FormContract):
    """acknowledge_reminder (куратор, наставник): напоминание получено, комментарий по желанию."""
    form_id, title = FormId.ACKNOWLEDGE_REMINDER, "Напоминание получено"
    comment = text("Комментарий (необязательно)")


class FormHandleEscalation(FormContract):
    """handle_escalation (куратор): меры, принятые по просроченному этапу."""
    form_id, title = FormId.HANDLE_ESCALATION, "Меры по просроченному этапу"
    comment = text("Принятые меры")


class FormProposePair(FormContract):
    """propose_pair (куратор): наставник и наставляемые (003 §6.2); факты для правил заполняет система."""
    form_id, title = FormId.PROPOSE_PAIR, "Предложить пару (группу)"
    mentor_id = person_id("Наставник", required=True)
    facts = rule_facts("Сведения о наставнике для правил", help="заполняет система по реестру наставников")
    mentee_ids = listing("Наставляемые", item_id(), required=True, min_items=1, max_items=50)
    mentee_facts = listing("Сведения о наставляемых для правил", item_facts(),
                           help="в том же порядке, что mentee_ids; заполняет система")
    form_of_mentorship = text("Форма наставничества", max_length=32, source="system")
    comment = text("Комментарий")


class FormGiveConsent(FormContract):
    """give_consent (наставник, наставляемый): согласие на участие в паре (003 §6.2)."""
    form_id, title = FormId.GIVE_CONSENT, "Согласие на участие в паре (группе)"
    consent = decision("Согласие на участие", help="true — согласен(на); false — отказ с причиной")
    comment = text("Комментарий (при отказе — причина)")
    personal_data = flag("Согласие на обработку персональных данных (152-ФЗ)", source="api",
                         help="true — даю согласие; без него участие невозможно (при consent: true обязательно; "
                              "страница спрашивает его своей отметкой с текстом согласия)")


class FormStageWork(FormContract):
    """stage_work (наставник): выполненные мероприятия этапа и справка."""
    form_id, title = FormId.STAGE_WORK, "Отчёт об этапе"
    events_done = listing("Проведённые мероприятия этапа", item_text(32), max_items=500,
                          help="номера мероприятий дорожной карты; на странице — отметки наставника")
    report = text("Текст отчёта")


class FormReviewStageReport(FormContract):
    """review_stage_report (куратор): утвердить справку или вернуть с комментарием."""
    form_id, title = FormId.REVIEW_STAGE_REPORT, "Проверить отчёт об этапе"
    approved = decision("Отчёт принят", help="true — принять; false — вернуть на доработку с комментарием")
    comment = text("Комментарий куратора")


class FormDecidePetition(FormContract):
    """decide_petition (куратор): решение по ходатайству; new_mentor_id — при замене наставника."""
    form_id, title = FormId.DECIDE_PETITION, "Решение по ходатайству"
    approved = decision("Ходатайство удовлетворено", help="true — удовлетворить; false — отказать с причиной")
    comment = text("Комментарий (при отказе — причина)")
    new_mentor_id = person_id("Новый наставник (назначенный приказом, 003 §3.4)", source="text", allow_none=True)


class FormAgreeExtension(FormContract):
    """agree_extension (наставник, наставляемый): согласие на продление (003 §7.2)."""
    form_id, title = FormId.AGREE_EXTENSION, "Согласие на продление программы"
    agreed = decision("Согласие на продление", help="true — согласен(на); false — нет, с причиной")
    comment = text("Комментарий")


class FormPetitionExtension(FormContract):
    """petition_extension (куратор): на сколько месяцев продлить (0 — корректировка содержания без продления) и
    обоснование (003 §7.2)."""
    form_id, title = FormId.PETITION_EXTENSION, "Ходатайство о продлении (корректировке) программы"
    extension_months = whole_number("На сколько месяцев продлить", minimum=0, maximum=EXTENSION_MONTHS[1],
                                    required=True, help="0 — без продления срока: только корректировка содержания "
                                                        "(план мероприятий, форма наставничества), где положение "
                                                        "это допускает (003 §7.2)")
    justification = text("Обоснование ходатайства (003 §7.2)")
    petitioned = decision("Ходатайство направляется руководителю",
                          help="true — ходатайствовать о продлении; false — отказать с причиной (её увидит заявитель)")
    petition_refusal_reason = text("Причина отказа в ходатайстве (её увидит заявитель)")


class FormCompleteProgram(FormContract):
    """complete_program (куратор): итоговый отчёт; факты для премии (003 §9.3) заполняет система."""
    form_id, title = FormId.COMPLETE_PROGRAM, "Подвести итоги программы"
    final_report = text("Итоговый аналитический отчёт (003 §3.3)")
    bonus_facts = rule_facts("Сведения для решения о премировании (003 §9.3)",
                        help="заполняет система по программе; участие в мероприятиях и материалы отмечает куратор")
    completion_ground = one_of("Основание завершения (003 §7.1)", COMPLETION_GROUNDS)
    reopen_stage = decision("Вернуть программу к последнему этапу",
                            help="true — вместо приказа вернуть последний этап на доработку (например, после отказа "
                                 "руководителя подписать приказ); false — подвести итоги и подготовить приказ")
    reopen_reason = text("Что доработать на последнем этапе")


class FormReplaceMentor(FormContract):
    """replace_mentor (куратор): наставник освобождён приказом (003 §4.1) — новый наставник (даст письменное согласие,
    003 §3.2, §6.2) или досрочное завершение программы (003 §7.1)."""
    form_id, title = FormId.REPLACE_MENTOR, "Программа без наставника"
    new_mentor_id = person_id("Новый наставник (назначенный приказом, 003 §3.4)", source="text", allow_none=True)
    complete_early = decision("Завершить программу досрочно (003 §7.1)",
                              help="true — завершить программу; false — предложить нового наставника")
    comment = text("Комментарий (при завершении — основание)")


class FormMonitoringReport(FormContract):
    """monitoring_report (куратор): выводы мониторинга; сводку по парам школы заполняет система (001 §2.4)."""
    form_id, title = FormId.MONITORING_REPORT, "Мониторинг и оценка результатов"
    summary = rule_facts("Сводка по наставническим парам и группам школы",
                         help="заполняет система на день шага: пары по формам, программы в срок и с просрочкой, "
                              "ходатайства")
    conclusions = text("Выводы мониторинга и обратная связь участников (001 §2.4, §4.2)")


class FormBaseReview(FormContract):
    """base_review (куратор): каждая запись базы наставников и наставляемых подтверждена или исправлена."""
    form_id, title = FormId.BASE_REVIEW, "Сверка базы наставников и наставляемых"
    entries = listing("Записи базы: подтвердить или исправить", item_facts(),  # no more than the base: each once
                      source="text", help="по одной на запись: entry («mentor:<id>» или «mentee:<id>»), action "
                                          "(confirm | update), при исправлении — category, withdraw, note")
    comment = text("Комментарий к сверке")


class FormMentorPeriodReport(FormContract):
    """mentor_period_report (наставник): отчёт руководителя, осуществляющего функции наставника (003 п. 3); по каждой
    программе — проведённые мероприятия (заполняет система по дорожной карте), результаты, трудности, продвижение
    наставляемого."""
    form_id, title = FormId.MENTOR_PERIOD_REPORT, "Отчёт наставника за полугодие"
    programs = listing("Программы наставничества за период", item_facts(), max_items=50, source="text",
                       help="по одной на программу наставника: program_id, results (результаты), difficulties "
                            "(трудности), mentee_progress (продвижение наставляемого), indicators ({показатель: "
                            "значение} — где положение организации называет показатели, 002 §5); мероприятия, "
                            "проведённые за период, и принятые отчёты об этапах система берёт сама")
    comment = text("Общий комментарий наставника")


class FormMentorReportOverdue(FormContract):
    """mentor_report_overdue (куратор): меры по отчёту наставника, не представленному в срок (003 п. 3)."""
    form_id, title = FormId.MENTOR_REPORT_OVERDUE, "Меры по непредставленному отчёту наставника"
    comment = text("Принятые меры")


_CORE: tuple[type[FormContract], ...] = (
    FormProposeMentor, FormSignOrder, FormAcknowledgeReminder, FormHandleEscalation, FormProposePair,
    FormGiveConsent, FormStageWork, FormReviewStageReport, FormDecidePetition, FormAgreeExtension,
    FormPetitionExtension, FormCompleteProgram, FormReplaceMentor, FormMonitoringReport, FormBaseReview,
    FormMentorPeriodReport, FormMentorReportOverdue)
SHIPPED: dict[str, type[FormContract]] = {
    contract.form_id: contract for contract in (*_CORE, *ROADMAP_FORMS, *NETWORK_CONTRACTS)}
