"""The only module that imports durable_rules (2.0.28) and the workarounds it needs.

- decisions go straight to durable_rules' native engine (``durable_rules_engine``, the C Rete network the
  wheel ships and its Host drives): the Host's per-rule work — a Closure, a Promise, two clock reads, the
  session state dumped to JSON and written back, the next action's JSON parsed — was ~85 % of a decision,
  and our actions only note which rule fired, so we read the rule's name off each action and complete it.
  The engine matches exactly as under the Host (same definition, same facts; tests/engine/rules compare both);
- one lock around the engine (it is not thread-safe);
- one live session per ruleset, kept: a decision asserts its fact, takes the actions, and retracts the fact,
  leaving the session empty for the next (a session created and deleted per decision made durable's own work
  6-9x as long for mentor_bonus_tomsk: 140-220 against 16-28 µs). More than 1024 live sessions crash the
  engine, so a session is dropped (and a fresh one taken) only when a decision fails half-way; a session
  whose fact matched no rule segfaults on delete: a catch-all rule matches every fact, and its firing is the
  check that durable processed it;
- facts arrive typed (see facts.py) and numbers never in exponent notation (durable's JSON reader fails);
- rulesets are registered under versioned names and never unloaded (the engine cannot);
- a fork waits for the decision in progress; the child gets a fresh lock.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass

import durable_rules_engine as native
from durable import engine as durable_engine

from engine.errors import NastavnikError
from engine.rules.expressions import NEGATED_OP, And, Compare, Expr, Member, Not, Or
from engine.rules.model import Ruleset

PROBE = "_probe"  # a field every asserted fact carries; the catch-all rule matches it
CATCH_ALL = "catch_all"
_OPERATORS = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_to_json = json.JSONEncoder(ensure_ascii=False).encode  # as json.dumps(…, ensure_ascii=False), made once


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
    """durable's own Host without dispatcher or timer threads (actions run inside assert_fact): the baseline
    the bench and the tests hold the project's path against."""

    def _run(self) -> None:
        return None


@dataclass(frozen=True)
class CompiledRuleset:
    ruleset: Ruleset
    name: str
    counted: dict[str, str]
    handle: int  # the native engine's ruleset
    rules: frozenset[str]  # the durable rule names, the catch-all included


def fired_rule(action: str, rules: frozenset[str]) -> str:
    """The rule an action belongs to: the native engine hands an action as ``{"<rule>":{"m":{…}}}``; our rule
    names are plain identifiers, so the name is read off the front instead of parsing the fact back."""
    name = action[2:action.find('"', 2)] if action.startswith('{"') else ""
    if name not in rules:
        raise RulesEngineError(f"durable_rules вернул действие неизвестного правила: {action[:80]}")
    return name


class DurableBackend:
    """Evaluates typed facts on durable_rules; returns the names of the rules that fired."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._compiled: dict[str, CompiledRuleset] = {}
        self._sessions: dict[int, str] = {}  # ruleset handle -> its live session, when not the first ("1")
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

    def compile(self, ruleset: Ruleset) -> CompiledRuleset:
        """Register the ruleset (once per name); a definition error becomes RulesEngineError."""
        name = registered_name(ruleset)
        with self._lock:
            if name not in self._compiled:
                rules = definition(ruleset, lambda rule_name: None)
                for rule in rules.values():
                    del rule["run"]  # the engine takes the conditions; the actions are ours (fire)
                try:
                    handle = native.create_ruleset(name, json.dumps(rules, ensure_ascii=False))
                except Exception as error:  # durable raises bare numbered errors
                    raise RulesEngineError(f"durable_rules не принял набор правил: {error}",
                                           where=ruleset.source_file) from error
                self._compiled[name] = CompiledRuleset(ruleset, name, counted_fields(ruleset), handle,
                                                       frozenset(rules))
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
            sid = self._sessions.get(compiled.handle, "1")
            message["sid"] = sid
            fired = self._run(compiled, sid, _to_json(message))
        if CATCH_ALL not in fired:
            raise RulesEngineError("durable_rules не обработал факт (не сработало общее правило)")
        return fired

    def session_facts(self, compiled: CompiledRuleset) -> list:
        """The facts in the ruleset's live session: none between decisions (for the tests)."""
        with self._lock:
            sid = self._sessions.get(compiled.handle, "1")
            try:
                return json.loads(native.get_facts(compiled.handle, sid))
            except Exception:  # no session yet: no decision made
                return []

    def _run(self, compiled: CompiledRuleset, sid: str, message: str) -> frozenset[str]:
        """Assert the fact in the ruleset's session, take every action the engine queued (noting its rule),
        retract the fact. Called under the lock."""
        handle = compiled.handle
        try:
            result = native.assert_fact(handle, message)
        except Exception as error:  # refused: nothing was added to the session
            raise RulesEngineError(f"durable_rules не принял факт: {error}") from error
        if result[0] != 0:  # 1: no rule took it (the catch-all does); 2: still there (a retraction failed)
            self._drop_session(compiled, sid, None, delete=result[0] == 2)
            raise RulesEngineError(f"durable_rules не принял факт (код {result[0]})")
        fired: list[str] = []
        try:
            action = native.start_action_for_state(handle, result[1])
            action_text = action[1] if action else None
            while action_text:
                fired.append(fired_rule(action_text, compiled.rules))
                action_text = native.complete_and_start_action(handle, result[1])
            native.retract_fact(handle, message)
        except Exception as error:
            self._drop_session(compiled, sid, result[1])
            if isinstance(error, RulesEngineError):
                raise
            raise RulesEngineError(f"durable_rules не смог вычислить решение: {error}") from error
        return frozenset(fired)

    def _drop_session(self, compiled: CompiledRuleset, sid: str, state: int | None, *, delete: bool = True) -> None:
        """A decision failed half-way: give back the action in progress (``state``), delete the session (its
        fact matched the catch-all, so the delete is safe; ``delete`` is off when nothing matched: that delete
        segfaults) and take a fresh one for the next decision."""
        self._session = (self._session + 1) % 2_000_000_000  # sids stay within 32 bits
        self._sessions[compiled.handle] = f"s{self._session}"
        if state is not None:
            _quietly(native.abandon_action, compiled.handle, state)
        if delete:
            _quietly(native.delete_state, compiled.handle, sid)


def _quietly(call, *arguments: object) -> None:  # noqa: ANN001 - a native function
    """Clean-up after a failed decision: the decision's own error is what the caller needs."""
    try:
        call(*arguments)
    except Exception:  # noqa: S110
        pass


_backend: DurableBackend | None = None
_backend_lock = threading.Lock()


def backend() -> DurableBackend:
    """The process's single backend: each ruleset version compiled once (the engine never unloads one)."""
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
