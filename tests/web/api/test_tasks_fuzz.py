"""A fuzz over every form's data on the API (issue 11, «Done means»): for every shipped form id a step can have,
hypothesis posts generated data to ``/api/v1/tasks/…/complete`` — the form's own fields mixed with rule facts, a
decision, names and the ids of people of another organization — and no rule fact and no foreign id reaches the
workflow's data, and no answer is a server error.

The steps: a process deployed for the test with one curator's step per shipped form (so every form id is an
open step of the curator), and the real steps of the API world that carry rule facts and ids (the curator's
proposals back after the head's refusal, a participant's consent, the head's signature)."""
from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from engine.db.models import Person, WorkflowInstance
from engine.forms import SHIPPED
from engine.services.mentorship import formation as mentorship
from engine.services.people.actor import load_actor
from engine.services.process import definitions, instances
from engine.services.tasks.completion import PERSON_ID_FIELDS

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"])  # the same entry point on both; fuzz once
MARK = "ПОДДЕЛКА"  # in every forged fact: it must never be found in a workflow's data
MARK_NUMBER = 4242
RULE_FACT_KEYS = ("facts", "mentee_facts", "bonus_facts", "summary", "candidate_name", "form_of_mentorship",
                  "decision", "mentee_decisions", "bonus_decision", "explanation", "verdict", "direction")
EXAMPLES = 6  # per form: the whole file stays well under 30 s


def _every_form_process() -> bytes:
    """One process, a parallel split into one curator's step per shipped form (completed through the API: the
    curator has no page for the mentor's forms)."""
    forms = sorted(SHIPPED)
    tasks = "".join(
        f'<bpmn:userTask id="t_{form}" name="Шаг {form}"><bpmn:extensionElements><spiffworkflow:properties>'
        f'<spiffworkflow:property name="form" value="{form}"/>'
        f'<spiffworkflow:property name="channel" value="api"/></spiffworkflow:properties>'
        f'</bpmn:extensionElements></bpmn:userTask>'
        f'<bpmn:endEvent id="e_{form}" name="Конец {form}"/>'
        f'<bpmn:sequenceFlow id="f_in_{form}" sourceRef="split" targetRef="t_{form}"/>'
        f'<bpmn:sequenceFlow id="f_out_{form}" sourceRef="t_{form}" targetRef="e_{form}"/>' for form in forms)
    refs = "".join(f"<bpmn:flowNodeRef>t_{form}</bpmn:flowNodeRef>" for form in forms)
    system = "".join(f"<bpmn:flowNodeRef>e_{form}</bpmn:flowNodeRef>" for form in forms)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs_fuzz" '
        'targetNamespace="http://nastavnik.example/bpmn">'
        '<bpmn:process id="fuzz_every_form" name="Каждая форма (тест)" isExecutable="true">'
        '<bpmn:laneSet id="lanes">'
        f'<bpmn:lane id="lane_system" name="Система"><bpmn:flowNodeRef>start</bpmn:flowNodeRef>'
        f'<bpmn:flowNodeRef>split</bpmn:flowNodeRef>{system}</bpmn:lane>'
        f'<bpmn:lane id="lane_curator" name="Куратор">{refs}</bpmn:lane></bpmn:laneSet>'
        '<bpmn:startEvent id="start" name="Старт"/>'
        '<bpmn:parallelGateway id="split" name="Все формы"/>'
        '<bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="split"/>'
        f'{tasks}</bpmn:process></bpmn:definitions>').encode()


def _own_value(name: str, field: Any) -> st.SearchStrategy:
    """A plausible value for a form's own field (no marker can appear in it)."""
    kind = type(field).__name__.lower()
    if "bool" in kind:
        return st.booleans()
    if "integer" in kind or "number" in kind:
        return st.integers(min_value=-3, max_value=30)
    if "list" in kind:
        return st.lists(st.integers(min_value=1, max_value=40) | st.text("abc1.", max_size=4), max_size=3)
    if "dict" in kind:
        return st.dictionaries(st.sampled_from(["entry", "action", "note"]), st.text("abc:12", max_size=6),
                               max_size=2)
    if "date" in kind:
        return st.sampled_from(["2026-01-10", "1999-12-31", "x"])
    return st.text("абв xyz.,", max_size=12)


def _forgery(foreign_ids: list[int]) -> st.SearchStrategy:
    """One forged element: a rule fact, a decision or a name — or a foreign person's id in an id field."""
    fact = st.tuples(st.sampled_from(RULE_FACT_KEYS),
                     st.sampled_from([{"years_as_head": MARK_NUMBER, "note": MARK}, [{"is_head": MARK}],
                                      MARK, {"verdict": "eligible", "by": MARK}]))
    foreign = st.sampled_from(foreign_ids)
    ids = st.tuples(st.sampled_from(PERSON_ID_FIELDS), foreign | st.lists(foreign, min_size=1, max_size=2))
    entries = st.builds(lambda i: ("entries", [{"entry": f"mentor:{i}", "action": "confirm"}]), foreign)
    return st.one_of(fact, ids, entries)


