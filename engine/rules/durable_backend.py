"""The only module that imports durable_rules (2.0.28) and the workarounds it needs.

- one Host for the process, with no dispatcher threads (``_run`` does nothing) and a lock around it;
- every decision is one fact in one live session, deleted in ``finally`` (more than 1024 live sessions
  crash the engine; a session whose fact matched no rule segfaults on delete: a catch-all rule matches all);
- facts arrive typed (see facts.py) and numbers never in exponent notation (durable's JSON reader fails);
- rulesets are registered under versioned names and never unloaded (the engine cannot);
- a fork waits for the decision in progress; the child gets a fresh lock.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from durable import engine as durable_engine

from engine.errors import NastavnikError
from engine.rules.expressions import NEGATED_OP, And, Compare, Expr, Member, Not, Or
from engine.rules.model import Ruleset

PROBE = "_probe"  # a field every asserted fact carries; the catch-all rule matches it
CATCH_ALL = "catch_all"
_OPERATORS = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


class RulesEngineError(NastavnikError):
    """durable_rules refused or failed; the decision was not made."""


def fact_key(expr: Compare) -> str:
    return f"{expr.field}__count" if expr.counted else expr.field


def condition(expr: Expr, holds: bool) -> dict:
    """durable_rules JSON for 'expr is true' (holds) or 'expr is false' (not holds), Kleene-style:
    a comparison is true or false only when its fact is present; otherwise neither rule fires."""
    if isinstance(expr, Compare):
        op = expr.op if holds else NEGATED_OP[expr.op]
        key = fact_key(expr)
        return {key: expr.value} if op == "==" else {_OPERATORS[op]: {key: expr.value}}
    if isinstance(expr, Member):
        inside = holds != expr.negated
        parts = [{expr.field: value} if inside else {"$neq": {expr.field: value}} for value in expr.values]
        if len(parts) == 1:
            return parts[0]
        return {"$or": parts} if inside else {"$and": parts}
    if isinstance(expr, Not):
        return condition(expr.operand, not holds)
    parts = [condition(operand, holds) for operand in expr.operands]
    conjunctive = isinstance(expr, And) == holds
    return {"$and" if conjunctive else "$or": parts}


def rule_names(ruleset: Ruleset) -> dict[str, tuple]:
    """durable rule name -> what it decides: ('criterion', id, holds) or ('case', output, index, holds)."""
    names: dict[str, tuple] = {}
    for index, criterion in enumerate(ruleset.criteria):
        names[f"c{index}_t"] = ("criterion", criterion.id, True, criterion.condition)
        names[f"c{index}_f"] = ("criterion", criterion.id, False, criterion.condition)
    for out_index, output in enumerate(ruleset.outputs):
        for case_index, case in enumerate(output.cases):
            if case.when is not None:
                names[f"o{out_index}_{case_index}_t"] = ("case", output.name, case_index, True, case.when)
                names[f"o{out_index}_{case_index}_f"] = ("case", output.name, case_index, False, case.when)
    return names


def definition(ruleset: Ruleset, action_for) -> dict:
    """The durable_rules ruleset definition; ``action_for(rule_name)`` gives each rule's action."""
    rules = {}
    for name, meaning in rule_names(ruleset).items():
        expr, holds = meaning[-1], meaning[-2]
        rules[name] = {"all": [{"m": condition(expr, holds)}], "run": action_for(name)}
    rules[CATCH_ALL] = {"all": [{"m": {PROBE: 1}}], "run": action_for(CATCH_ALL)}
    return rules


def counted_fields(ruleset: Ruleset) -> dict[str, str]:
    """list fact -> the derived count field the rules read."""
    found: dict[str, str] = {}

    def walk(expr: Expr) -> None:
        if isinstance(expr, Compare) and expr.counted:
            found[expr.field] = fact_key(expr)
        elif isinstance(expr, Not):
            walk(expr.operand)
        elif isinstance(expr, (And, Or)):
            for operand in expr.operands:
                walk(operand)

    for criterion in ruleset.criteria:
        walk(criterion.condition)
    for output in ruleset.outputs:
        for case in output.cases:
            if case.when is not None:
                walk(case.when)
    return found


