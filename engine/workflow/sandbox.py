"""The sandbox for BPMN scripts and expressions (scriptTask, gateway conditions, timers, ...).

Two layers, both applied every time:
1. ``check_code`` — a static AST check: only an allowlist of syntax (assignments, if/for,
   comprehensions, calls, lambdas; no import, def, class, while, try, with, ``**``), no name or
   attribute starting with ``_``, none of the dangerous builtins (``FORBIDDEN_NAMES``), and
   attributes only from ``ALLOWED_ATTRIBUTES`` (methods of str/list/dict/set; no ``format``).
2. ``safe_eval`` / ``safe_exec`` — run the checked code with restricted globals: builtins are
   only ``SAFE_BUILTINS``; the project's functions are injected by name; no modules.

Limits: ``range`` is capped at ``MAX_RANGE`` items and ``while``/``**`` are not allowed; every loop
iteration, comprehension element and lambda call counts one operation against ``MAX_OPERATIONS``
(the compiled code is instrumented: ``_nastavnik_tick``, a name scripts cannot spell), so a runaway
loop stops deterministically with ``ScriptLimitExceeded``. Time and memory (a huge string repeat, a
squaring loop whose every step is one long C operation) are bounded where the runtime runs the code:
a pooled child process (``engine.workflow.bounded``).
Task data must stay JSON: after a script runs, every changed value is checked.
"""
from __future__ import annotations

import ast
import json
import textwrap
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from engine.errors import NastavnikError

MAX_RANGE = 100_000
MAX_OPERATIONS = 1_000_000  # loop iterations + comprehension elements + lambda calls, per script or expression
TICK = "_nastavnik_tick"

FORBIDDEN_NAMES = frozenset({
    "exec", "eval", "compile", "open", "getattr", "setattr", "delattr", "hasattr", "globals",
    "locals", "vars", "type", "dir", "input", "breakpoint", "help", "memoryview", "object",
    "super", "classmethod", "staticmethod", "property", "exit", "quit", "id", "callable",
    "isinstance", "issubclass", "print", "format", "iter", "next", "reload", "bytearray", "bytes",
})

ALLOWED_ATTRIBUTES = frozenset({
    # dict
    "get", "items", "keys", "values", "pop", "setdefault", "update", "copy", "clear",
    # list
    "append", "extend", "insert", "remove", "index", "count", "sort", "reverse",
    # str
    "lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "join",
    "replace", "startswith", "endswith", "find", "rfind", "title", "capitalize", "casefold",
    "isdigit", "isalpha", "isalnum", "isnumeric", "isspace", "zfill", "ljust", "rjust", "center",
    "partition", "rpartition",
    # set
    "add", "discard", "union", "intersection", "difference", "symmetric_difference",
    "issubset", "issuperset", "isdisjoint",
    # float
    "is_integer",
})

_ALLOWED_NODES = (
    ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.For, ast.If, ast.Pass,
    ast.Break, ast.Continue, ast.Delete,
    ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Lambda, ast.IfExp, ast.Dict, ast.Set, ast.ListComp,
    ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Compare, ast.Call, ast.FormattedValue,
    ast.JoinedStr, ast.Constant, ast.Attribute, ast.Subscript, ast.Starred, ast.Name, ast.List,
    ast.Tuple, ast.Slice, ast.comprehension, ast.arguments, ast.arg, ast.keyword,
    ast.Load, ast.Store, ast.Del, ast.And, ast.Or,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Mod, ast.FloorDiv, ast.BitOr, ast.BitAnd, ast.BitXor,
    ast.Invert, ast.Not, ast.UAdd, ast.USub,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn,
)

_CONSTRUCT_NAMES = {
    "Import": "импорт модулей", "ImportFrom": "импорт модулей", "FunctionDef": "определение функций (def)",
    "AsyncFunctionDef": "определение функций (def)", "ClassDef": "определение классов",
    "While": "цикл while", "Try": "try/except", "TryStar": "try/except", "With": "with",
    "Raise": "raise", "Global": "global", "Nonlocal": "nonlocal", "Pow": "возведение в степень (**)",
    "Yield": "yield", "YieldFrom": "yield", "Await": "await", "NamedExpr": "оператор :=",
    "Return": "return", "Assert": "assert", "LShift": "сдвиг (<<)", "RShift": "сдвиг (>>)",
    "MatMult": "оператор @", "AnnAssign": "аннотации типов", "Match": "match",
}


class SandboxViolation(NastavnikError):
    """A script or expression tried something the sandbox does not allow."""


