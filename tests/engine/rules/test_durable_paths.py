"""The project drives durable_rules' native engine directly (one kept session per ruleset, the fact retracted
after each decision) instead of through durable's Host (a session created and deleted per decision, a Python
closure per fired rule). Both must fire exactly the same rules — so make the same decisions, with the same
per-criterion explanations — on every shipped ruleset and on random conditions, and a decision that fails
half-way must leave the engine ready for the next one."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from engine.rules import durable_backend
from engine.rules.durable_backend import DurableBackend, RulesEngineError, bare_host_for_benchmark
from engine.rules.facts import normalise
from engine.rules.loader import load_bytes
from tests import architecture_rules
from tests.engine.rules.test_equivalence import DERANDOMIZE, RULESET_TEMPLATE, conditions, fact_samples, fact_sets

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ("mentee_category_tomsk", "mentee_eligibility_school", "mentor_bonus_tomsk", "mentor_eligibility_college",
           "mentor_eligibility_school", "mentor_eligibility_tomsk", "mentor_eligibility_vsosh", "network_mentor_yakutsk")


class HostPath:
    """The way the project used to decide: durable's Host, a fresh session per fact, deleted after."""

    def __init__(self, ruleset) -> None:  # noqa: ANN001
        self.fired: list[str] = []
        self.host, self.name = bare_host_for_benchmark(ruleset, self.fired)
        self.session = 0

    def fire(self, message: dict) -> frozenset[str]:
        self.session += 1
        self.fired.clear()
        self.host.assert_fact(self.name, {**message, "sid": str(self.session)})
        self.host.delete_state(self.name, str(self.session))
        return frozenset(self.fired)


def test_the_shipped_rulesets_are_the_ones_compared(registry):
    assert set(registry.ids()) == set(SHIPPED)


@pytest.mark.parametrize("ruleset_id", SHIPPED)
def test_the_native_path_fires_what_durables_host_fires(registry, ruleset_id):
    ruleset = registry.get(ruleset_id)
    backend = DurableBackend()
    compiled = backend.compile(ruleset)
    host = HostPath(ruleset)

    @settings(max_examples=400, deadline=None, database=None, derandomize=DERANDOMIZE,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(fact_sets(ruleset))
    def run(facts):
        typed = normalise(ruleset, facts)[0]
        assert backend.fire(compiled, typed) == host.fire(backend.message(compiled, typed)), facts

    run()
    assert backend.session_facts(compiled) == []  # every fact retracted: the session is empty again


_versions = iter(range(1, 10**9))


@settings(max_examples=120, deadline=None, database=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.too_slow])
@given(conditions, fact_samples)
def test_random_conditions_fire_the_same_rules_on_both_paths(condition, samples):
    ruleset, problems = load_bytes(RULESET_TEMPLATE.format(condition=condition, version=next(_versions)).encode(),
                                   "random.yaml")
    assert problems == [], problems
    backend = durable_backend.backend()
    compiled = backend.compile(ruleset)
    host = HostPath(ruleset)
    for facts in samples:
        typed = normalise(ruleset, facts)[0]
        assert backend.fire(compiled, typed) == host.fire(backend.message(compiled, typed)), (condition, facts)
    assert backend.session_facts(compiled) == []


def test_a_decision_failing_half_way_leaves_the_engine_ready_for_the_next(registry, monkeypatch):
    ruleset = registry.get("mentor_bonus_tomsk")
    backend = DurableBackend()
    compiled = backend.compile(ruleset)
    facts = {"mentee_count": 2, "roadmap_fulfilled": True, "reports_submitted": False}
    expected = HostPath(ruleset).fire(backend.message(compiled, facts))
    assert backend.fire(compiled, facts) == expected

    completing = durable_backend.native.complete_and_start_action

    def fails_once(handle, state):  # noqa: ANN001
        monkeypatch.setattr(durable_backend.native, "complete_and_start_action", completing)
        raise RuntimeError("сбой движка")

    monkeypatch.setattr(durable_backend.native, "complete_and_start_action", fails_once)
    with pytest.raises(RulesEngineError, match="не смог вычислить решение"):
        backend.fire(compiled, facts)
    # the half-decided session was dropped; the same facts decide as before, in a fresh one, left empty
    assert backend.fire(compiled, facts) == expected
    assert backend.fire(compiled, {}) == HostPath(ruleset).fire(backend.message(compiled, {}))
    assert backend.session_facts(compiled) == []


def test_an_unknown_rule_in_an_action_is_an_error_not_a_silent_outcome():
    with pytest.raises(RulesEngineError, match="неизвестного правила"):
        durable_backend.fired_rule('{"c9_t":{"m":{}}}', frozenset({"c0_t", "catch_all"}))
    assert durable_backend.fired_rule('{"c0_t":{"m":{"sid": "1"}}}', frozenset({"c0_t"})) == "c0_t"


def test_only_the_backend_drives_durables_native_engine():
    assert architecture_rules.check_owner(ROOT, "durable_rules_engine", "engine/rules/durable_backend.py") == []
