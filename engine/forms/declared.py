"""A diagram's own form: a user task whose form id is not one of the shipped forms declares the fields
it writes in the task's property ``fields`` — ``"plan: text; approved: bool"``; an empty value is a
form that writes no data (an acknowledgement). The declaration is the form's contract: checked at
upload like a shipped one, and every channel's data is checked against it when the task is completed.

Types: ``text`` (up to 20000 characters), ``bool`` (JSON true/false), ``int``, ``number``, ``date``
(ISO), ``list``, ``object``, ``any`` (any JSON value).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import cast

from marshmallow import fields

from engine.forms.fields import (
    FormContract,
    any_list,
    any_object,
    anything,
    day,
    flag,
    integer,
    number,
    text,
)

FIELD_TYPES: dict[str, Callable[[str], fields.Field]] = {  # the declared type -> the field (its label: the name)
    "text": text, "bool": flag, "int": integer, "number": number, "date": day, "list": any_list,
    "object": any_object, "any": anything,
}
_ENTRY = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*:\s*([A-Za-z]+)\s*\Z")
EXAMPLE = "comment: text; approved: bool"


def parse_fields(declared: str) -> tuple[dict[str, str], list[str]]:
    """``{name: type}`` of a ``fields`` declaration, and the problems found (Russian)."""
    found: dict[str, str] = {}
    problems: list[str] = []
    for entry in re.split(r"[;,\n]", declared or ""):
        if not entry.strip():
            continue
        match = _ENTRY.match(entry)
        if match is None:
            problems.append(f"поле «{entry.strip()}» объявлено не так: нужно «имя: тип», например «{EXAMPLE}»")
            continue
        name, kind = match.group(1), match.group(2).lower()
        if kind not in FIELD_TYPES:
            problems.append(f"у поля «{name}» неизвестный тип «{kind}» (допустимы: {', '.join(FIELD_TYPES)})")
        elif name in found:
            problems.append(f"поле «{name}» объявлено дважды")
        else:
            found[name] = kind
    return found, problems


@lru_cache(maxsize=256)
def declared_contract(form_id: str, declared: str) -> type[FormContract]:
    """The contract a diagram declares for its own form. Never raises: what is wrong with the
    declaration is the upload check's (``parse_fields``); here only its well-formed fields count."""
    found, _problems = parse_fields(declared)
    # from_dict makes a subclass of the class it is called on; marshmallow annotates it as type[Schema]
    schema = cast(type[FormContract], FormContract.from_dict(
        {name: FIELD_TYPES[kind](name) for name, kind in found.items()}, name=f"Form_{form_id}"))
    schema.form_id, schema.title = form_id, form_id
    return schema
