"""The condition language of rule files: small, readable, parsed here (never ``eval``).

    years_as_head >= 5
    contest_level in ["regional", "federal"] and contest_result != "participant"
    is_head and months_as_head <= new_head_max_months
    count(high_result_directions) >= 1
    not in_management_reserve

Keywords have Russian aliases: ``и`` (and), ``или`` (or), ``не`` (not), ``да``/``нет`` (true/false).
Names are facts or parameters of the ruleset; the loader checks which, and their types.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Literal = bool | int | float | str


@dataclass(frozen=True)
class Compare:
    """``field op value``; for ``count(field)`` the field is a list and ``counted`` is set."""

    field: str
    op: str  # == != < <= > >=
    value: Literal | Name
    counted: bool = False


@dataclass(frozen=True)
class Member:
    field: str
    values: tuple
    negated: bool = False


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class And:
    operands: tuple


@dataclass(frozen=True)
class Or:
    operands: tuple


@dataclass(frozen=True)
class Name:
    """A bare name on the right-hand side: a parameter, replaced by its value when compiled."""

    name: str


Expr = Compare | Member | Not | And | Or

NEGATED_OP = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}

_KEYWORDS = {
    "and": "and", "и": "and",
    "or": "or", "или": "or",
    "not": "not", "не": "not",
    "in": "in", "в": "in",
    "true": True, "да": True,
    "false": False, "нет": False,
}

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)(?![\w.])
      | (?P<string>"[^"\\]*"|'[^'\\]*'|«[^»]*»)
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>[^\W\d]\w*)
    )""",
    re.VERBOSE | re.UNICODE,
)


MAX_NUMBER_DIGITS = 30  # no threshold of a regulation comes near it; Python refuses to read > 4300 digits
MAX_NESTING = 30  # brackets and «not» inside each other: the parser and every walker over the tree recurse


class ExpressionError(ValueError):
    """``position`` is the 0-based character offset of the problem in the condition text."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class _Token:
    kind: str
    value: Any  # the text of a name or operator, or a literal's value
    position: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            start = len(text) - len(text[position:].lstrip())
            raise ExpressionError(f"непонятный символ «{text[start]}»", start)
        group = match.lastgroup or ""
        start = match.start(group)
        raw = match.group(group)
        if match.lastgroup == "number":
            if sum(char.isdigit() for char in raw) > MAX_NUMBER_DIGITS:
                raise ExpressionError(f"слишком длинное число: больше {MAX_NUMBER_DIGITS} цифр", start)
            tokens.append(_Token("literal", float(raw) if "." in raw else int(raw), start))
        elif match.lastgroup == "string":
            tokens.append(_Token("literal", raw[1:-1], start))
        elif match.lastgroup == "op":
            tokens.append(_Token(raw, raw, start))
        else:
            keyword = _KEYWORDS.get(raw.lower())
            if isinstance(keyword, bool):
                tokens.append(_Token("literal", keyword, start))
            elif keyword:
                tokens.append(_Token(str(keyword), keyword, start))
            else:
                tokens.append(_Token("name", raw, start))
        position = match.end()
    tokens.append(_Token("end", None, len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    def nested(self) -> None:
        """One level deeper (a bracket or a «not»): refused beyond ``MAX_NESTING``."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(f"слишком глубокая вложенность скобок и «not»: больше {MAX_NESTING} уровней",
                                  self.current.position)

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def take(self, kind: str) -> _Token:
        token = self.current
        if token.kind != kind:
            expected = {"end": "конец условия", "name": "имя факта", "literal": "значение"}.get(kind, f"«{kind}»")
            found = "конец условия" if token.kind == "end" else f"«{token.value}»"
            raise ExpressionError(f"ожидалось {expected}, а найдено {found}", token.position)
        self.index += 1
        return token

    def parse(self) -> Expr:
        expr = self.disjunction()
        self.take("end")
        return expr

    def disjunction(self) -> Expr:
        operands = [self.conjunction()]
        while self.current.kind == "or":
            self.index += 1
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def conjunction(self) -> Expr:
        operands = [self.negation()]
        while self.current.kind == "and":
            self.index += 1
            operands.append(self.negation())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def negation(self) -> Expr:
        if self.current.kind == "not":
            self.nested()
            self.index += 1
            inner = Not(self.negation())
            self.depth -= 1
            return inner
        return self.atom()

    def atom(self) -> Expr:
        token = self.current
        if token.kind == "(":
            self.nested()
            self.index += 1
            inner = self.disjunction()
            self.take(")")
            self.depth -= 1
            return inner
        name = self.take("name")
        counted = False
        if name.value == "count" and self.current.kind == "(":
            self.index += 1
            name = self.take("name")
            self.take(")")
            counted = True
        if self.current.kind in NEGATED_OP:
            op = self.take(self.current.kind).value
            return Compare(name.value, op, self.operand(), counted)
        if self.current.kind == "not" and self.tokens[self.index + 1].kind == "in":
            self.index += 2
            return Member(name.value, self.literal_list(), negated=True)
        if self.current.kind == "in":
            self.index += 1
            return Member(name.value, self.literal_list())
        if counted:
            raise ExpressionError("после count(...) нужно сравнение, например count(x) >= 1", self.current.position)
        return Compare(name.value, "==", True)

    def operand(self) -> Literal | Name:
        if self.current.kind == "name":
            return Name(self.take("name").value)
        return self.take("literal").value

    def literal_list(self) -> tuple:
        self.take("[")
        values = [self.take("literal").value]
        while self.current.kind == ",":
            self.index += 1
            values.append(self.take("literal").value)
        self.take("]")
        return tuple(values)


def parse(text: str) -> Expr:
    """Parse a condition; raises ExpressionError naming the position."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("пустое условие", 0)
    return _Parser(text).parse()


def names_in(expr: Expr) -> set[str]:
    """Every fact or parameter name the expression mentions."""
    if isinstance(expr, Compare):
        found = {expr.field}
        if isinstance(expr.value, Name):
            found.add(expr.value.name)
        return found
    if isinstance(expr, Member):
        return {expr.field}
    if isinstance(expr, Not):
        return names_in(expr.operand)
    return set().union(*(names_in(operand) for operand in expr.operands))


def substitute(expr: Expr, parameters: dict[str, Literal]) -> Expr:
    """Replace parameter names on right-hand sides by their values."""
    if isinstance(expr, Compare):
        if isinstance(expr.value, Name):
            return Compare(expr.field, expr.op, parameters[expr.value.name], expr.counted)
        return expr
    if isinstance(expr, Member):
        return expr
    if isinstance(expr, Not):
        return Not(substitute(expr.operand, parameters))
    return type(expr)(tuple(substitute(operand, parameters) for operand in expr.operands))
