"""The composition root: ``bootstrap()`` builds the hook table, the rule registry and the clock; the
sessions of its factory carry them; the shipped workflows name exactly the hooks it registers."""
from __future__ import annotations

import pytest

from engine.bootstrap import bootstrap
from engine.db import make_session_factory
from engine.demo.story import Demo
from engine.errors import NastavnikError
from engine.rules import default_registry
from engine.services.process import definitions
from engine.services.process.domain import domain_of
from engine.workflow import FixedClock, SystemClock

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def test_the_shipped_workflows_name_exactly_the_hooks_bootstrap_registers():
    named = {element.hook for path in sorted(definitions.WORKFLOWS_DIRECTORY.glob("*.bpmn"))
             for element in definitions.load_process(path.read_bytes(), path.name,
                                                     known_rulesets=set(default_registry().ids())).elements()
             if element.hook}
    assert named == set(bootstrap().hooks.names())
    assert {"sign_order", "record_consent", "record_stage_work"} <= named


def test_each_bootstrap_is_a_domain_of_its_own():
    first, second = bootstrap(), bootstrap(clock=FixedClock("2025-01-10T09:00:00+00:00"))
    assert first.hooks is not second.hooks and first.hooks.names() == second.hooks.names()
    first.hooks.on_task("only_here", lambda step: None)
    assert "only_here" in first.hooks.names() and "only_here" not in second.hooks.names()
    assert isinstance(first.clock, SystemClock) and second.clock.now().year == 2025
    assert first.rules is default_registry()  # the process-wide registry the rule file pages keep current
    # orders drafted when a «sign_order» task opens; a roadmap year's escalation recorded when a timer opens it;
    # a stage report whose review a petition withdrew is the mentor's draft again (issue 11); the program's own
    # notices (a stage's reminder and escalation, consents, petition decisions) and, last, «новая задача» for the
    # tasks the step gave people (issue 13); a mentor's report not filed by its date noted when it goes to the curator
    assert len(first.hooks.every_step()) == 6
    assert getattr(first.hooks.every_step()[-1], "__qualname__", "") == "TaskTelling.tell"


@SQLITE
def test_sessions_carry_the_domain_and_a_bare_one_is_refused(db_engine):
    domain = bootstrap()
    with domain.session_factory(db_engine)() as session, make_session_factory(db_engine)() as bare:
        assert domain_of(session) is domain
        with pytest.raises(NastavnikError, match="без bootstrap"):
            domain_of(bare)
        with pytest.raises(NastavnikError, match="без bootstrap"):
            Demo(bare, say=lambda line: None)  # refused before the story writes anything
        assert domain_of(domain.attach(bare)) is domain


def test_a_hook_or_order_kind_declared_twice_is_refused(monkeypatch):
    from types import SimpleNamespace

    from engine import bootstrap as composition

    first = SimpleNamespace(__name__="first", HOOKS={"record_x": lambda step: None}, ORDER_KINDS={})
    again = SimpleNamespace(__name__="again", HOOKS={"record_x": lambda step: None}, ORDER_KINDS={})
    monkeypatch.setattr(composition, "DOMAIN_MODULES", (first, again))
    with pytest.raises(NastavnikError, match="«record_x» объявлен дважды"):
        composition.bootstrap()