class ScriptLimitExceeded(NastavnikError):
    """A script or expression ran past a bound: ``bound`` is ``time``, ``memory``, ``operations`` or
    ``size`` (the data it returns); ``limit`` says the bound in Russian («5 с», «256 МБ»)."""

    BOUNDS = {"time": "предел времени", "memory": "предел памяти", "operations": "предел числа операций",
              "size": "предел объёма данных"}

    element_name: str | None = None
    expression = False  # set when an expression (not a script body) breached it

    def __init__(self, bound: str, limit: str, *, where: str | None = None) -> None:
        self.bound, self.limit = bound, limit
        super().__init__(f"сценарий превысил {self.BOUNDS[bound]} {limit}", where=where)

    def for_element(self, element_id: str, element_name: str | None) -> ScriptLimitExceeded:
        """The same breach told about the BPMN element that ran the code."""
        located = ScriptLimitExceeded(self.bound, self.limit, where=element_id)
        located.expression, located.element_name = self.expression, element_name
        what = "выражение" if self.expression else "сценарий"
        named = f"{what} «{element_name}» (элемент {element_id})" if element_name else f"{what} элемента {element_id}"
        verb = "превысило" if self.expression else "превысил"
        located.message = f"{named} {verb} {self.BOUNDS[self.bound]} {self.limit}"
        located.args = (located.message,)
        return located


class _Budget:
    def __init__(self, limit: int) -> None:
        self.left = limit

    def tick(self) -> bool:
        self.left -= 1
        if self.left < 0:
            raise ScriptLimitExceeded("operations", f"{MAX_OPERATIONS:,}".replace(",", "\u00a0"))
        return True


class _Instrument(ast.NodeTransformer):
    """Every ``for`` iteration, comprehension element and lambda call first calls the budget's tick."""

    @staticmethod
    def _tick() -> ast.Call:
        return ast.Call(func=ast.Name(id=TICK, ctx=ast.Load()), args=[], keywords=[])

    def visit_For(self, node: ast.For) -> ast.AST:
        self.generic_visit(node)
        node.body.insert(0, ast.Expr(value=self._tick()))
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        self.generic_visit(node)
        node.ifs.insert(0, self._tick())
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        self.generic_visit(node)
        node.body = ast.BoolOp(op=ast.And(), values=[self._tick(), node.body])
        return node


def _limited_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise SandboxViolation(f"range() длиннее {MAX_RANGE} элементов не разрешён")
    return result


SAFE_BUILTINS: dict[str, Any] = {
    "len": len, "min": min, "max": max, "sum": sum, "sorted": sorted, "range": _limited_range,
    "abs": abs, "round": round, "int": int, "float": float, "str": str, "bool": bool,
    "list": list, "dict": dict, "set": set, "tuple": tuple, "any": any, "all": all,
    "enumerate": enumerate, "zip": zip, "reversed": reversed,
    "None": None, "True": True, "False": False,
}


def _name_problem(name: str, what: str) -> str | None:
    if name.startswith("_"):
        return f"{what} «{name}» запрещено: имена, начинающиеся с «_», недоступны"
    if name in FORBIDDEN_NAMES:
        return f"функция «{name}» запрещена"
    return None


@lru_cache(maxsize=2048)
def _check(source: str, mode: str) -> tuple[str, ...]:  # noqa: C901 - one refusal per forbidden construct of a script
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        return (f"синтаксическая ошибка в строке {exc.lineno}: {exc.msg}",)
    except (ValueError, MemoryError, RecursionError) as exc:
        return (f"текст не разбирается как Python: {exc}",)
    problems: list[str] = []
    for node in ast.walk(tree):
        problem = None
        if not isinstance(node, _ALLOWED_NODES):
            kind = type(node).__name__
            problem = f"конструкция «{_CONSTRUCT_NAMES.get(kind, kind)}» не разрешена"
        elif isinstance(node, ast.Name):
            problem = _name_problem(node.id, "имя")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("_"):
                problem = f"атрибут «{node.attr}» запрещён: имена, начинающиеся с «_», недоступны"
            elif node.attr not in ALLOWED_ATTRIBUTES:
                problem = f"обращение к атрибуту «{node.attr}» не разрешено"
        elif isinstance(node, ast.arg):
            problem = _name_problem(node.arg, "имя")
        elif isinstance(node, ast.keyword) and node.arg is not None:
            problem = _name_problem(node.arg, "имя")
        if problem and problem not in problems:
            line = getattr(node, "lineno", None)
            problems.append(f"{problem} (строка {line})" if line and mode == "exec" else problem)
    if not problems:
        problems.extend(_bomb_problems(tree))
    return tuple(problems)


# ---- obvious bombs, refused at check and deploy (the runtime bounds are the guarantee) ----------

MAX_CONSTANT_SIZE = 10_000_000  # a repetition or padding width written as constants


def _constant_int(node: ast.AST) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        left, right = _constant_int(node.left), _constant_int(node.right)
        return left * right if left is not None and right is not None else None
    return None


