"""The contracts of the forms that start an order of the organization's mentorship model (004 roadmap item 3.1.1;
``engine.services.mentorship.model_orders``, workflows/organization_order.bpmn): one form per kind of order, what the
curator (or the administrator) fills in on «Приказы о модели наставничества» and the API accepts. They start a
process rather than complete a task, so they are not forms a diagram's user task may name (not in ``SHIPPED``)."""
from __future__ import annotations

from dataclasses import dataclass

from marshmallow import fields, validate

from engine.forms.fields import FormContract, day, person_id, text

COUNCIL_HELP = "дата и номер протокола указываются вместе; без них приказ не ссылается на протокол"
PROTOCOL_HELP = ("подписанный протокол педагогического совета с принятым решением по этому вопросу (004 прил. 1 "
                 "п. 3.1.1): его дата и номер попадут в приказ; если протокола нет в системе, укажите дату и номер ниже")


COUNCIL_FIELDS = ("council_protocol_id", "council_held_on", "council_protocol_number")  # the council's protocol


def _council_protocol() -> fields.Field:
    """The pedagogical council's signed protocol chosen from the system (``engine.services.mentorship.
    council_protocols``): the page offers them, the service checks the id and fills the date and number."""
    return person_id("Протокол педагогического совета", source="council_protocol", help=PROTOCOL_HELP)


def _required(field: fields.Field) -> fields.Field:
    field.required = True
    return field


def _basis() -> fields.Field:
    return text("Основание (необязательно)", max_length=500,
                help="печатается строкой «Основание: …», например «решение рабочей группы от 01.09.2025»")


class FormOrderTargetModel(FormContract):
    """order_target_model: о внедрении целевой модели наставничества."""
    form_id, title = "order_target_model", "О внедрении целевой модели наставничества"
    starts_on = _required(day("Дата внедрения системы (целевой модели) наставничества"))
    basis = _basis()


class FormOrderImplementationPlan(FormContract):
    """order_implementation_plan: об утверждении плана реализации целевой модели и начале реализации проекта."""
    form_id, title = "order_implementation_plan", "Об утверждении плана реализации целевой модели наставничества"
    plan_title = text("Наименование плана (дорожной карты)", max_length=500, required=True)
    starts_on = _required(day("Дата начала реализации плана (дорожной карты)"))
    council_protocol_id = _council_protocol()
    council_held_on = day("Дата протокола педагогического совета", help=COUNCIL_HELP)
    council_protocol_number = text("Номер протокола педагогического совета", max_length=32, help=COUNCIL_HELP)
    basis = _basis()


class FormOrderRegulation(FormContract):
    """order_regulation: об утверждении Положения о наставничестве."""
    form_id, title = "order_regulation", "Об утверждении Положения о наставничестве"
    regulation_title = text("Наименование положения", max_length=500,
                            help="без него — наименование положения организации из её пакета")
    effective_on = _required(day("Дата введения положения в действие"))
    council_protocol_id = _council_protocol()
    council_held_on = day("Дата протокола педагогического совета", help=COUNCIL_HELP)
    council_protocol_number = text("Номер протокола педагогического совета", max_length=32, help=COUNCIL_HELP)
    basis = _basis()


class FormOrderCuratorAppointment(FormContract):
    """order_curator_appointment: о назначении куратора (подписанный приказ даёт роль куратора)."""
    form_id, title = "order_curator_appointment", "О назначении куратора"
    curator_id = person_id("Куратор", required=True, source="choice",
                           help="работник организации; роль куратора он получит, когда руководитель подпишет приказ")
    starts_on = day("Дата, с которой назначается куратор", help="без неё — со дня подписания приказа")
    basis = _basis()


class FormOrderFinalEvent(FormContract):
    """order_final_event: о проведении итогового мероприятия в рамках реализации целевой модели."""
    form_id, title = "order_final_event", "О проведении итогового мероприятия"
    event_title = text("Наименование итогового мероприятия", max_length=500, required=True)
    held_on = _required(day("Дата проведения"))
    place = text("Место проведения", max_length=300)
    responsible_id = person_id("Ответственный за проведение", required=True, source="choice")
    basis = _basis()


ORDER_FORMS: dict[str, type[FormContract]] = {  # order kind -> the form that starts it
    "target_model": FormOrderTargetModel,
    "implementation_plan": FormOrderImplementationPlan,
    "regulation": FormOrderRegulation,
    "curator_appointment": FormOrderCuratorAppointment,
    "final_event": FormOrderFinalEvent,
}


@dataclass(frozen=True)
class OrderField:
    """One field of an order's form as a page needs it."""

    name: str
    label: str
    help: str
    kind: str  # text | long_text | date | person | protocol (a council's signed protocol)
    required: bool
    max_length: int | None = None


def describe_order_form(kind: str) -> list[OrderField]:
    """The fields of the form of ``kind``, in the contract's order."""
    described = []
    for name, field in ORDER_FORMS[kind]().fields.items():
        label, help_text = field.metadata.get("title", name), field.metadata.get("description", "")
        limit = next((rule.max for rule in field.validators if isinstance(rule, validate.Length)), None)
        if field.metadata.get("input") == "council_protocol":
            shown = "protocol"
        elif isinstance(field, fields.Date):
            shown = "date"
        elif isinstance(field, fields.Integer):
            shown = "person"
        else:
            shown = "long_text" if limit is None or limit > 300 else "text"
        described.append(OrderField(name, label, "" if help_text == label else help_text, shown, field.required,
                                    limit))
    return described
