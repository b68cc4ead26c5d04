"""The forms of ``workflows/school_roadmap.bpmn``: an organization's roadmap year (004 п. 4.3, прил. 2) — an
event marked done with its evidence, the head's measures on an overdue one, the January interim analysis
(004 прил. 2 п. 7.2) and the May monitoring and completion (004 прил. 2 п. 8.1)."""
from __future__ import annotations

from engine.forms.fields import FormContract, day, flag, text, whole_number
from engine.forms.ids import FormId

MAX_PAIRS = 10000  # pairs (groups) of one organization in a year: a limit against typing slips
EVIDENCE_MAX = 2000


class FormRoadmapEventDone(FormContract):
    """roadmap_event_done (куратор; руководитель — мероприятия директора): мероприятие выполнено, чем подтверждено."""
    form_id, title = FormId.ROADMAP_EVENT_DONE, "Мероприятие дорожной карты выполнено"
    evidence = text("Подтверждение выполнения", max_length=EVIDENCE_MAX, required=True,
                    help="документ (приказ, протокол, программа) с номером и датой или ссылка на публикацию")
    done_on = day("Дата выполнения", help="не позже сегодняшнего дня; по умолчанию — сегодня")


class FormRoadmapOverdue(FormContract):
    """roadmap_overdue (руководитель): меры по просроченному мероприятию (шагу) дорожной карты."""
    form_id, title = FormId.ROADMAP_OVERDUE, "Меры по просроченному мероприятию дорожной карты"
    measures = text("Принятые меры", max_length=EVIDENCE_MAX, required=True)


class FormRoadmapInterimAnalysis(FormContract):
    """roadmap_interim_analysis (куратор): промежуточный анализ деятельности пар (групп), 004 прил. 2 п. 7.2."""
    form_id, title = FormId.ROADMAP_INTERIM_ANALYSIS, "Промежуточный анализ деятельности наставнических пар (групп)"
    pairs_working = whole_number("Работает наставнических пар (групп)", minimum=0, maximum=MAX_PAIRS, required=True)
    state = text("Состояние реализации модели наставничества", required=True,
                 help="«Выявление состояния реализации модели наставничества» (004 прил. 2 п. 7.2)")
    corrections = text("Необходимые коррективы программ наставничества",
                       help="«Внесение корректив в программы наставничества (при необходимости)» (п. 7.3)")


class FormRoadmapCompletion(FormContract):
    """roadmap_completion (куратор): мониторинг, завершение деятельности пар (групп), 004 прил. 2 п. 8.1."""
    form_id, title = FormId.ROADMAP_COMPLETION, "Мониторинг. Завершение деятельности наставнических пар (групп)"
    pairs_completed = whole_number("Завершили деятельность наставнических пар (групп)", minimum=0,
                                   maximum=MAX_PAIRS, required=True)
    effectiveness = text("Эффективность деятельности наставничества", required=True,
                         help="«Выявление эффективности деятельности наставничества» (004 прил. 2 п. 8.1)")
    experience = text("Опыт, который стоит распространить")
    problems = text("Проблемы")
    fair_held = flag("Педагогическая ярмарка идей и проектов по Наставничеству проведена")


ROADMAP_FORMS: tuple[type[FormContract], ...] = (FormRoadmapEventDone, FormRoadmapOverdue, FormRoadmapInterimAnalysis,
                                                 FormRoadmapCompletion)
