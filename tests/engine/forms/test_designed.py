"""A methodologist's form-js schema as a contract: what is refused when the form is deployed, and every answer checked
by the server (Russian messages naming the field by its label; only the declared fields)."""
from __future__ import annotations

import pytest

from engine.forms import FormDataError
from engine.forms.designed import designed_key, from_strings, parse_schema, shown_value, validate_answers
from engine.forms.registry import form_problem

SCHEMA = {"type": "default", "components": [
    {"type": "text", "text": "# Анкета"},
    {"type": "textfield", "key": "topic", "label": "Тема встречи",
     "validate": {"required": True, "minLength": 3, "maxLength": 40, "pattern": "[А-Яа-яЁё ]+"}},
    {"type": "number", "key": "hours", "label": "Часов", "decimalDigits": 0, "validate": {"min": 1, "max": 8}},
    {"type": "number", "key": "score", "label": "Оценка", "validate": {"min": 0.5}},
    {"type": "checkbox", "key": "agreed", "label": "Согласен", "validate": {"required": True}},
    {"type": "select", "key": "format", "label": "Формат", "values": [
        {"label": "Очно", "value": "offline"}, {"label": "Онлайн", "value": "online"}]},
    {"type": "group", "components": [
        {"type": "checklist", "key": "topics", "label": "Темы", "values": [{"label": "Уроки", "value": "lessons"},
                                                                         {"label": "Классы", "value": "classes"}]},
        {"type": "datetime", "subtype": "date", "key": "on", "label": "Дата встречи"}]},
    {"type": "button", "action": "submit", "label": "Отправить"},
]}
FIELDS = parse_schema(SCHEMA)[0]
GOOD = {"topic": "Планирование уроков", "hours": 2, "agreed": True, "format": "online"}


def test_a_schema_gives_its_answerable_fields_in_order_groups_included():
    fields, problems = parse_schema(SCHEMA)
    assert problems == []
    assert [(f.key, f.kind) for f in fields] == [("topic", "text"), ("hours", "number"), ("score", "number"),
                                                 ("agreed", "bool"), ("format", "choice"), ("topics", "choices"),
                                                 ("on", "date")]
    assert fields[1].whole and not fields[2].whole and fields[0].max_length == 40


def test_a_valid_answer_is_kept_absent_optional_fields_left_out():
    assert validate_answers(FIELDS, GOOD) == GOOD
    assert validate_answers(FIELDS, {**GOOD, "topics": ["classes", "classes"], "on": "2026-12-07", "score": 0.75}) == {
        **GOOD, "topics": ["classes"], "on": "2026-12-07", "score": 0.75}


@pytest.mark.parametrize(("change", "where", "message"), [
    ({"topic": None}, "topic", "поле «Тема встречи»: обязательное поле"),
    ({"topic": "Ур"}, "topic", "поле «Тема встречи»: не короче 3 знаков"),
    ({"topic": "Я" * 41}, "topic", "поле «Тема встречи»: не длиннее 40 знаков"),
    ({"topic": "Lessons"}, "topic", "поле «Тема встречи»: значение не подходит под шаблон поля"),
    ({"topic": 5}, "topic", "поле «Тема встречи»: ожидается строка"),
    ({"hours": 9}, "hours", "поле «Часов»: не больше 8"),
    ({"hours": 0}, "hours", "поле «Часов»: не меньше 1"),
    ({"hours": 1.5}, "hours", "поле «Часов»: ожидается целое число"),
    ({"hours": "2"}, "hours", "поле «Часов»: ожидается число"),
    ({"hours": True}, "hours", "поле «Часов»: ожидается число"),
    ({"score": 0.25}, "score", "поле «Оценка»: не меньше 0.5"),
    ({"agreed": False}, "agreed", "поле «Согласен»: отметьте это поле"),
    ({"agreed": "yes"}, "agreed", "поле «Согласен»: ожидается true или false"),
    ({"format": "phone"}, "format", "поле «Формат»: выберите один из вариантов: Очно, Онлайн"),
    ({"topics": ["lessons", "sport"]}, "topics", "поле «Темы»: выберите из вариантов: Уроки, Классы"),
    ({"on": "07.12.2026"}, "on", "поле «Дата встречи»: ожидается дата ГГГГ-ММ-ДД"),
])
def test_each_limit_is_refused_naming_the_field_by_its_label(change, where, message):
    with pytest.raises(FormDataError) as refused:
        validate_answers(FIELDS, {**GOOD, **change})
    assert (refused.value.where, refused.value.message) == (where, message)


def test_fields_the_schema_does_not_declare_are_refused_and_only_an_object_is_accepted():
    with pytest.raises(FormDataError, match="в форме нет поля «approved»"):
        validate_answers(FIELDS, {**GOOD, "approved": True})
    with pytest.raises(FormDataError, match="объектом"):
        validate_answers(FIELDS, ["topic"])


def test_what_cannot_be_deployed_is_named():
    problems = parse_schema({"components": [
        {"type": "textfield", "label": "Без ключа"},
        {"type": "filepicker", "key": "file", "label": "Файл"},
        {"type": "select", "key": "pick", "label": "Выбор", "valuesKey": "options"},
        {"type": "datetime", "subtype": "datetime", "key": "at", "label": "Когда"},
        {"type": "textfield", "key": "a", "label": "А", "validate": {"pattern": "("}},
        {"type": "textfield", "key": "b", "label": "Б"}, {"type": "textarea", "key": "b", "label": "Б2"},
    ]})[1]
    assert problems == [
        "элемент 1: у поля «Без ключа» нет ключа или он не из латинских букв, цифр и «_»",
        "элемент 2 «Файл»: элемент «filepicker» не поддерживается (поддерживаются: textfield, textarea, number, "
        "checkbox, select, radio, checklist, datetime)",
        "поле «Выбор» (pick): перечислите варианты (статический список значений)",
        "поле «Когда» (at): поддерживается только дата, без времени",
        "поле «А» (a): шаблон «(» — не регулярное выражение",
        "поле «Б2»: ключ «b» уже есть у другого поля",
    ]
    assert parse_schema([])[1] == ["схема формы должна быть объектом form-js со списком components"]


def test_an_html_forms_strings_become_the_json_the_schema_expects():
    sent = {"topic": "Уроки", "hours": "3", "score": "0,5", "format": "offline", "on": "2026-12-01", "extra": "x"}
    data = from_strings(FIELDS, sent.get, lambda key: ["lessons"] if key == "topics" else [])
    assert data == {"topic": "Уроки", "hours": 3, "score": 0.5, "agreed": False, "format": "offline",
                    "topics": ["lessons"], "on": "2026-12-01"}
    assert from_strings(FIELDS, {"hours": "два"}.get, lambda key: [])["hours"] == "два"


def test_answers_are_shown_in_words_and_a_task_names_the_form_by_its_key():
    by_key = {f.key: f for f in FIELDS}
    assert shown_value(by_key["format"], "online") == "Онлайн"
    assert shown_value(by_key["agreed"], True) == "да"
    assert shown_value(by_key["topics"], ["lessons", "classes"]) == "Уроки, Классы"
    assert shown_value(by_key["on"], "2026-12-07") == "07.12.2026"
    assert designed_key("designed:meeting") == "meeting" and designed_key("review_stage_report") is None
    assert form_problem("designed:meeting", None) is None
    assert "ключ формы" in (form_problem("designed:Встреча", None) or "")
    assert "уберите свойство fields" in (form_problem("designed:meeting", "a: text") or "")
