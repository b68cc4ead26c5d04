"""Forms a methodologist designs in the browser (form-js from bpmn.io): the schema's fields and checking an
answer against them. Pure: the stored versions and the pins live in ``engine.services.methodology.designed_forms``.

A user task names a designed form ``designed:<key>``; deploying its process pins the form's deployed version
(``designed_form_pins``), so a running program keeps the fields it started with.

Supported components (anything else is refused when the form is deployed, naming the component):
``textfield``, ``textarea`` (text: required, minLength, maxLength, pattern), ``number`` (min, max; decimalDigits 0:
whole numbers), ``checkbox`` (true/false), ``select`` and ``radio`` (one of the values), ``checklist`` (some of
the values), ``datetime`` with subtype ``date`` (ISO date); ``text``, ``spacer``, ``separator`` and ``button`` show
nothing to answer; ``group`` holds components.

    parse_schema(schema) -> (fields, problems)
    validate_answers(fields, data) -> dict       # FormDataError naming the field by its label (where = its key)
    from_strings(fields, get, get_list) -> dict  # an HTML form's strings as the JSON the schema expects
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.forms.fields import TEXT_MAX, FormDataError

PREFIX = "designed:"
KEY = re.compile(r"[a-z][a-z0-9_]{0,62}\Z")
FIELD_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}\Z")
MAX_FIELDS = 100
MAX_SCHEMA_BYTES = 200_000
INPUTS = {"textfield": "text", "textarea": "text", "number": "number", "checkbox": "bool", "select": "choice",
          "radio": "choice", "checklist": "choices", "datetime": "date"}
DISPLAY = {"text", "spacer", "separator", "button", "default"}
KIND_LABELS = {"text": "текст", "number": "число", "bool": "да/нет", "choice": "выбор одного", "choices": "выбор нескольких",
               "date": "дата"}


def designed_key(form_id: str | None) -> str | None:
    """``key`` of ``designed:<key>``, else None."""
    return form_id[len(PREFIX):] if form_id and form_id.startswith(PREFIX) else None


def key_problem(key: str) -> str | None:
    if not KEY.match(key or ""):
        return (f"ключ формы «{key[:70]}» не подходит: латинские строчные буквы, цифры и «_», с буквы, "
                "до 63 знаков")
    return None


@dataclass(frozen=True)
class DesignedField:
    """One answerable field of a designed form."""

    key: str
    label: str
    kind: str  # text | number | bool | choice | choices | date
    component: str  # the form-js type
    required: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False
    options: tuple[tuple[str, str], ...] = field(default=())  # (value, label)

    @property
    def hint(self) -> str:
        """The field's limits in words, for the page under the field («не короче 5 знаков, от 1 до 8, целое число»)."""
        limits = [f"не короче {self.min_length} знаков"] if self.min_length else []
        if self.minimum is not None:
            limits.append(f"от {_format(self.minimum)}")
        if self.maximum is not None:
            limits.append(f"до {_format(self.maximum)}")
        return ", ".join(limits + (["целое число"] if self.whole else []))

    def option_label(self, value: Any) -> str:
        return next((label for option, label in self.options if option == value), str(value))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _component_field(component: Mapping, where: str, problems: list[str]) -> DesignedField | None:
    kind = INPUTS[str(component.get("type"))]
    key = component.get("key")
    label = str(component.get("label") or key or "").strip()[:200]
    if not isinstance(key, str) or not FIELD_KEY.match(key):
        problems.append(f"{where}: у поля «{label or '…'}» нет ключа или он не из латинских букв, цифр и «_»")
        return None
    if str(component.get("type")) == "datetime" and component.get("subtype", "date") != "date":
        problems.append(f"поле «{label}» ({key}): поддерживается только дата, без времени")
        return None
    given = component.get("validate")
    rules: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    pattern = rules.get("pattern") or None
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error:
            problems.append(f"поле «{label}» ({key}): шаблон «{pattern}» — не регулярное выражение")
            return None
    options: tuple[tuple[str, str], ...] = ()
    if kind in ("choice", "choices"):
        values = component.get("values")
        if not isinstance(values, list) or not values or not all(isinstance(v, Mapping) for v in values):
            problems.append(f"поле «{label}» ({key}): перечислите варианты (статический список значений)")
            return None
        options = tuple((str(v.get("value", "")), str(v.get("label") or v.get("value", ""))) for v in values)
    lengths = [_number(rules.get(name)) for name in ("minLength", "maxLength")]
    return DesignedField(
        key=key, label=label or key, kind=kind, component=str(component.get("type")), required=bool(rules.get("required")),
        min_length=None if lengths[0] is None else int(lengths[0]),
        max_length=min(TEXT_MAX, int(lengths[1])) if lengths[1] is not None else (TEXT_MAX if kind == "text" else None),
        pattern=None if pattern is None else str(pattern), minimum=_number(rules.get("min")),
        maximum=_number(rules.get("max")), whole=kind == "number" and component.get("decimalDigits") == 0,
        options=options)


def _add(found: list[DesignedField], made: DesignedField | None, problems: list[str]) -> None:
    if made is None:
        return
    if any(f.key == made.key for f in found):
        problems.append(f"поле «{made.label}»: ключ «{made.key}» уже есть у другого поля")
    else:
        found.append(made)


