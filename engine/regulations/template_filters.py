"""The filters an order template may use besides Jinja's own (docs/order-templates.md):

==============  ===========================================  ===============================================
filter          example                                      result
==============  ===========================================  ===============================================
``dmy``         ``{{ starts_on | dmy }}``                    «01.09.2024»
``long_date``   ``{{ starts_on | long_date }}``              «1 сентября 2024 г.»
``who``         ``{{ curator | who }}``                      «Петров Пётр Петрович (директор, МАОУ СОШ № 8)»
``names``       ``{{ mentees | names }}``                    «Петров Пётр Петрович, Орлов Игорь Андреевич»
``capfirst``    ``{{ "наставник – …" | capfirst }}``         «Наставник – …» (the rest unchanged)
``nodot``       ``{{ reason | nodot }}``                     the text without its final full stops
``plural``      ``{{ n }} {{ n | plural("месяц", "месяца",   «24 месяца», «5 месяцев», «21 месяц» (Babel's
                "месяцев") }}``                              Russian plural rules)
``same``        ``{{ mentors | same("starts_on",             true when every item has the same values
                "ends_on") }}``
==============  ===========================================  ===============================================

A date may be a ``date`` or an ISO string; a missing one (``None``) is an error naming the filter, so a template
that prints an optional date without ``{% if %}`` is refused by the pack's check.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from babel import Locale
from babel.dates import format_date
from jinja2 import Undefined

from engine.errors import NastavnikError
from engine.vocabulary import plural as russian_plural

_RUSSIAN = Locale("ru")


class FilterError(NastavnikError):
    """A filter got what it cannot print (the message names the filter)."""


def defined(value: Any) -> Any:
    """``value`` itself; an undefined name or field raises its own error («нет поля …») here rather than
    reaching a filter as a strange value."""
    if isinstance(value, Undefined):
        str(value)  # StrictUndefined raises, naming what is missing
    return value


def day(value: Any, name: str) -> date:
    """``value`` as a date (a ``date`` or an ISO string); ``FilterError`` naming ``name`` otherwise."""
    value = defined(value)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    if value is None:
        raise FilterError(f"фильтр {name}: нет даты (значение не задано; проверьте его через {{% if … %}})")
    raise FilterError(f"фильтр {name}: ожидается дата, получено {value!r}")


def dmy(value: Any) -> str:
    return day(value, "dmy").strftime("%d.%m.%Y")


def long_date(value: Any) -> str:
    return format_date(day(value, "long_date"), "d MMMM y", locale=_RUSSIAN) + " г."


def _person(value: Any, name: str) -> Mapping[str, Any]:
    value = defined(value)
    if not isinstance(value, Mapping) or not value.get("full_name"):
        raise FilterError(f"фильтр {name}: ожидается участник (ФИО, должность, организация), получено {value!r}")
    return value


def who(person: Any) -> str:
    """«Петров Пётр Петрович (директор, МАОУ СОШ № 8)»: ФИО, then position and organization when known."""
    found = _person(person, "who")
    details = [str(found[key]) for key in ("position", "organization") if found.get(key)]
    return f"{found['full_name']} ({', '.join(details)})" if details else str(found["full_name"])


def names(people: Any) -> str:
    people = defined(people)
    if people is None or isinstance(people, (str, Mapping)):
        raise FilterError(f"фильтр names: ожидается список участников, получено {people!r}")
    return ", ".join(str(_person(person, "names")["full_name"]) for person in people)


def capfirst(text: Any) -> str:
    text = str(defined(text))
    return text[:1].upper() + text[1:]


def nodot(text: Any) -> str:
    return str(defined(text)).rstrip(".")


def plural(count: Any, one: str, few: str, many: str) -> str:
    """The word form for ``count``: «месяц» (1, 21), «месяца» (2–4, 22), «месяцев» (5–20, 25); fractions take
    the «few» form («1,5 месяца»)."""
    count = defined(count)
    if isinstance(count, bool) or not isinstance(count, (int, float)):
        raise FilterError(f"фильтр plural: ожидается число, получено {count!r}")
    return russian_plural(count, one, few, many)


def same(items: Any, *attributes: str) -> bool:
    """True when every item of ``items`` has the same values of ``attributes`` (true for one item)."""
    if not attributes:
        raise FilterError("фильтр same: укажите сравниваемые поля, например same(\"starts_on\", \"ends_on\")")
    rows: Iterable[Any] = defined(items) or ()
    seen = {tuple(row.get(a) if isinstance(row, Mapping) else None for a in attributes) for row in rows}
    return len(seen) <= 1


FILTERS: dict[str, Callable[..., Any]] = {
    "dmy": dmy, "long_date": long_date, "who": who, "names": names, "capfirst": capfirst, "nodot": nodot,
    "plural": plural, "same": same,
}