def registered_name(ruleset: Ruleset) -> str:
    version = "".join(ch if ch.isalnum() else "_" for ch in ruleset.version)
    return f"{ruleset.id}__v{version}__{ruleset.digest[:12]}"


class _SynchronousHost(durable_engine.Host):
    """No dispatcher or timer threads: actions run inside assert_fact, under our lock."""

    def _run(self) -> None:
        return None


@dataclass
class CompiledRuleset:
    ruleset: Ruleset
    name: str
    counted: dict[str, str]


class DurableBackend:
    """Evaluates typed facts on durable_rules; returns the names of the rules that fired."""

    def __init__(self) -> None:
        self._host = _SynchronousHost()
        self._lock = threading.Lock()
        self._compiled: dict[str, CompiledRuleset] = {}
        self._fired: list[str] = []
        self._session = 0
        # A fork waits until no decision is half-way through the engine; the child gets a fresh lock.
        os.register_at_fork(before=self._before_fork, after_in_parent=self._after_fork_in_parent,
                            after_in_child=self._after_fork_in_child)

    def _before_fork(self) -> None:
        self._lock.acquire()

    def _after_fork_in_parent(self) -> None:
        self._lock.release()

    def _after_fork_in_child(self) -> None:
        self._lock = threading.Lock()

    def _action(self, rule_name: str):
        fired = self._fired

        def action(closure) -> None:  # noqa: ANN001 - durable's closure
            fired.append(rule_name)

        return action

    def compile(self, ruleset: Ruleset) -> CompiledRuleset:
        """Register the ruleset (once per name); a definition error becomes RulesEngineError."""
        name = registered_name(ruleset)
        with self._lock:
            if name not in self._compiled:
                try:
                    self._host.register_rulesets({name: definition(ruleset, self._action)})
                except Exception as error:  # durable raises bare numbered errors
                    raise RulesEngineError(f"durable_rules не принял набор правил: {error}",
                                           where=ruleset.source_file) from error
                self._compiled[name] = CompiledRuleset(ruleset, name, counted_fields(ruleset))
            return self._compiled[name]

    def message(self, compiled: CompiledRuleset, facts: dict) -> dict:
        message = {key: value for key, value in facts.items() if not isinstance(value, list)}
        for field, key in compiled.counted.items():
            if field in facts:
                message[key] = len(facts[field])
        message[PROBE] = 1
        return message

    def fire(self, compiled: CompiledRuleset, facts: dict) -> frozenset[str]:
        message = self.message(compiled, facts)
        with self._lock:
            self._session = (self._session + 1) % 2_000_000_000
            sid = str(self._session)
            message["sid"] = sid
            self._fired.clear()
            try:
                self._host.assert_fact(compiled.name, message)
            except Exception as error:
                raise RulesEngineError(f"durable_rules не смог вычислить решение: {error}") from error
            finally:
                try:
                    self._host.delete_state(compiled.name, sid)
                except Exception as error:  # pragma: no cover - would mean a leaked session
                    raise RulesEngineError(f"durable_rules не удалил сессию {sid}: {error}") from error
            fired = frozenset(self._fired)
        if CATCH_ALL not in fired:
            raise RulesEngineError("durable_rules не обработал факт (не сработало общее правило)")
        return fired


_backend: DurableBackend | None = None
_backend_lock = threading.Lock()


def backend() -> DurableBackend:
    """The process's single backend (a durable Host per reload would leak rulesets)."""
    global _backend
    with _backend_lock:
        if _backend is None:
            _backend = DurableBackend()
        return _backend


def bare_host_for_benchmark(ruleset: Ruleset, fired: list) -> tuple[object, str]:
    """A plain durable_rules host with the same compiled rules and trivial actions (bench baseline)."""
    host = _SynchronousHost()
    name = registered_name(ruleset) + "__bare"

    def action_for(rule_name: str):
        return lambda closure: fired.append(rule_name)

    host.register_rulesets({name: definition(ruleset, action_for)})
    return host, name
