"""Finding a form's contract and checking data against it (the engine does it for every channel)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import marshmallow as ma
from marshmallow import validate

from engine.forms.contracts import SHIPPED
from engine.forms.declared import EXAMPLE, declared_contract, parse_fields
from engine.forms.designed import designed_key, key_problem
from engine.forms.fields import FormContract, FormDataError
from engine.forms.ids import FORM_ROLES, ROLE_WORDS


def contract_for(form_id: str | None, declared: str | None = None) -> type[FormContract] | None:
    """The shipped contract of ``form_id``, else the one its diagram declares (``declared``: the
    task's ``fields`` property), else None."""
    shipped = SHIPPED.get(form_id or "")
    if shipped is not None:
        return shipped
    if form_id and declared is not None:
        return declared_contract(form_id, declared)
    return None


API_CHANNEL = "api"  # a user task's ``channel`` property: completed only through the API or the command line


def form_problem(form_id: str, declared: str | None, role: str | None = None,
                 channel: str | None = None) -> str | None:
    """What ``nastavnik workflow check`` says about a user task's form (None: in order). ``role``: the role of the
    task's lane (a system form is filled by its roles only, ``FORM_ROLES``); ``channel``: the task's ``channel``
    property (``api``: nobody opens the task in the browser, so a diagram's own form is allowed)."""
    if channel is not None and channel != API_CHANNEL:
        return f"свойство channel может быть только «{API_CHANNEL}» (задачу выполняют через API), а не «{channel}»"
    key = designed_key(form_id)
    if key is not None:  # a designed form: that it is deployed is the deploy's check (it pins the version)
        if declared is not None:
            return f"форма «{form_id}» — форма, созданная в конструкторе: её поля заданы в ней, уберите свойство fields"
        return key_problem(key)
    if form_id in SHIPPED:
        if declared is not None:
            return (f"форма «{form_id}» — форма системы, её поля заданы системой: уберите свойство fields "
                    "или назовите форму иначе")
        return None if channel == API_CHANNEL else _role_problem(form_id, role)
    if channel != API_CHANNEL:
        return (f"форма «{form_id}» системе не известна: у задачи с такой формой нет страницы, её никто не откроет. "
                f"Выберите форму системы ({', '.join(sorted(SHIPPED))}) или форму из конструктора "
                f"(designed:<ключ>); своя форма диаграммы (свойство fields) — только у задачи, которую выполняют "
                f"через API или nastavnik task complete (свойство channel = {API_CHANNEL})")
    if declared is None:
        return (f"у формы «{form_id}» нет контракта: выберите форму системы ({', '.join(sorted(SHIPPED))}) "
                f"или перечислите поля формы в свойстве fields (например, «{EXAMPLE}»; пусто — форма без данных)")
    problems = parse_fields(declared)[1]
    return "; ".join(problems) if problems else None


def _role_problem(form_id: str, role: str | None) -> str | None:
    roles = FORM_ROLES.get(form_id)
    if role is None or roles is None or role in roles or role == "system":  # «Система»: refused for any human task
        return None
    who = " или ".join(ROLE_WORDS[r] for r in sorted(roles, key=list(ROLE_WORDS).index))
    return (f"форму «{SHIPPED[form_id].title}» ({form_id}) заполняет {who}, а задача на дорожке роли "
            f"«{ROLE_WORDS.get(role, role)}»: у этой роли нет страницы для формы, и задачу никто не выполнит. "
            f"Перенесите задачу на дорожку «{ROLE_WORDS[sorted(roles, key=list(ROLE_WORDS).index)[0]].capitalize()}» "
            "или выберите другую форму")


def _lines(messages: Any, path: str = "") -> list[str]:
    """marshmallow's nested messages as lines «path: message» (lists of items by index)."""
    if isinstance(messages, Mapping):
        items = list(messages.items())
    elif isinstance(messages, list) and not all(isinstance(m, str) for m in messages):
        items = list(enumerate(messages))
    else:
        text = "; ".join(messages) if isinstance(messages, list) else str(messages)
        return [f"{path}: {text}" if path else text]
    lines = []
    for key, value in items:
        lines += _lines(value, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else str(key))
    return lines


def validated(form_id: str | None, data: Any, *, declared: str | None = None, partial: tuple[str, ...] = ()) -> dict:
    """``data`` checked against the form's contract; ``FormDataError`` names the first field refused
    (``where``) and carries every field's messages. Dates come back as ISO strings, as the workflow
    stores them. A form without a contract accepts nothing. ``partial``: required fields that may be absent
    (the engine fills them from the registers)."""
    contract = contract_for(form_id, declared)
    if contract is None:
        raise FormDataError(f"у формы «{form_id}» нет контракта: данные не приняты", where=form_id or None)
    if not isinstance(data, Mapping):
        raise FormDataError("данные формы должны быть объектом (поле: значение)", where=form_id)
    try:
        loaded = contract().load(dict(data), partial=partial or False)
    except ma.ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        first = next(iter(messages))
        others = [str(name) for name in messages if name != first]
        message = "; ".join(_lines(messages[first])) + (f" (неверны и поля: {', '.join(others)})" if others else "")
        raise FormDataError(message, where=None if first == "_schema" else str(first), messages=messages) from None
    return {key: value.isoformat() if isinstance(value, (date, datetime)) else value for key, value in loaded.items()}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a contract as a page needs it."""

    name: str
    label: str
    help: str
    input: str  # text | choice | system | api (see engine.forms.fields)
    required: bool
    max_length: int | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None


def system_fields(form_id: str | None) -> tuple[str, ...]:
    """The fields of a shipped form the engine fills from the registers (``input`` = ``"system"``)."""
    contract = SHIPPED.get(form_id or "")
    if contract is None:
        return ()
    return tuple(name for name, field in contract().fields.items() if field.metadata.get("input") == "system")


def describe(form_id: str) -> dict[str, FieldSpec]:
    """The fields of a shipped form, by name, in the contract's order."""
    contract = SHIPPED[form_id]
    described = {}
    for name, field in contract().fields.items():
        label, help_text = field.metadata.get("title", name), field.metadata.get("description", "")
        spec = FieldSpec(name, label, "" if help_text == label else help_text, field.metadata.get("input", "text"),
                         field.required)
        for rule in field.validators:
            if isinstance(rule, validate.Length) and rule.max is not None:
                spec = replace(spec, max_length=rule.max)
            elif isinstance(rule, validate.Range):
                spec = replace(spec, minimum=rule.min, maximum=rule.max)
        described[name] = spec
    return described
