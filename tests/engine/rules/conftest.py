import pytest

from engine.rules import default_registry


@pytest.fixture(scope="session")
def registry():
    return default_registry()


@pytest.fixture
def decide(registry):
    def run(ruleset_id, **facts):
        return registry.decide(ruleset_id, facts)
    return run


def passed(decision, criterion_id):
    return next(c["passed"] for c in decision["criteria"] if c["id"] == criterion_id)
