"""A form's fields as a client of the JSON API reads them: what to send when completing a task — each field's key,
Russian label, JSON type, whether it is required, its options and limits. Read from the same contract the engine
checks the data with (``registry.contract_for`` for the shipped and the diagrams' own forms, the pinned version's
``designed.parse_schema`` for a designed one), never written out twice.

    from_contract(contract, *, sent=None) -> [FormField]   # ``sent``: the field names a client may send
    from_designed(fields) -> [FormField]
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import marshmallow as ma
from marshmallow import fields as mf
from marshmallow import validate

from engine.forms.designed import DesignedField
from engine.forms.fields import FormContract


@dataclass(frozen=True)
class FormField:
    """One field of a task's form: ``type`` is the JSON value expected (string, integer, number, boolean, date —
    an ISO string ГГГГ-ММ-ДД, list, object, any); ``items`` the type of a list's items."""

    key: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    items: str | None = None
    options: tuple[tuple[str, str], ...] = field(default=())  # (value, label): one of them, or some of them (list)
    min_length: int | None = None  # characters of a string, items of a list
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None  # a regular expression the whole string must match


def _type(item: mf.Field) -> str:  # one answer per marshmallow field class
    if isinstance(item, mf.Boolean):
        return "boolean"
    if isinstance(item, mf.Integer):
        return "integer"
    if isinstance(item, mf.Number):
        return "number"
    if isinstance(item, (mf.Date, mf.DateTime)):
        return "date"
    if isinstance(item, mf.String):
        return "string"
    if isinstance(item, mf.List):
        return "list"
    if isinstance(item, (mf.Dict, mf.Nested)):
        return "object"
    return "any"


def _from_field(name: str, item: mf.Field) -> FormField:
    label = str(item.metadata.get("title") or name)
    help_text = str(item.metadata.get("description") or "")
    described = FormField(name, label, _type(item), bool(item.required), "" if help_text == label else help_text,
                          items=_type(item.inner) if isinstance(item, mf.List) else None)
    limits: dict = {}
    for rule in item.validators:
        if isinstance(rule, validate.Length):
            limits.update(min_length=rule.min, max_length=rule.max)
        elif isinstance(rule, validate.Range):
            limits.update(minimum=rule.min, maximum=rule.max)
        elif isinstance(rule, validate.OneOf):
            labels = list(rule.labels) if rule.labels else [str(c) for c in rule.choices]
            limits.update(options=tuple((str(c), str(t)) for c, t in zip(rule.choices, labels, strict=False)))
        elif isinstance(rule, validate.Regexp):
            limits.update(pattern=rule.regex.pattern)
    inner = item.inner if isinstance(item, mf.List) else None
    for rule in inner.validators if inner is not None else ():  # a list of texts: each item's length
        if isinstance(rule, validate.Length) and "max_length" not in limits:
            limits.update(max_length=rule.max)
    return FormField(**{**described.__dict__, **{k: v for k, v in limits.items() if v is not None}})


def from_contract(contract: type[FormContract] | type[ma.Schema], *,
                  sent: Collection[str] | None = None) -> list[FormField]:
    """The fields of a marshmallow contract in its order; only those in ``sent`` when given."""
    return [_from_field(name, item) for name, item in contract().fields.items() if sent is None or name in sent]


_KIND_TYPES = {"text": "string", "number": "number", "bool": "boolean", "choice": "string", "choices": "list",
               "date": "date"}


def from_designed(fields: list[DesignedField]) -> list[FormField]:
    """The fields of a designed form's version (``designed.parse_schema``) with the limits the engine checks."""
    return [FormField(
        key=item.key, label=item.label, type="integer" if item.whole else _KIND_TYPES[item.kind],
        required=item.required, help=item.hint, items="string" if item.kind == "choices" else None,
        options=item.options, min_length=item.min_length, max_length=item.max_length, minimum=item.minimum,
        maximum=item.maximum, pattern=item.pattern) for item in fields]