def _factors(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _factors(node.left) + _factors(node.right)
    return [node]


def _repetition(node: ast.AST) -> int | None:
    """The constant count of ``x * n * m`` (the product of the integer factors of a product chain)."""
    ints = [_constant_int(f) for f in _factors(node)]
    known = [n for n in ints if n is not None]
    if len(known) == len(ints) or not known:
        return None
    total = 1
    for n in known:
        total *= n
    return total


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def _range_length(node: ast.AST) -> int | None:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range"):
        return None
    bounds = [_constant_int(a) for a in node.args]
    if not bounds or None in bounds or len(bounds) > 3 or (len(bounds) == 3 and bounds[2] == 0):
        return None
    return len(range(*bounds))  # type: ignore[arg-type]


def _repeats(node: ast.AST) -> int:
    """How many constant range iterations one pass of ``node`` implies (nested loops multiply)."""
    if isinstance(node, ast.For):
        inner = max((_repeats(child) for child in node.body), default=1)
        return (_range_length(node.iter) or 1) * max(inner, 1)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        total = 1
        for generator in node.generators:
            total *= _range_length(generator.iter) or 1
        return total
    return max((_repeats(child) for child in ast.iter_child_nodes(node)), default=1)


def _squares_itself(node: ast.AST) -> str | None:
    """``a = a * a`` or ``a *= a`` inside a loop: the value's size doubles every iteration."""
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Mult) and isinstance(node.target, ast.Name):
        names = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
        return node.target.id if node.target.id in names else None
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        target = node.targets[0].id
        for product in ast.walk(node.value):
            if isinstance(product, ast.BinOp) and isinstance(product.op, ast.Mult):
                used = [n.id for n in ast.walk(product) if isinstance(n, ast.Name)]
                if used.count(target) >= 2:
                    return target
    return None


def _bomb_problems(tree: ast.AST) -> list[str]:
    problems = []
    repeats = _repeats(tree)
    if repeats > MAX_OPERATIONS:
        problems.append(f"циклы по range выполнят {_number(repeats)} итераций — больше предела "
                        f"{_number(MAX_OPERATIONS)} операций")
    for node in ast.walk(tree):
        size = _repetition(node) if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args and \
                node.func.attr in {"ljust", "rjust", "center", "zfill"}:
            size = _constant_int(node.args[0])
        if size is not None and abs(size) > MAX_CONSTANT_SIZE:
            problems.append(f"повторение или ширина строки {_number(size)} больше {_number(MAX_CONSTANT_SIZE)} "
                            f"(строка {getattr(node, 'lineno', '?')})")
        if isinstance(node, ast.For):
            for statement in ast.walk(node):
                name = _squares_itself(statement)
                if name:
                    problems.append(f"«{name}» умножается сам на себя в цикле: его размер растёт без предела "
                                    f"(строка {getattr(statement, 'lineno', '?')})")
    return list(dict.fromkeys(problems))


def _normal(source: str, mode: str) -> str:
    """Expressions without surrounding blanks; scripts dedented (XML editors indent them)."""
    return source.strip() if mode == "eval" else textwrap.dedent(source).strip("\r\n")


def check_code(source: str, *, expression: bool = False) -> list[str]:
    """Problems (Russian) with a script, or with an expression when ``expression``; [] if fine."""
    if not isinstance(source, str):
        return ["текст скрипта отсутствует"]
    mode = "eval" if expression else "exec"
    return list(_check(_normal(source, mode), mode))


@lru_cache(maxsize=2048)
def _compiled(source: str, mode: str):
    problems = _check(source, mode)
    if problems:
        raise SandboxViolation("; ".join(problems))
    tree = ast.fix_missing_locations(_Instrument().visit(ast.parse(source, mode=mode)))
    return compile(tree, "<string>", mode)


def _namespace(data: dict, functions: dict[str, Callable]) -> dict:
    for name in functions:
        if name.startswith("_"):
            raise SandboxViolation(f"функция «{name}» не может быть передана в скрипты")
    namespace = dict(data)
    namespace.update(functions)
    namespace["__builtins__"] = dict(SAFE_BUILTINS)
    namespace[TICK] = _Budget(MAX_OPERATIONS).tick
    return namespace


def safe_eval(expression: str, data: dict, functions: dict[str, Callable] | None = None) -> Any:
    """Evaluate a checked expression over ``data`` (not modified) and the injected functions."""
    code = _compiled(_normal(expression, "eval"), "eval")
    return eval(code, _namespace(data, functions or {}))  # noqa: S307 - checked and restricted


def safe_exec(script: str, data: dict, functions: dict[str, Callable] | None = None) -> None:
    """Run a checked script; ``data`` (task data) is updated in place with what it assigns.

    Injected functions and any callable a script creates are not written back; a value that is
    not JSON-serializable is refused.
    """
    functions = functions or {}
    code = _compiled(_normal(script, "exec"), "exec")
    namespace = _namespace(data, functions)
    exec(code, namespace)  # noqa: S102 - checked and restricted
    namespace.pop("__builtins__", None)
    namespace.pop(TICK, None)
    result = {}
    for key, value in namespace.items():
        if key in functions and value is functions[key]:
            if key in data:
                result[key] = data[key]
            continue
        if callable(value):
            continue
        ensure_json(value, key)
        result[key] = value
    data.clear()
    data.update(result)


def ensure_json(value: Any, name: str = "значение") -> None:
    """Raise ``SandboxViolation`` unless ``value`` survives a JSON round trip."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise SandboxViolation(
            f"«{name}»: в данных процесса допускаются только строки, числа, true/false, null, "
            f"списки и словари (даты — строками ISO 8601); {exc}"
        ) from None
