"""The filters an order template may use: dates as orders write them, people lines, Russian plural forms."""
from __future__ import annotations

from datetime import date

import pytest

from engine.regulations.order_templates import ENVIRONMENT
from engine.regulations.template_filters import FilterError, capfirst, dmy, long_date, names, nodot, plural, same, who

PETROV = {"full_name": "Петров Пётр Петрович", "position": "директор", "organization": "МАОУ СОШ № 8"}


def test_dates():
    assert dmy(date(2024, 9, 1)) == dmy("2024-09-01") == "01.09.2024"
    assert long_date(date(2026, 3, 12)) == "12 марта 2026 г."
    assert long_date("2024-09-01") == "1 сентября 2024 г."
    with pytest.raises(FilterError, match="фильтр dmy: нет даты"):
        dmy(None)
    with pytest.raises(FilterError, match="ожидается дата, получено '01.09.2024'"):
        long_date("01.09.2024")


def test_people():
    assert who(PETROV) == "Петров Пётр Петрович (директор, МАОУ СОШ № 8)"
    assert who({"full_name": "Петров Пётр Петрович", "position": None, "organization": "МАОУ СОШ № 8"}) == (
        "Петров Пётр Петрович (МАОУ СОШ № 8)")
    assert who({"full_name": "Петров Пётр Петрович"}) == "Петров Пётр Петрович"
    assert names([PETROV, {"full_name": "Орлов Игорь Андреевич"}]) == "Петров Пётр Петрович, Орлов Игорь Андреевич"
    with pytest.raises(FilterError, match="фильтр who: ожидается участник"):
        who("Петров")


@pytest.mark.parametrize(("count", "word"), [(1, "месяц"), (21, "месяц"), (2, "месяца"), (24, "месяца"),
                                             (5, "месяцев"), (11, "месяцев"), (12, "месяцев"), (0, "месяцев"),
                                             (1.5, "месяца")])
def test_plural_forms_by_babel(count, word):
    assert plural(count, "месяц", "месяца", "месяцев") == word


def test_text_helpers():
    assert capfirst("наставник – Петров") == "Наставник – Петров"
    assert capfirst("наставник – Петров П.П.") == "Наставник – Петров П.П."  # the rest is left as it is
    assert nodot("по болезни..") == "по болезни"
    assert same([{"a": 1, "b": 2}, {"a": 1, "b": 2}], "a", "b") and same([{"a": 1}], "a") and same([], "a")
    assert not same([{"a": 1, "b": 2}, {"a": 1, "b": 3}], "a", "b")


def test_filters_in_a_template():
    text = ENVIRONMENT.from_string(
        "{{ n }} {{ n | plural('наставляемый', 'наставляемых', 'наставляемых') }}: {{ people | names }}, "
        "с {{ on | long_date }}").render(n=2, people=[PETROV, PETROV], on=date(2025, 1, 10))
    assert text == ("2 наставляемых: Петров Пётр Петрович, Петров Пётр Петрович, с 10 января 2025 г.")