def parse_schema(schema: Any) -> tuple[list[DesignedField], list[str]]:
    """The answerable fields of a form-js schema, and what is wrong with it (Russian, naming the component)."""
    if not isinstance(schema, Mapping) or not isinstance(schema.get("components"), list):
        return [], ["схема формы должна быть объектом form-js со списком components"]
    found: list[DesignedField] = []
    problems: list[str] = []

    def walk(components: list, path: str) -> None:
        for number, component in enumerate(components, start=1):
            where = f"{path}элемент {number}"
            if not isinstance(component, Mapping):
                problems.append(f"{where}: не объект")
                continue
            kind = str(component.get("type"))
            if kind == "group":
                walk(component.get("components") or [], f"{where} → ")
            elif kind in INPUTS:
                _add(found, _component_field(component, where, problems), problems)
            elif kind not in DISPLAY:
                label = component.get("label") or component.get("key") or kind
                problems.append(f"{where} «{label}»: элемент «{kind}» не поддерживается (поддерживаются: "
                                f"{', '.join(INPUTS)})")
    walk(schema["components"], "")
    if len(found) > MAX_FIELDS:
        problems.append(f"в форме {len(found)} полей, допустимо не больше {MAX_FIELDS}")
    return found, problems


def _refused(item: DesignedField, message: str) -> FormDataError:
    return FormDataError(f"поле «{item.label}»: {message}", where=item.key, messages={item.key: [message]},
                         label=item.label)


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _checked(item: DesignedField, value: Any) -> Any:  # noqa: C901 — one branch per kind, read top to bottom
    if item.kind == "text":
        if not isinstance(value, str):
            raise _refused(item, "ожидается строка")
        if item.max_length is not None and len(value) > item.max_length:
            raise _refused(item, f"не длиннее {item.max_length} знаков")
        if item.min_length is not None and len(value) < item.min_length:
            raise _refused(item, f"не короче {item.min_length} знаков")
        if item.pattern and not re.fullmatch(item.pattern, value):
            raise _refused(item, "значение не подходит под шаблон поля")
        return value
    if item.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (
                float("inf"), float("-inf")):
            raise _refused(item, "ожидается число")
        if item.whole and not float(value).is_integer():
            raise _refused(item, "ожидается целое число")
        if item.minimum is not None and value < item.minimum:
            raise _refused(item, f"не меньше {_format(item.minimum)}")
        if item.maximum is not None and value > item.maximum:
            raise _refused(item, f"не больше {_format(item.maximum)}")
        return int(value) if item.whole else value
    if item.kind == "bool":
        if not isinstance(value, bool):
            raise _refused(item, "ожидается true или false")
        if item.required and not value:
            raise _refused(item, "отметьте это поле")
        return value
    allowed = [option for option, _label in item.options]
    if item.kind == "choice":
        if value not in allowed:
            raise _refused(item, "выберите один из вариантов: " + ", ".join(label for _v, label in item.options))
        return value
    if item.kind == "choices":
        if not isinstance(value, list) or any(v not in allowed for v in value):
            raise _refused(item, "выберите из вариантов: " + ", ".join(label for _v, label in item.options))
        if item.required and not value:
            raise _refused(item, "выберите хотя бы один вариант")
        return list(dict.fromkeys(value))
    if not isinstance(value, str):
        raise _refused(item, "ожидается дата ГГГГ-ММ-ДД")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise _refused(item, "ожидается дата ГГГГ-ММ-ДД") from None


def validate_answers(fields: list[DesignedField], data: Any) -> dict[str, Any]:
    """``data`` checked against the form's fields: only declared keys, each by its kind and limits; absent or
    empty optional fields are left out (an absent checkbox is false). ``FormDataError`` names the first field refused by its label."""
    if not isinstance(data, Mapping):
        raise FormDataError("данные формы должны быть объектом (поле: значение)")
    by_key = {item.key: item for item in fields}
    unknown = [str(name) for name in data if name not in by_key]
    if unknown:
        raise FormDataError(f"в форме нет поля «{unknown[0][:70]}»: данные не приняты", where=unknown[0][:70],
                            messages={name: ["неизвестное поле"] for name in unknown})
    answers: dict[str, Any] = {}
    for item in fields:
        value = data.get(item.key, False if item.kind == "bool" else None)  # an unticked box is «нет»
        if value is None or value == "" or (value == [] and item.kind == "choices" and not item.required):
            if item.required:
                raise _refused(item, "обязательное поле")
            continue
        answers[item.key] = _checked(item, value)
    return answers


def from_strings(fields: list[DesignedField], get: Callable[[str], str | None],
                 get_list: Callable[[str], list[str]]) -> dict[str, Any]:
    """What an HTML form sent, as the JSON the schema expects (a number that does not parse stays a string:
    ``validate_answers`` then names the field); only the declared keys are read."""
    data: dict[str, Any] = {}
    for item in fields:
        if item.kind == "bool":
            data[item.key] = get(item.key) is not None
        elif item.kind == "choices":
            data[item.key] = get_list(item.key)
        else:
            raw = (get(item.key) or "").strip() if item.kind != "text" else (get(item.key) or "")
            if item.kind == "number" and raw:
                try:
                    data[item.key] = float(raw.replace(",", ".")) if not raw.lstrip("-").isdigit() else int(raw)
                except ValueError:
                    data[item.key] = raw
            else:
                data[item.key] = raw
    return data


def shown_value(item: DesignedField, value: Any) -> str:
    """An answer as a person reads it (the options' labels, «да»/«нет», dates as ДД.ММ.ГГГГ)."""
    if item.kind == "bool":
        return "да" if value else "нет"
    if item.kind == "choice":
        return item.option_label(value)
    if item.kind == "choices":
        return ", ".join(item.option_label(v) for v in value or [])
    if item.kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return str(value)
