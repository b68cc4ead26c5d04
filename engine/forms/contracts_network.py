"""The contracts of the network mentoring forms (004 III.4–IV.1; workflows/network_grouping.bpmn and
network_program.bpmn), part of ``engine.forms.contracts.SHIPPED``."""
from __future__ import annotations

from engine.forms.fields import FormContract, decision, item_id, listing, one_of, person_id, text
from engine.forms.ids import FormId
from engine.vocabulary import READINESS_LABELS

READINESS = {level.value: label for level, label in READINESS_LABELS.items()}  # 004 IV.1


class FormNetworkGroup(FormContract):
    """form_network_group (куратор): сетевой наставник и стажёры его направления (004 III.4)."""
    form_id, title = FormId.FORM_NETWORK_GROUP, "Сформировать группу стажёров по направлению"
    mentor_id = person_id("Сетевой наставник", required=True)
    direction = text("Направление деятельности (004 II.2, III.4)", max_length=200, source="system")
    trainee_ids = listing("Стажёры группы", item_id(), required=True, min_items=1, max_items=50)
    comment = text("Комментарий")


class FormMentorWorkPlan(FormContract):
    """mentor_work_plan (сетевой наставник): индивидуальный план работы со стажёрами группы (004 III.5)."""
    form_id, title = FormId.MENTOR_WORK_PLAN, "Индивидуальный план работы наставника со стажёрами"
    work_plan = text("Индивидуальный план работы наставника со стажёрами (004 III.5)", required=True,
                     help="что, в каких формах (004 III.6) и когда наставник делает со стажёрами группы за учебный год")


class FormDevelopmentPlan(FormContract):
    """development_plan (стажёр): индивидуальный план профессионального развития (004 IV.1, IV.3)."""
    form_id, title = FormId.DEVELOPMENT_PLAN, "Индивидуальный план профессионального развития"
    goals = text("Цели профессионального развития по направлению", required=True)
    actions = text("Мероприятия, формы работы с наставником и сроки", required=True)


class FormAcceptDevelopmentPlan(FormContract):
    """accept_development_plan (сетевой наставник): согласовать план стажёра или вернуть с комментарием."""
    form_id, title = FormId.ACCEPT_DEVELOPMENT_PLAN, "Согласовать индивидуальный план стажёра"
    approved = decision("План согласован", help="true — согласовать; false — вернуть стажёру с комментарием")
    comment = text("Комментарий наставника")


class FormTraineeReview(FormContract):
    """trainee_review (сетевой наставник): отзыв о стажёре в конце учебного года (004 IV.1)."""
    form_id, title = FormId.TRAINEE_REVIEW, "Отзыв о стажёре"
    plan_fulfilled = decision("Индивидуальный план профессионального развития выполнен",
                              help="true — выполнен; false — не выполнен (полностью)")
    fulfilment = text("О выполнении индивидуального плана профессионального развития", required=True)
    business_qualities = text("Деловые качества стажёра", required=True)
    readiness = one_of("Степень готовности к самостоятельному выполнению должностных обязанностей", READINESS)
    activity_results = text("Результаты работы стажёра по основной деятельности (004 III.8)")


NETWORK_CONTRACTS: tuple[type[FormContract], ...] = (
    FormNetworkGroup, FormMentorWorkPlan, FormDevelopmentPlan, FormAcceptDevelopmentPlan, FormTraineeReview)
