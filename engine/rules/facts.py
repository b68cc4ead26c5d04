"""Types facts before they reach any evaluator (durable_rules compares "10" >= 5 as text)."""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from engine.rules.model import Fact, Ruleset
from engine.rules.problems import suggestion
from engine.rules.typecheck import MAX_ABS_NUMBER, MAX_DECIMALS
from engine.vocabulary import plural

MAX_LIST_ITEMS = 200
MAX_TEXT = 500


@dataclass(frozen=True)
class FactIssue:
    fact: str
    kind: str  # wrong_type | out_of_range | unknown_fact
    message: str

    def __str__(self) -> str:
        return f"факт «{self.fact}»: {self.message}"


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "да/нет"
    if isinstance(value, (int, float)):
        return f"число {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f"строка «{shown}»"
    if isinstance(value, list):
        return "список"
    if isinstance(value, dict):
        return "словарь"
    return type(value).__name__


def _number(fact: Fact, value: object) -> tuple[object, FactIssue | None]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, FactIssue(fact.name, "wrong_type", f"ожидается число, получено: {_describe(value)}")
    if not math.isfinite(value):
        return None, FactIssue(fact.name, "wrong_type", "ожидается конечное число")
    low = fact.minimum if fact.minimum is not None else -MAX_ABS_NUMBER
    high = fact.maximum if fact.maximum is not None else MAX_ABS_NUMBER
    if not low <= value <= high:
        return None, FactIssue(fact.name, "out_of_range", f"значение {value!r} вне допустимого диапазона {low}–{high}")
    if fact.integer:
        if isinstance(value, float) and not value.is_integer():
            return None, FactIssue(fact.name, "wrong_type", f"ожидается целое число, получено: {value!r}")
        value = int(value)
    elif isinstance(value, float) and not value.is_integer():
        value = round(value, MAX_DECIMALS)
    return value, None


def _typed(fact: Fact, value: object) -> tuple[object, FactIssue | None]:
    if fact.type == "number":
        return _number(fact, value)
    if fact.type == "bool":
        if isinstance(value, bool):
            return value, None
        return None, FactIssue(fact.name, "wrong_type", f"ожидается да/нет (true/false), получено: {_describe(value)}")
    if fact.type == "enum":
        if isinstance(value, str) and value in fact.values:
            return value, None
        hint = suggestion(value, fact.values)
        allowed = ", ".join(fact.values)
        return None, FactIssue(fact.name, "wrong_type", f"недопустимое значение: {_describe(value)}{hint}; допустимы: {allowed}")
    if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS or not all(
            isinstance(item, str) and 0 < len(item) <= MAX_TEXT for item in value):
        return None, FactIssue(fact.name, "wrong_type",
                               f"ожидается список непустых строк (не больше {MAX_LIST_ITEMS}), получено: {_describe(value)}")
    return list(value), None


def typed_value(fact: Fact, value: object) -> tuple[object, FactIssue | None]:
    """``value`` typed as ``fact`` declares it (a number in its limits, a bool, one of the enum's values, a
    list of strings), or the issue found."""
    return _typed(fact, value)


def normalise(ruleset: Ruleset, raw: Mapping) -> tuple[dict, list[FactIssue]]:
    """Typed facts (missing and unusable ones left out) and the issues found."""
    if not isinstance(raw, Mapping):
        return {}, [FactIssue("*", "wrong_type", f"ожидается набор фактов (объект JSON), получено: {_describe(raw)}")]
    facts: dict = {}
    issues: list[FactIssue] = []
    for name, value in raw.items():
        fact = ruleset.facts.get(name)
        if fact is None:
            issues.append(FactIssue(str(name), "unknown_fact",
                                    f"набор правил {ruleset.id} такого факта не знает{suggestion(name, ruleset.facts)}"))
            continue
        if value is None:
            continue
        typed, issue = _typed(fact, value)
        if issue:
            issues.append(issue)
        else:
            facts[name] = typed
    return facts, issues


@lru_cache(maxsize=4096, typed=True)  # typed: 3 and 3.0 stay apart, as plural() receives them
def _unit_form(count: float, unit_forms: tuple[str, str, str]) -> str:
    return plural(count, *unit_forms)


def with_unit(text: str, count: float, unit_forms: tuple[str, ...]) -> str:
    """A shown number followed by the unit form that agrees with it («3 года», «4 оклада»); as it is without
    the three forms."""
    return f"{text} {_unit_form(count, unit_forms)}" if len(unit_forms) == 3 else text


def display(fact: Fact | None, value: object) -> str:
    """A fact value as a person reads it in an explanation."""
    if value is None:
        return "нет данных"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, (int, float)):
        text = str(int(value)) if float(value).is_integer() else f"{value:.{MAX_DECIMALS}f}".rstrip("0")
        return with_unit(text.replace(".", ","), value, fact.unit_forms if fact is not None else ())
    if isinstance(value, list):
        return ", ".join(value) if value else "—"
    if fact is not None and fact.type == "enum":
        return fact.values.get(str(value), str(value))
    return str(value)
