"""The field types form contracts are made of, with Russian messages and the metadata pages and the
OpenAPI document read: ``title`` (the label people see), ``description`` (help) and ``input`` — how
the value arrives:

* ``"text"``   — typed by the person (a page renders it as a field with the same label and limit);
* ``"choice"`` — the person's decision (a page renders it as buttons or a yes/no choice);
* ``"system"`` — filled by the engine from the registers (facts for the rules, ids of the people);
* ``"api"``    — accepted from other systems only (no page asks for it).
"""
from __future__ import annotations

from typing import Any, ClassVar

import marshmallow as ma
from marshmallow import fields, validate

from engine.errors import NastavnikError

MAX_ID = 2**31 - 1  # ids: the databases' integer columns
TEXT_MAX = 20000  # free text (comments, reports): the most any channel accepted before the contracts

REQUIRED = "обязательное поле"
_COMMON = {"required": REQUIRED, "null": "не может быть null", "validator_failed": "недопустимое значение"}


class FormDataError(NastavnikError):
    """Form data refused by its contract; ``messages`` per field ({field: [messages]}), ``where`` the
    first field named; ``label`` its Russian label when the message names it so (a designed form's field)."""

    def __init__(self, message: str, *, where: str | None = None, messages: dict | None = None,
                 label: str | None = None) -> None:
        self.messages = messages or {}
        self.label = label
        super().__init__(message, where=where)


class FormContract(ma.Schema):
    """The data one BPMN form writes into the process: unknown fields and wrong types are refused."""

    form_id: ClassVar[str] = ""
    title: ClassVar[str] = ""  # what the step is, in Russian

    error_messages = {"unknown": "неизвестное поле", "type": "ожидается объект"}


class _Text(fields.String):
    default_error_messages = {**_COMMON, "invalid": "ожидается строка", "invalid_utf8": "ожидается строка"}


class _Integer(fields.Integer):
    default_error_messages = {**_COMMON, "invalid": "ожидается целое число", "too_large": "слишком большое число"}


class _Number(fields.Float):
    default_error_messages = {**_COMMON, "invalid": "ожидается число", "too_large": "слишком большое число",
                              "special": "ожидается число"}


class StrictBoolean(fields.Boolean):
    """JSON true or false only: "yes", 1 or "on" must not sign an order."""

    default_error_messages = {**_COMMON, "invalid": "ожидается true или false"}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class _Date(fields.Date):
    default_error_messages = {**_COMMON, "invalid": "ожидается дата ISO 8601 (ГГГГ-ММ-ДД)",
                              "format": "ожидается дата ISO 8601 (ГГГГ-ММ-ДД)"}


class _List(fields.List):
    default_error_messages = {**_COMMON, "invalid": "ожидается список"}


class _Dict(fields.Dict):
    default_error_messages = {**_COMMON, "invalid": "ожидается объект"}


class _Raw(fields.Raw):
    default_error_messages = dict(_COMMON)


def _meta(label: str, help: str | None, source: str) -> dict[str, str]:
    return {"title": label, "description": help or label, "input": source}


def _length(maximum: int) -> validate.Length:
    return validate.Length(max=maximum, error="не длиннее {max} знаков")


def text(label: str, *, help: str | None = None, max_length: int = TEXT_MAX, required: bool = False,
         source: str = "text") -> fields.Field:
    return _Text(required=required, validate=_length(max_length), metadata=_meta(label, help, source))


def decision(label: str, *, help: str | None = None) -> fields.Field:
    """The person's yes or no (signing, consent, approval): JSON true or false only."""
    return StrictBoolean(required=True, metadata=_meta(label, help, "choice"))


def one_of(label: str, values: dict[str, str], *, help: str | None = None) -> fields.Field:
    """The person's choice of one of ``values`` ({value: label}); required, like a decision."""
    listed = "; ".join(f"{value} — {text}" for value, text in values.items())
    return _Text(required=True, validate=validate.OneOf(list(values), labels=list(values.values()),
                                                         error=f"допустимо одно из: {listed}"),
                 metadata=_meta(label, help or listed, "choice"))


def flag(label: str, *, help: str | None = None, source: str = "text") -> fields.Field:
    return StrictBoolean(metadata=_meta(label, help, source))


def person_id(label: str, *, help: str | None = None, required: bool = False, source: str = "system",
              allow_none: bool = False) -> fields.Field:
    return _Integer(strict=True, required=required, allow_none=allow_none,
                    validate=validate.Range(min=1, max=MAX_ID, error="от {min} до {max}"),
                    metadata=_meta(label, help, source))


def whole_number(label: str, *, minimum: int, maximum: int, help: str | None = None,
                 required: bool = False, source: str = "text") -> fields.Field:
    return _Integer(strict=True, required=required,
                    validate=validate.Range(min=minimum, max=maximum, error="от {min} до {max}"),
                    metadata=_meta(label, help, source))


def integer(label: str, *, help: str | None = None, source: str = "text") -> fields.Field:
    return _Integer(strict=True, metadata=_meta(label, help, source))


def number(label: str, *, help: str | None = None, source: str = "text") -> fields.Field:
    return _Number(metadata=_meta(label, help, source))


def day(label: str, *, help: str | None = None, source: str = "text") -> fields.Field:
    return _Date(metadata=_meta(label, help, source))


def rule_facts(label: str, *, help: str | None = None) -> fields.Field:
    """Facts for a rule set, filled by the engine from the registers."""
    return _Dict(keys=_Text(), metadata=_meta(label, help, "system"))


def listing(label: str, item: fields.Field, *, help: str | None = None, required: bool = False,
            min_items: int | None = None, max_items: int | None = None, source: str = "system") -> fields.Field:
    limits = []
    if min_items is not None or max_items is not None:
        error = "от {min} до {max} элементов" if min_items is not None else "не больше {max} элементов"
        limits.append(validate.Length(min=min_items, max=max_items, error=error))
    return _List(item, required=required, validate=limits, metadata=_meta(label, help, source))


def item_text(max_length: int) -> fields.Field:
    return _Text(validate=_length(max_length))


def item_id() -> fields.Field:
    return _Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID, error="от {min} до {max}"))


def item_facts() -> fields.Field:
    return _Dict(keys=_Text())


def anything(label: str, *, help: str | None = None, source: str = "text") -> fields.Field:
    """Any JSON value (a diagram's own form may declare it; the shipped forms never do)."""
    return _Raw(allow_none=True, metadata=_meta(label, help, source))


def any_list(label: str, *, help: str | None = None, source: str = "text") -> fields.Field:
    return _List(_Raw(allow_none=True), metadata=_meta(label, help, source))


def any_object(label: str, *, help: str | None = None, source: str = "text") -> fields.Field:
    return _Dict(keys=_Text(), metadata=_meta(label, help, source))
