"""The methodologist sees the scripts stopped at a bound on «Процессы и правила»: when, which process version
and element, which bound (issue 11, finding 2); another organization's methodologist does not."""
from __future__ import annotations

import pytest

from engine.services.people.actor import load_actor
from engine.services.process import definitions, instances
from engine.workflow.sandbox import ScriptLimitExceeded
from tests import factories as f
from tests.web.conftest import login, password_hash
from tests.web.test_methodology import PLAN

LOOP = b"rounds = 0\nn = 100000\nwaste = 'x' * n * n"
START_DATA = {"started_on": "2025-01-10", "divisor": 1}


@pytest.fixture
def stopped(db_session_factory, seed):
    """The department's methodologist deployed a runaway loop and started it: stopped, one incident."""
    definitions.clear_cache()
    with db_session_factory() as session:
        methodologist = load_actor(session, "methodologist")
        definitions.deploy(session, methodologist, PLAN.replace(b"rounds = 0", LOOP), "plan_review.bpmn")
        session.commit()
        with pytest.raises(ScriptLimitExceeded):
            instances.start_instance(session, methodologist, "plan_review", "program", seed.org.id, {},
                                     START_DATA)
        other = f.make_person(session, login="other_methodologist", password_hash=password_hash())
        f.make_role(session, other, seed.other_org, "methodologist")
        session.commit()


def test_the_incident_is_listed_for_the_organizations_methodologist(client, stopped):
    login(client, "methodologist")
    html = client.get("/methodology").text
    assert "Сценарии, остановленные на пределе" in html
    assert 'data-bound="memory" data-element-id="prepare"' in html
    assert "сценарий «Подготовить данные» (элемент prepare) превысил предел памяти 256\u00a0МБ" in html


def test_another_organizations_methodologist_sees_neither_the_version_nor_the_incident(client, stopped):
    login(client, "other_methodologist")
    html = client.get("/methodology").text
    assert 'data-element-id="prepare"' not in html and "Ни один сценарий не превышал пределов." in html
    assert 'data-process-id="plan_review"' not in html
