"""Which expressions need no bounded child process (``is_plain_expression``): the ones whose time and memory are
bounded by the data they read. The runtime (``engine.workflow.spiff.specs``) evaluates those with
``sandbox.safe_eval`` in its own process, checked as every expression is (``sandbox.check_code``); scripts and every
other expression still run in a bounded child (``engine.workflow.bounded``)."""
from __future__ import annotations

import ast
from functools import lru_cache

from engine.workflow.sandbox import check_code

_PLAIN_NODES = (
    ast.Expression, ast.Name, ast.Load, ast.Constant, ast.Subscript, ast.Compare, ast.BoolOp, ast.UnaryOp,
    ast.IfExp, ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn,
    ast.Call, ast.Attribute, ast.GeneratorExp, ast.comprehension, ast.Store,
)
_PLAIN_CALLS = frozenset({"len", "bool", "all", "any"})  # each linear in what it is given


def _plain_call(node: ast.Call) -> bool:
    """``len/bool/all/any(x)`` or ``mapping.get(key[, default])``: nothing else is called."""
    if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
        return False
    if isinstance(node.func, ast.Name):
        return node.func.id in _PLAIN_CALLS and len(node.args) == 1
    return isinstance(node.func, ast.Attribute) and node.func.attr == "get" and 1 <= len(node.args) <= 2


def _plain_node(node: ast.AST) -> bool:
    if not isinstance(node, _PLAIN_NODES):
        return False
    if isinstance(node, ast.Call):
        return _plain_call(node)
    if isinstance(node, ast.Attribute):
        return node.attr == "get"  # only as the method called (``_plain_call``)
    if isinstance(node, ast.comprehension):
        return isinstance(node.target, ast.Name) and not node.is_async
    return True


@lru_cache(maxsize=2048)
def is_plain_expression(expression: str) -> bool:
    """An expression of names, constants, subscripts (``data["key"]``, ``items[0]``), comparisons,
    ``and``/``or``/``not``, ``a if c else b``, ``len/bool/all/any(x)``, ``mapping.get(key)`` and a generator over
    a name's items (``all(d["ok"] for d in decisions)``) — nothing that builds, repeats or loops beyond the data it
    reads, so its time and memory are bounded by that data: the runtime may evaluate it in its own process
    (``sandbox.safe_eval``) instead of a bounded child (the gateway conditions: ``approved == True``)."""
    source = expression.strip() if isinstance(expression, str) else ""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return False
    nodes = list(ast.walk(tree))
    generators = [node for node in nodes if isinstance(node, ast.GeneratorExp)]
    once = len(generators) <= 1 and all(len(g.generators) == 1 for g in generators)  # no loop within a loop
    return once and all(_plain_node(node) for node in nodes) and not check_code(source, expression=True)
