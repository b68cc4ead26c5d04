"""The form contracts (engine.forms): one per form id of the shipped diagrams, Russian labels and
messages, unknown fields and wrong types refused naming the field, decisions in JSON true/false only,
and a diagram's own form declared in its ``fields`` property."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from engine.forms import (
    FIELD_TYPES,
    SHIPPED,
    TEXT_MAX,
    FormDataError,
    FormId,
    contract_for,
    describe,
    form_problem,
    parse_fields,
    validated,
)
from engine.forms.ids import FORM_ROLES

ROOT = Path(__file__).resolve().parents[3]
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core"}
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def _user_task_properties(path: Path) -> list[dict[str, str]]:
    root = etree.parse(str(path)).getroot()
    return [{p.get("name"): p.get("value") for p in task.xpath(
        "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NS)}
        for task in root.xpath("//bpmn:userTask | //bpmn:manualTask", namespaces=NS)]


def _refused(form_id: str, data, **kw) -> FormDataError:
    with pytest.raises(FormDataError) as caught:
        validated(form_id, data, **kw)
    return caught.value


def test_every_form_of_the_shipped_diagrams_has_a_contract():
    used = {props["form"] for path in sorted((ROOT / "workflows").glob("*.bpmn")) for props in _user_task_properties(path)}
    assert used == set(SHIPPED) == {str(form) for form in FormId}
    for path in sorted((ROOT / "workflows").glob("*.bpmn")):
        assert all("fields" not in props for props in _user_task_properties(path)), path  # shipped forms only
    for form_id, contract in SHIPPED.items():
        assert contract.form_id == form_id and CYRILLIC.search(contract.title)


def test_every_field_has_a_russian_label_and_text_a_limit():
    for form_id in SHIPPED:
        for name, spec in describe(form_id).items():
            assert CYRILLIC.search(spec.label), (form_id, name)
            assert spec.input in {"text", "choice", "system", "api"}, (form_id, name)
            if spec.input == "choice":
                assert spec.required, (form_id, name)  # a decision is never left out
    assert describe(FormId.REVIEW_STAGE_REPORT)["comment"].max_length == TEXT_MAX
    assert describe(FormId.PROPOSE_MENTOR)["direction"].max_length == 200
    months = describe(FormId.PETITION_EXTENSION)["extension_months"]
    # 0: a content-only correction (003 §7.2), refused by the step where the pack does not allow one
    assert (months.minimum, months.maximum, months.required) == (0, 24, True)


@pytest.mark.parametrize(("form_id", "data", "field", "message"), [
    (FormId.REVIEW_STAGE_REPORT, {"approved": True, "verdict": "ok"}, "verdict", "неизвестное поле"),
    (FormId.REVIEW_STAGE_REPORT, {"approved": "maybe"}, "approved", "ожидается true или false"),
    (FormId.REVIEW_STAGE_REPORT, {}, "approved", "обязательное поле"),
    (FormId.REVIEW_STAGE_REPORT, {"approved": False, "comment": 5}, "comment", "ожидается строка"),
    (FormId.REVIEW_STAGE_REPORT, {"approved": False, "comment": "x" * (TEXT_MAX + 1)}, "comment",
     f"не длиннее {TEXT_MAX} знаков"),
    (FormId.PETITION_EXTENSION, {"extension_months": "3"}, "extension_months", "ожидается целое число"),
    (FormId.PETITION_EXTENSION, {"extension_months": 25}, "extension_months", "от 0 до 24"),
    (FormId.PROPOSE_PAIR, {"mentor_id": 1, "mentee_ids": []}, "mentee_ids", "от 1 до 50 элементов"),
    (FormId.PROPOSE_PAIR, {"mentor_id": 1, "mentee_ids": [2, "три"]}, "mentee_ids", "[1]: ожидается целое число"),
    (FormId.SIGN_ORDER, {"signed": True, "order_date": "вчера"}, "order_date", "ожидается дата ISO 8601"),
    (FormId.STAGE_WORK, {"events_done": "1.1"}, "events_done", "ожидается список"),
    (FormId.COMPLETE_PROGRAM, {"bonus_facts": []}, "bonus_facts", "ожидается объект"),
])
def test_wrong_data_is_refused_naming_the_field_in_russian(form_id, data, field, message):
    error = _refused(form_id, data)
    assert error.where == field and message in error.message and field in error.messages
    assert str(error).startswith(f"{field}: ")


def test_several_wrong_fields_are_all_named():
    error = _refused(FormId.GIVE_CONSENT, {"consent": 1, "comment": [], "signature": "В."})
    assert set(error.messages) == {"consent", "comment", "signature"}
    assert error.where in error.messages and all(name in str(error) for name in error.messages)


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, "on", None, [True]])
def test_a_decision_is_json_true_or_false_only(value):
    for form_id, field in [(FormId.SIGN_ORDER, "signed"), (FormId.GIVE_CONSENT, "consent"),
                           (FormId.AGREE_EXTENSION, "agreed"), (FormId.REVIEW_STAGE_REPORT, "approved"),
                           (FormId.DECIDE_PETITION, "approved")]:
        assert _refused(form_id, {field: value}).where == field
        assert validated(form_id, {field: False}) == {field: False}


def test_accepted_data_comes_back_as_the_workflow_stores_it():
    assert validated(FormId.SIGN_ORDER, {"signed": True, "order_date": "2025-03-01", "order_number": "12-к"}) == \
        {"signed": True, "order_date": "2025-03-01", "order_number": "12-к"}
    pair = {"mentor_id": 7, "facts": {"years_as_head": 6}, "mentee_ids": [8], "mentee_facts": [{"is_head": True}],
            "form_of_mentorship": "head_head", "comment": ""}
    assert validated(FormId.PROPOSE_PAIR, pair) == pair
    assert validated(FormId.DECIDE_PETITION, {"approved": True, "new_mentor_id": None}) == \
        {"approved": True, "new_mentor_id": None}


def test_data_that_is_not_an_object_and_a_form_without_a_contract_are_refused():
    assert "объектом" in _refused(FormId.STAGE_WORK, ["1.1"]).message
    assert "нет контракта" in _refused("draft_plan", {}).message
    assert contract_for("draft_plan") is None and contract_for(FormId.STAGE_WORK) is SHIPPED["stage_work"]


def test_a_diagram_declares_its_own_form():
    declared = "plan: text; approved: bool, rounds: int\nwhen: date; extra: any"
    assert parse_fields(declared) == ({"plan": "text", "approved": "bool", "rounds": "int", "when": "date",
                                       "extra": "any"}, [])
    assert validated("draft_plan", {"plan": "план", "approved": True, "when": "2025-01-10", "extra": [1]},
                     declared=declared) == {"plan": "план", "approved": True, "when": "2025-01-10", "extra": [1]}
    assert _refused("draft_plan", {"approved": "да"}, declared=declared).where == "approved"
    assert _refused("draft_plan", {"rounds": 1.5}, declared=declared).where == "rounds"
    assert _refused("draft_plan", {"score": 1}, declared=declared).where == "score"
    assert validated("acknowledge", {}, declared="") == {}  # a form without data
    assert _refused("acknowledge", {"comment": "x"}, declared="").where == "comment"
    assert set(FIELD_TYPES) == {"text", "bool", "int", "number", "date", "list", "object", "any"}


def test_what_workflow_check_says_about_a_form():
    assert form_problem(FormId.SIGN_ORDER, None) is None
    assert form_problem("draft_plan", "plan: text", "mentor", "api") is None
    assert form_problem("ack", "", None, "api") is None
    unknown = form_problem("draft_plan", None, "mentor", "api")
    assert "draft_plan" in unknown and "нет контракта" in unknown and "sign_order" in unknown and "fields" in unknown
    assert "форма системы" in form_problem(FormId.SIGN_ORDER, "signed: text")
    bad = form_problem("draft_plan", "plan text; n: integer; n: int; n: bool", None, "api")
    assert "«plan text»" in bad and "«integer»" in bad and "дважды" in bad


def test_every_message_a_contract_gives_is_russian():
    garbage = {"unknown_field": 1}
    for form_id, _contract in SHIPPED.items():
        for name in describe(form_id):
            garbage[name] = object()  # no field accepts an arbitrary object (Raw is for declared forms only)
        error = _refused(form_id, garbage)
        for field, messages in error.messages.items():
            assert all(CYRILLIC.search(str(m)) for m in (messages if isinstance(messages, list) else [messages])), \
                (form_id, field, messages)
        for name in describe(form_id):
            del garbage[name]


def test_a_form_nobody_can_open_is_refused():
    """A form the system does not know and the designer did not make has no page: the task would hang in the inbox
    with no link; a diagram's own form is allowed only on a task completed through the API (``channel`` = api)."""
    for declared in (None, "plan: text"):
        unknown = form_problem("report_reminder_plan", declared, "mentor")
        assert "«report_reminder_plan» системе не известна" in unknown and "designed:<ключ>" in unknown
        assert "channel = api" in unknown
    assert "только «api»" in form_problem("draft_plan", "plan: text", "mentor", "browser")


def test_a_system_form_is_filled_by_its_roles_only():
    """The curator's «Предложить кандидата» on a lane renamed «Методист» would wait forever for a page nobody has."""
    assert form_problem(FormId.PROPOSE_MENTOR, None, "curator") is None
    moved = form_problem(FormId.PROPOSE_MENTOR, None, "methodologist")
    assert moved == ("форму «Предложить кандидата в наставники» (propose_mentor) заполняет куратор, а задача на "
                     "дорожке роли «методист»: у этой роли нет страницы для формы, и задачу никто не выполнит. "
                     "Перенесите задачу на дорожку «Куратор» или выберите другую форму")
    assert "заполняет куратор или наставник" in form_problem(FormId.ACKNOWLEDGE_REMINDER, None, "head")
    assert form_problem(FormId.GIVE_CONSENT, None, "mentee") is None
    assert form_problem(FormId.STAGE_WORK, None, "curator", "api") is None  # completed through the API: no page
    assert set(FORM_ROLES) == set(SHIPPED)  # every system form says who fills it