def _data_strategy(form: str, foreign_ids: list[int], known: dict[str, Any]) -> st.SearchStrategy:
    """The form's required fields always (``known``: the step's real values, so a request can get past the
    contract to the domain), its other fields sometimes, and at least one forged element."""
    own = SHIPPED[form]().fields
    value = {name: st.just(known[name]) if name in known else _own_value(name, f) for name, f in own.items()}
    own_values = st.fixed_dictionaries({n: v for n, v in value.items() if own[n].required},
                                       optional={n: v for n, v in value.items() if not own[n].required})
    return st.builds(lambda values, forged: {**values, forged[0]: forged[1]}, own_values,
                     st.lists(_forgery(foreign_ids), min_size=1, max_size=3).map(lambda items: items[-1]))


def _forged_in(data: dict, foreign_ids: set[int]) -> list[str]:
    """Where a forged fact or a foreign id sits in a workflow's stored state (every task's data)."""
    found = [MARK] if MARK in json.dumps(data, ensure_ascii=False, default=str) else []

    def walk(value: Any, key: str | None = None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif key == "years_as_head" and value == MARK_NUMBER:
            found.append(f"{key}={value}")
        elif key in (*PERSON_ID_FIELDS, "person_id") and value in foreign_ids:
            found.append(f"{key}={value}")
        elif key == "entry" and isinstance(value, str) and value.partition(":")[2].isdigit() \
                and int(value.partition(":")[2]) in foreign_ids:
            found.append(f"entry={value}")
    walk(data)
    return found


def _fuzz(world, login: str, task: dict, foreign_ids: list[int], known: dict[str, Any] | None = None) -> None:
    path = f"/api/v1/tasks/{task['instance_id']}/{task['task_id']}/complete"

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(data=_data_strategy(task["form_id"], foreign_ids, known or {}))
    def run(data: dict) -> None:
        response = world.post(path, login, json={"data": data})
        assert response.status_code < 500, (task["form_id"], data, response.get_data(as_text=True))
        assert response.status_code in (200, 403, 404, 409, 422), (task["form_id"], data, response.status_code)
        with world.session_factory() as session:  # every task's data, the completed branches' too
            stored = json.loads(session.get(WorkflowInstance, task["instance_id"]).state)
        assert _forged_in(stored, set(foreign_ids)) == [], (task["form_id"], data, response.get_json())

    run()


def _foreign_people(world) -> list[int]:
    with world.session_factory() as session:
        other = [world.ids["other_curator"], world.ids["other_head"], world.ids["nobody"]]
        return other + [session.scalar(select(Person.id).order_by(Person.id.desc())) + 1000]  # and nobody at all


def test_no_rule_fact_or_foreign_id_gets_through_any_form(api_world):
    w = api_world
    with w.session_factory() as session:
        definitions.deploy(session, load_actor(session, "methodologist"), _every_form_process(), "fuzz.bpmn")
        instance = instances.start_instance(session, load_actor(session, "curator"), "fuzz_every_form", "program",
                                            w.org_id, subject={}, data={})
        session.commit()
        instance_id = instance.id
    steps = [t for t in w.get("/api/v1/tasks?page_size=100", "curator").get_json() if t["instance_id"] == instance_id]
    assert sorted(t["form_id"] for t in steps) == sorted(SHIPPED)  # every form id is an open step
    foreign = _foreign_people(w)
    for task in steps:
        _fuzz(w, "curator", task, foreign)


def test_no_rule_fact_or_foreign_id_gets_through_the_real_steps(api_world):
    w = api_world
    foreign = _foreign_people(w)
    with w.session_factory() as session:  # a consent step of a new pair: the mentor's
        consent = mentorship.propose_pair(session, load_actor(session, "curator"), w.org_id, w.ids["volkov"],
                                          [w.ids["novikova"]])
        session.commit()
        consent_id = consent.id
    [give] = [t for t in w.get("/api/v1/tasks", "volkov").get_json() if t["instance_id"] == consent_id]
    _fuzz(w, "volkov", give, foreign, {"consent": True, "personal_data": True})
    [sign] = [t for t in w.get("/api/v1/tasks", "head").get_json() if t["instance_id"] == w.pair_instance_id]
    _fuzz(w, "head", sign, foreign, {"signed": True})
    refused = w.post(f"/api/v1/orders/{w.order_id}/refuse", "head", json={"reason": "Проверьте состав пары"})
    assert refused.status_code == 200, refused.get_json()
    [propose] = [t for t in w.get("/api/v1/tasks", "curator").get_json()
                 if t["instance_id"] == w.pair_instance_id and t["form_id"] == "propose_pair"]
    _fuzz(w, "curator", propose, foreign, {"mentor_id": w.ids["volkov"], "mentee_ids": [w.ids["orlova"]]})
