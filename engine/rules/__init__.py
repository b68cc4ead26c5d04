"""Rule files (rules/<pack>/rulesets/*.yaml) executed by durable_rules, each decision explained criterion by criterion."""
from __future__ import annotations

from collections.abc import Mapping

from engine.rules.problems import RuleProblem
from engine.rules.registry import RULES_DIRECTORY, RuleRegistry, check_paths, default_registry

__all__ = ["RULES_DIRECTORY", "RuleProblem", "RuleRegistry", "check_paths", "decide", "default_registry",
           "known_ruleset_ids"]


def decide(ruleset_id: str, facts: Mapping, *, strict: bool = False) -> dict:
    return default_registry().decide(ruleset_id, facts, strict=strict)


def known_ruleset_ids() -> set[str]:
    return set(default_registry().ids())
