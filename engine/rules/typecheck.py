"""Checks a parsed condition against the ruleset's facts and parameters."""
from __future__ import annotations

import math

from engine.rules.expressions import And, Compare, Expr, Member, Name, Not, Or
from engine.rules.model import Fact, Parameter
from engine.rules.problems import known_list, suggestion

TYPE_NAMES = {"number": "число", "bool": "да/нет", "enum": "значение из списка", "list": "список"}
MAX_ABS_NUMBER = 1_000_000_000
MAX_DECIMALS = 4


def number_problem(value: object) -> str | None:
    """Why a number cannot be used in a rule (durable_rules reads no exponents), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "ожидается число"
    if not math.isfinite(value) or abs(value) > MAX_ABS_NUMBER:
        return f"число должно быть по модулю не больше {MAX_ABS_NUMBER}"
    if isinstance(value, float) and round(value, MAX_DECIMALS) != value:
        return f"не больше {MAX_DECIMALS} знаков после запятой"
    return None


def check_condition(expr: Expr, facts: dict[str, Fact], parameters: dict[str, Parameter]) -> list[str]:
    """Every problem of the condition, as Russian sentences."""
    problems: list[str] = []
    _check(expr, facts, parameters, problems)
    return problems


def _fact(name: str, facts: dict[str, Fact], parameters: dict[str, Parameter], problems: list[str]) -> Fact | None:
    if name in facts:
        return facts[name]
    if name in parameters:
        problems.append(f"«{name}» — параметр; слева в сравнении должен стоять факт")
    else:
        problems.append(f"неизвестный факт «{name}»{suggestion(name, list(facts) + list(parameters))}")
    return None


def _literal(value: object, facts: dict[str, Fact], parameters: dict[str, Parameter], problems: list[str]) -> object:
    if isinstance(value, Name):
        if value.name in parameters:
            return parameters[value.name].value
        problems.append(f"справа в сравнении неизвестный параметр «{value.name}»{suggestion(value.name, parameters)}"
                        + ("" if value.name not in facts else " (сравнивать факт с фактом нельзя)"))
        return None
    return value


def _check_value(fact: Fact, value: object, problems: list[str]) -> None:
    if value is None:
        return
    if fact.type == "number":
        reason = number_problem(value)
        if reason:
            problems.append(f"факт «{fact.name}» — число, а значение {value!r}: {reason}")
    elif fact.type == "bool":
        if not isinstance(value, bool):
            problems.append(f"факт «{fact.name}» — да/нет, а значение {value!r}; используйте true/false")
    elif fact.type == "enum":
        if not isinstance(value, str) or value not in fact.values:
            problems.append(f"у факта «{fact.name}» нет значения {value!r}{suggestion(value, fact.values)}"
                            f" (допустимы: {known_list(fact.values)})")


def _check(expr: Expr, facts: dict, parameters: dict, problems: list[str]) -> None:  # noqa: C901 - one branch per kind of expression node
    if isinstance(expr, (And, Or)):
        for operand in expr.operands:
            _check(operand, facts, parameters, problems)
    elif isinstance(expr, Not):
        _check(expr.operand, facts, parameters, problems)
    elif isinstance(expr, Member):
        fact = _fact(expr.field, facts, parameters, problems)
        if fact is None:
            return
        if fact.type not in ("enum", "number"):
            problems.append(f"«in» применим к числам и значениям из списка, а «{fact.name}» — {TYPE_NAMES[fact.type]}")
            return
        for value in expr.values:
            _check_value(fact, value, problems)
    elif isinstance(expr, Compare):
        fact = _fact(expr.field, facts, parameters, problems)
        if fact is None:
            return
        value = _literal(expr.value, facts, parameters, problems)
        if expr.counted:
            if fact.type != "list":
                problems.append(f"count(...) применим к спискам, а «{fact.name}» — {TYPE_NAMES[fact.type]}")
            elif value is not None and number_problem(value):
                problems.append(f"count({fact.name}) сравнивается с числом, а не с {value!r}")
            return
        if fact.type == "list":
            problems.append(f"«{fact.name}» — список; сравнивайте его длину: count({fact.name}) >= 1")
            return
        if fact.type in ("bool", "enum") and expr.op not in ("==", "!="):
            problems.append(f"для «{fact.name}» ({TYPE_NAMES[fact.type]}) допустимы только == и !=")
            return
        _check_value(fact, value, problems)
