"""The process diagrams in workflows/: schema, conventions, diagram interchange (layout), and
runs through their main paths on the project's runtime (``engine.workflow``) with the real rule
files (``rules/``), a fixed clock, and the state serialized and restored after every step.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path

import pytest
from lxml import etree
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from engine.domain_time import scheduled_stages
from engine.errors import NotFound
from engine.regulations import pack
from engine.regulations.pack import RULESET_PURPOSES
from engine.rules import RuleRegistry
from engine.workflow import FixedClock, WorkflowRuntime, check_bpmn, load_process

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / "workflows"
DIAGRAMS = ("mentor_appointment", "pair_formation", "program_lifecycle", "school_roadmap", "network_grouping",
            "network_program", "mentorship_calendar")
RULESETS = {"mentor_eligibility_tomsk", "network_mentor_yakutsk", "mentee_category_tomsk", "mentor_bonus_tomsk"}
LANES = {"Куратор", "Методист", "Руководитель", "Наставник", "Наставляемый", "Система"}
FORMS = {
    "propose_mentor", "sign_order", "propose_pair", "give_consent", "stage_work", "review_stage_report",
    "petition_extension", "agree_extension", "decide_petition", "complete_program", "handle_escalation", "replace_mentor",
    "monitoring_report", "base_review",
    "acknowledge_reminder", "roadmap_event_done", "roadmap_overdue", "roadmap_interim_analysis", "roadmap_completion",
    "form_network_group", "mentor_work_plan", "development_plan", "accept_development_plan", "trainee_review",
}
MESSAGES = {"early_completion", "extension", "mentor_replacement", "mentor_release"}

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
BPMN = "{{{}}}".format(NS["bpmn"])
FLOW_NODES = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "userTask", "scriptTask", "businessRuleTask", "manualTask", "sendTask", "receiveTask", "task",
    "serviceTask", "callActivity", "subProcess", "exclusiveGateway", "parallelGateway",
    "inclusiveGateway", "eventBasedGateway",
}

# ---- facts for the real rule files ----------------------------------------------------------
TOMSK_MENTOR = {"years_as_head": 7, "contest_level": "regional", "contest_result": "winner",
                "efficiency_percent": 90, "has_mentorship_certificate": True}
TOMSK_MENTOR_JUNIOR = {**TOMSK_MENTOR, "years_as_head": 2}
YAKUTSK_MENTOR = {"experience_years": 4, "high_result_directions": ["цифровая образовательная среда"],
                  "communication_skills": True, "ready_to_share": True}
NEW_HEAD = {"is_head": True, "months_as_head": 3, "in_management_reserve": False,
            "school_low_results": False, "efficiency_percent": 70}
RESERVIST = {"is_head": False, "months_as_head": 0, "in_management_reserve": True,
             "school_low_results": False, "efficiency_percent": 75}
NOBODY = {"is_head": False, "months_as_head": 0, "in_management_reserve": False,
          "school_low_results": False, "efficiency_percent": 80}
BONUS_FACTS = {"mentee_count": 1, "roadmap_fulfilled": True, "reports_submitted": True,
               "attended_mentor_events": True, "analytical_materials": True}
STAGES = [
    {"id": "diagnosis", "name": "Организационный", "planned_months": 1},
    {"id": "consultation", "name": "Консультационный", "planned_months": 4},
    {"id": "activity", "name": "Деятельностный", "planned_months": 9},
    {"id": "reflection", "name": "Рефлексивный", "planned_months": 1},
]
START = "2025-01-10T09:00:00+00:00"


def _bytes(name: str) -> bytes:
    return (WORKFLOWS / f"{name}.bpmn").read_bytes()


def _root(name: str):
    return etree.fromstring(_bytes(name))


@pytest.fixture(scope="module")
def registry() -> RuleRegistry:
    registry = RuleRegistry()
    assert registry.load_directory() == []
    return registry


@pytest.fixture(scope="module")
def specs():
    return {name: load_process(_bytes(name), f"{name}.bpmn", known_rulesets=RULESETS) for name in DIAGRAMS}


class Run:
    """One process instance; every action is followed by a serialize/deserialize round trip."""

    def __init__(self, spec, data, registry, start=START):
        self.clock = FixedClock(start)
        self.calls: list[tuple[str, dict]] = []

        def decide(ruleset, facts):
            self.calls.append((ruleset, facts))
            return registry.decide(ruleset, facts)

        self.runtime = WorkflowRuntime(decide=decide, clock=self.clock)
        self.wf = self.runtime.start(spec, data)
        self._roundtrip()

    def _roundtrip(self):
        text = self.runtime.serialize(self.wf)
        self.wf = self.runtime.deserialize(text)

    def ready(self):
        return self.runtime.ready_user_tasks(self.wf)

    def ready_ids(self):
        return sorted(t.element_id for t in self.ready())

    def task(self, element_id, lane=None, form=None):
        found = [t for t in self.ready() if t.element_id == element_id]
        assert found, f"{element_id} is not ready; ready: {self.ready_ids()}"
        if lane is not None:
            assert found[0].lane == lane, (element_id, found[0].lane)
        if form is not None:
            assert found[0].form == form, (element_id, found[0].form)
        return found[0]

    def complete(self, element_id, lane=None, form=None, **data):
        task = self.task(element_id, lane, form)
        self.runtime.complete_user_task(self.wf, task.task_id, data)
        self._roundtrip()
        return task

    def send(self, name, payload):
        caught = self.runtime.send_message(self.wf, name, payload)
        self._roundtrip()
        return caught

    def at(self, when: str) -> int:
        self.clock.set(when)
        fired = self.runtime.fire_due_timers(self.wf)
        self._roundtrip()
        return fired

    @property
    def data(self):
        return self.runtime.workflow_data(self.wf)

    @property
    def done(self):
        return self.runtime.is_completed(self.wf)

    @property
    def completed(self):
        return self.runtime.completed_element_ids(self.wf)


# =============================================================================================
# Parsing, schema, conventions
# =============================================================================================

@pytest.mark.parametrize("name", DIAGRAMS)
def test_parses_with_spiffworkflow_and_xsd(name):
    parser = SpiffBpmnParser(validator=VALIDATOR)  # validates against BPMN 2.0 + spiffworkflow XSD
    parser.add_bpmn_file(str(WORKFLOWS / f"{name}.bpmn"))
    assert parser.get_process_ids() == [name]


@pytest.mark.parametrize("name", DIAGRAMS)
def test_project_checks_accept_the_diagram(name, specs):
    assert [str(p) for p in check_bpmn(_bytes(name), f"{name}.bpmn", known_rulesets=RULESETS)] == []
    assert specs[name].process_id == name


def _flow_nodes(root):
    return [e for e in root.iter() if isinstance(e.tag, str) and e.tag.startswith(BPMN)
            and etree.QName(e).localname in FLOW_NODES]


def _props(node):
    return {p.get("name"): p.get("value") for p in node.xpath(
        "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NS)}


@pytest.mark.parametrize("name", DIAGRAMS)
def test_conventions(name):
    root = _root(name)
    process = root.find(f"{BPMN}process")
    assert process.get("isExecutable") == "true"
    participants = root.findall(f".//{BPMN}participant")
    assert len(participants) == 1 and participants[0].get("processRef") == name
    lanes = {lane.get("name"): lane for lane in process.iter(f"{BPMN}lane")}
    assert set(lanes) <= LANES
    lane_of = {ref.text: lane.get("name") for lane in lanes.values() for ref in lane.iter(f"{BPMN}flowNodeRef")}
    # the form/data contract in words: the process's documentation (bpmn-js keeps it; an XML comment it drops)
    header = process.find(f"{BPMN}documentation")
    assert header is not None and header.text, "the process's documentation describes its forms, data and messages"
    for node in _flow_nodes(root):
        kind, node_id, label = etree.QName(node).localname, node.get("id"), node.get("name") or ""
        assert re.fullmatch(r"(Task|Gateway|Event|StartEvent|EndEvent|SubProcess)_[a-z0-9_]+", node_id), node_id
        if kind not in ("exclusiveGateway", "endEvent") or label:
            assert re.search("[а-яё]", label, re.I), f"{node_id}: Russian name expected"
        if kind == "subProcess":
            # spans lanes: must not be on one, or SpiffWorkflow gives every inner task that lane
            assert node_id not in lane_of
        else:
            assert node_id in lane_of, f"{node_id} is on no lane"
        if kind == "userTask":
            assert lane_of[node_id] != "Система"
            form = _props(node).get("form")
            assert form in FORMS, (node_id, form)
            assert form in header.text, f"form {form} missing from the process's documentation"
        if kind == "businessRuleTask":
            props = _props(node)
            named = props["ruleset"]  # a ruleset, or «pack:<purpose>»: the one the organization's pack names
            assert named in RULESETS or named.removeprefix("pack:") in RULESET_PURPOSES
            assert named in header.text
        if kind == "scriptTask":
            assert lane_of[node_id] == "Система"
    for message in root.iter(f"{BPMN}message"):
        assert message.get("name") in MESSAGES
        assert message.get("name") in header.text


# =============================================================================================
# Diagram interchange: every element drawn, edges orthogonal and attached, no overlaps
# =============================================================================================

def _bounds(shape):
    b = shape.find("dc:Bounds", NS)
    return tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))


def _inside(inner, outer, slack=0.0):
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox - slack and y >= oy - slack and x + w <= ox + ow + slack and y + h <= oy + oh + slack


def _overlap(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def _on_border(point, bounds, tol=1.0):
    px, py = point
    x, y, w, h = bounds
    inside = x - tol <= px <= x + w + tol and y - tol <= py <= y + h + tol
    near = min(abs(px - x), abs(px - x - w), abs(py - y), abs(py - y - h)) <= tol
    return inside and near


def _touches(point, node, bounds):
    """An edge end lies on the node's outline (diamond for gateways, circle for events)."""
    kind = etree.QName(node).localname
    x, y, w, h = bounds
    cx, cy = x + w / 2, y + h / 2
    px, py = point
    if kind.endswith("Gateway"):
        return abs(abs(px - cx) / (w / 2) + abs(py - cy) / (h / 2) - 1) < 0.05
    if kind.endswith("Event"):
        return abs(((px - cx) ** 2 + (py - cy) ** 2) ** 0.5 - w / 2) < 1.5
    return _on_border(point, bounds)


@pytest.mark.parametrize("name", DIAGRAMS)
def test_diagram_interchange(name):  # noqa: C901 - one check per kind of diagram element, in order
    root = _root(name)
    shapes = {s.get("bpmnElement"): s for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement"): e for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    nodes = {n.get("id"): n for n in _flow_nodes(root)}
    process = root.find(f"{BPMN}process")
    participant = root.find(f".//{BPMN}participant")
    lanes = list(process.iter(f"{BPMN}lane"))

    missing = [i for i in [*nodes, participant.get("id"), *(lane.get("id") for lane in lanes)] if i not in shapes]
    assert missing == []
    flows = {f.get("id"): f for f in root.iter(f"{BPMN}sequenceFlow")}
    assert sorted(flows) == sorted(edges)
    assert len(root.findall(".//bpmndi:BPMNPlane", NS)) == 1

    pool = _bounds(shapes[participant.get("id")])
    lane_bounds = {lane.get("id"): _bounds(shapes[lane.get("id")]) for lane in lanes}
    # lanes stack top to bottom inside the pool without gaps or overlaps
    ordered = sorted(lane_bounds.values(), key=lambda b: b[1])
    assert ordered[0][1] == pool[1] and ordered[-1][1] + ordered[-1][3] == pool[1] + pool[3]
    for upper, lower in zip(ordered, ordered[1:], strict=False):
        assert upper[1] + upper[3] == lower[1]
    for b in lane_bounds.values():
        assert _inside(b, pool)

    lane_of = {ref.text: lane.get("id") for lane in lanes for ref in lane.iter(f"{BPMN}flowNodeRef")}
    box = {node_id: _bounds(shapes[node_id]) for node_id in nodes}
    for node_id, node in nodes.items():
        assert _inside(box[node_id], pool), node_id
        kind = etree.QName(node).localname
        if node_id in lane_of:
            lane = lane_bounds[lane_of[node_id]]
            if kind == "boundaryEvent":  # sits on its activity's border; the centre is in the lane
                x, y, w, h = box[node_id]
                assert _inside((x + w / 2, y + h / 2, 0, 0), lane), node_id
            else:
                assert _inside(box[node_id], lane), f"{node_id} is drawn outside its lane"
        parent = node.getparent()
        if etree.QName(parent).localname == "subProcess":
            assert _inside(box[node_id], box[parent.get("id")]), f"{node_id} outside its subprocess"
            assert shapes[parent.get("id")].get("isExpanded") == "true"
        if kind == "boundaryEvent":
            x, y, w, h = box[node_id]
            assert _on_border((x + w / 2, y + h / 2), box[node.get("attachedToRef")]), node_id

    def related(a, b):
        na, nb = nodes[a], nodes[b]
        if na.get("attachedToRef") == b or nb.get("attachedToRef") == a:
            return True
        return any(p is nb for p in na.iterancestors()) or any(p is na for p in nb.iterancestors())

    overlaps = [(a, b) for a, b in combinations(nodes, 2) if _overlap(box[a], box[b]) and not related(a, b)]
    assert overlaps == []

    for flow_id, flow in flows.items():
        points = [(float(p.get("x")), float(p.get("y"))) for p in edges[flow_id].iterfind("di:waypoint", NS)]
        assert len(points) >= 2, flow_id
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            assert x1 == x2 or y1 == y2, f"{flow_id}: diagonal segment"
        source, target = flow.get("sourceRef"), flow.get("targetRef")
        assert _touches(points[0], nodes[source], box[source]), f"{flow_id} does not start at {source}"
        assert _touches(points[-1], nodes[target], box[target]), f"{flow_id} does not end at {target}"


# =============================================================================================
# mentor_appointment
# =============================================================================================

def _start(regulation: str) -> dict:
    """The start data the engine gives every process: the organization's pack, its rulesets and mentor term."""
    return pack(regulation).process_data()


def _appointment(specs, registry, regulation="tomsk"):
    return Run(specs["mentor_appointment"], {**_start(regulation), "reminder_days_before": 30}, registry)


@pytest.mark.parametrize(("regulation", "facts", "ruleset", "term_end", "reminder"), [
    ("tomsk", TOMSK_MENTOR, "mentor_eligibility_tomsk", "2027-01-10", "2026-12-11"),   # 003 §3.4: 2 years
    # 004 III.2 «на один учебный год»: appointed 10.01.2025, the term runs through 31.08.2025 (the record and the
    # order say so too), the reminder comes 30 days before it is over — not 12 months on
    ("yakutsk", YAKUTSK_MENTOR, "network_mentor_yakutsk", "2025-09-01", "2025-08-02"),
])
def test_appointment_eligible_signed_reminded_expired(specs, registry, regulation, facts, ruleset, term_end,
                                                      reminder):
    run = _appointment(specs, registry, regulation)
    run.complete("Task_propose_mentor", "Куратор", "propose_mentor", candidate_id="m1",
                 candidate_name="Иванова И. И.", facts=facts)
    assert [c[0] for c in run.calls] == [ruleset]
    sign = run.task("Task_sign_appointment_order", "Руководитель", "sign_order")
    assert sign.data["order_type"] == "appointment_of_mentors"
    run.complete("Task_sign_appointment_order", signed=True, order_number="100р", order_date="2025-01-10")
    data = run.data
    assert (data["term_end_at"], data["term_reminder_at"], data["appointment_status"]) == (term_end, reminder,
                                                                                           "appointed")
    assert run.ready() == [] and not run.done
    assert run.runtime.next_timer_at(run.wf) == datetime.fromisoformat(f"{reminder}T00:00:00+00:00")
    day_before = (datetime.fromisoformat(reminder) - timedelta(hours=1)).replace(tzinfo=UTC)
    assert run.at(day_before.isoformat()) == 0
    assert run.at(f"{reminder}T00:00:00+00:00") == 1
    run.complete("Task_term_reminder", "Куратор", "acknowledge_reminder")
    assert not run.done
    assert run.at(f"{term_end}T00:00:00+00:00") == 1
    assert run.done and run.data["appointment_status"] == "expired"
    assert "EndEvent_term_expired" in run.completed


def test_appointment_term_ends_while_reminder_is_open(specs, registry):
    run = _appointment(specs, registry)
    run.complete("Task_propose_mentor", facts=TOMSK_MENTOR)
    run.complete("Task_sign_appointment_order", signed=True)
    run.at("2026-12-20T00:00:00+00:00")
    assert run.ready_ids() == ["Task_term_reminder"]
    run.at("2027-01-10T00:00:00+00:00")
    assert run.done and "Event_term_end_unacknowledged" in run.completed


def test_appointment_not_eligible_ends_with_explanation(specs, registry):
    run = _appointment(specs, registry)
    run.complete("Task_propose_mentor", facts=TOMSK_MENTOR_JUNIOR)
    assert run.done and "EndEvent_not_eligible" in run.completed
    data = run.data
    assert data["decision"]["verdict"] == "not_eligible" and data["appointment_status"] == "not_eligible"
    assert len(data["explanation"]) == 1 and "5 лет" in data["explanation"][0]


def test_appointment_insufficient_data_goes_back_to_the_curator(specs, registry):
    run = _appointment(specs, registry)
    run.complete("Task_propose_mentor", facts={"years_as_head": 7})
    assert run.ready_ids() == ["Task_propose_mentor"]
    assert run.task("Task_propose_mentor").data["decision"]["verdict"] == "insufficient_data"
    run.complete("Task_propose_mentor", facts=TOMSK_MENTOR)
    assert run.ready_ids() == ["Task_sign_appointment_order"]


def test_appointment_refused_order_goes_back_to_the_curator(specs, registry):
    run = _appointment(specs, registry)
    run.complete("Task_propose_mentor", facts=TOMSK_MENTOR)
    run.complete("Task_sign_appointment_order", signed=False, refusal_reason="Другая кандидатура")
    proposal = run.task("Task_propose_mentor", "Куратор")
    assert proposal.data["refusal_reason"] == "Другая кандидатура"
    run.complete("Task_propose_mentor", candidate_id="m2", facts=TOMSK_MENTOR)
    run.complete("Task_sign_appointment_order", signed=True)
    assert run.data["appointment_status"] == "appointed"


# =============================================================================================
# pair_formation
# =============================================================================================

def _pair(specs, registry, regulation="tomsk", mentee_roadmaps=None):
    return Run(specs["pair_formation"], {**_start(regulation), "mentee_roadmaps": mentee_roadmaps or []},
               registry)


def _propose(run, mentees, mentor_facts=TOMSK_MENTOR):
    run.complete("Task_propose_pair", "Куратор", "propose_pair", mentor_id="m1", facts=mentor_facts,
                 mentee_ids=[m for m, _ in mentees], mentee_facts=[f for _, f in mentees],
                 form_of_mentorship="руководитель – руководитель")


def test_pair_formation_group_happy_path(specs, registry):
    run = _pair(specs, registry)
    _propose(run, [("e1", NEW_HEAD), ("e2", RESERVIST)])
    assert [c[0] for c in run.calls] == ["mentor_eligibility_tomsk"] + ["mentee_category_tomsk"] * 2
    run.complete("Task_mentor_consent", "Наставник", "give_consent", consent=True)
    consents = [t for t in run.ready() if t.element_id == "Task_mentees_consent"]
    assert sorted(t.data["mentee_id"] for t in consents) == ["e1", "e2"]
    assert {(t.lane, t.form) for t in consents} == {("Наставляемый", "give_consent")}
    for task in consents:
        run.runtime.complete_user_task(run.wf, task.task_id, {"consent": True})
    sign = run.task("Task_sign_pairs_order", "Руководитель", "sign_order")
    assert sign.data["order_type"] == "pair_formation"
    assert sign.data["pairs"] == [
        {"mentor_id": "m1", "mentee_id": "e1", "categories": ["new_head"], "roadmap": 1,
         "roadmap_id": "tomsk_new_head"},
        {"mentor_id": "m1", "mentee_id": "e2", "categories": ["reservist"], "roadmap": 2,
         "roadmap_id": "tomsk_reservist"},
    ]
    run.complete("Task_sign_pairs_order", signed=True, order_number="7", order_date="2025-01-20")
    assert run.done and "EndEvent_pairs_formed" in run.completed
    assert run.data["roadmap"] == 1 and run.data["mentee_consents"] == [True, True]


def test_pair_formation_yakutsk_skips_tomsk_categories(specs, registry):
    run = _pair(specs, registry, "yakutsk")
    _propose(run, [("e1", {})], YAKUTSK_MENTOR)
    assert [c[0] for c in run.calls] == ["network_mentor_yakutsk"]
    run.complete("Task_mentor_consent", consent=True)
    run.complete("Task_mentees_consent", consent=True)
    assert run.task("Task_sign_pairs_order").data["pairs"][0]["roadmap"] is None


@pytest.mark.parametrize("who", ["mentor", "mentee"])
def test_pair_formation_refused_consent_ends_it(specs, registry, who):
    run = _pair(specs, registry)
    _propose(run, [("e1", NEW_HEAD)])
    run.complete("Task_mentor_consent", consent=who != "mentor", comment="нет возможности")
    if who == "mentee":
        run.complete("Task_mentees_consent", "Наставляемый", consent=False)
    assert run.done and f"EndEvent_{who}_refused" in run.completed


def test_pair_formation_refused_order_and_bad_proposals_go_back(specs, registry):
    run = _pair(specs, registry)
    _propose(run, [("e1", NEW_HEAD)], {"years_as_head": 7})          # insufficient data
    assert run.ready_ids() == ["Task_propose_pair"]
    _propose(run, [("e1", NOBODY)])                                   # fits no category (003 §3.6.1)
    assert run.ready_ids() == ["Task_propose_pair"]
    assert run.task("Task_propose_pair").data["mentee_decisions"][0]["verdict"] == "not_categorized"
    _propose(run, [("e1", NEW_HEAD)])
    run.complete("Task_mentor_consent", consent=True)
    run.complete("Task_mentees_consent", consent=True)
    run.complete("Task_sign_pairs_order", signed=False, refusal_reason="Нет согласования")
    assert run.ready_ids() == ["Task_propose_pair"]
    _propose(run, [("e1", NEW_HEAD)], TOMSK_MENTOR_JUNIOR)            # not eligible: stops
    assert run.done and "EndEvent_mentor_not_eligible" in run.completed
    assert run.data["explanation"]


# =============================================================================================
# program_lifecycle
# =============================================================================================

def _program(specs, registry, regulation="tomsk"):
    # the engine hands the schedule (engine/domain_time.py: counted from the start) as start data
    data = {**_start(regulation), "stages": scheduled_stages("2025-01-10", [dict(s) for s in STAGES]),
            "program_started_on": "2025-01-10", "reminder_days_before": 7,
            "mentor_id": "m1", "mentee_ids": ["e1"], "roadmap": 1}
    return Run(specs["program_lifecycle"], data, registry)


def _work(run, stage_id, comment=None):
    task = run.complete("Task_stage_work", "Наставник", "stage_work", events_done=[f"{stage_id}.1"],
                        report=f"Информационная справка: {stage_id}")
    assert task.data["stage"]["id"] == stage_id
    return task


def _pass_stage(run, stage_id):
    _work(run, stage_id)
    run.complete("Task_review_stage_report", "Куратор", "review_stage_report", approved=True, comment="")


def _stage_index(run):
    return run.task("Task_stage_work").data["stage_index"]


def test_lifecycle_four_stages_with_a_returned_report(specs, registry):
    run = _program(specs, registry)
    first = run.task("Task_stage_work", "Наставник", "stage_work").data
    assert [s["due_at"] for s in first["stages"]] == ["2025-02-10", "2025-06-10", "2026-03-10", "2026-04-10"]
    assert (first["stage_due_at"], first["stage_reminder_at"]) == ("2025-02-10", "2025-02-03")
    assert run.runtime.waiting_messages(run.wf) == sorted(MESSAGES)

    _work(run, "diagnosis")
    run.complete("Task_review_stage_report", "Куратор", "review_stage_report", approved=False,
                 comment="Дополните справку результатами диагностики")
    again = run.task("Task_stage_work", "Наставник")
    assert again.data["comment"] == "Дополните справку результатами диагностики"
    assert again.data["stage_index"] == 0
    _pass_stage(run, "diagnosis")
    for stage in ("consultation", "activity", "reflection"):
        _pass_stage(run, stage)

    run.complete("Task_complete_program", "Куратор", "complete_program", final_report="Итоговый отчёт",
                 bonus_facts=BONUS_FACTS)
    assert run.calls[-1] == ("mentor_bonus_tomsk", BONUS_FACTS)
    sign = run.task("Task_sign_completion_order", "Руководитель", "sign_order")
    assert sign.data["bonus_decision"]["outputs"]["bonus_salaries"] == 3          # 003 §9.3: one mentee
    assert (sign.data["order_type"], sign.data["completion_ground"]) == ("completion", "plan_completed")
    run.complete("Task_sign_completion_order", signed=False, refusal_reason="Нет аналитического отчёта")
    run.complete("Task_complete_program", final_report="Итоговый отчёт с анализом", bonus_facts=BONUS_FACTS)
    run.complete("Task_sign_completion_order", signed=True)
    assert run.done and "EndEvent_program_completed" in run.completed
    data = run.data
    assert data["program_status"] == "completed"
    assert [s["report"] for s in data["stages"]] == [f"Информационная справка: {s['id']}" for s in STAGES]
    assert all(s["completed_at"] for s in data["stages"])
    assert run.runtime.waiting_messages(run.wf) == []


def test_lifecycle_yakutsk_completion_has_no_tomsk_bonus(specs, registry):
    run = _program(specs, registry, "yakutsk")
    for stage in STAGES:
        _pass_stage(run, stage["id"])
    run.complete("Task_complete_program", final_report="Итог", bonus_facts=BONUS_FACTS)
    assert run.calls == [] and "bonus_decision" not in run.task("Task_sign_completion_order").data


@pytest.mark.parametrize("ground", ["plan_completed", "participants_initiative", "improper_execution"])
def test_lifecycle_early_completion_from_stage_two(specs, registry, ground):
    run = _program(specs, registry)
    _pass_stage(run, "diagnosis")
    _work(run, "consultation")                 # report submitted, review pending: interrupted anyway
    initiator = "curator" if ground == "improper_execution" else "mentee"
    assert run.send("early_completion", {"ground": ground, "initiator": initiator, "reason": "обоснование"}) == 1
    if initiator != "curator":  # the curator's own petition is her decision: she is not asked to decide it again
        decide = run.task("Task_decide_early_completion", "Куратор", "decide_petition")
        assert run.ready_ids() == ["Task_decide_early_completion"]
        assert decide.data["early_completion"]["ground"] == ground
        run.complete("Task_decide_early_completion", approved=True, comment="Согласовано")
    assert run.ready_ids() == ["Task_sign_early_order"]
    sign = run.task("Task_sign_early_order", "Руководитель", "sign_order")
    assert (sign.data["order_type"], sign.data["completion_ground"]) == ("completion", ground)
    run.complete("Task_sign_early_order", signed=True)
    assert run.done and run.data["program_status"] == "completed_early"
    assert "EndEvent_program_completed_early" in run.completed


def test_lifecycle_early_completion_rejected_or_refused_continues_the_stage(specs, registry):
    run = _program(specs, registry)
    _pass_stage(run, "diagnosis")
    run.send("early_completion", {"ground": "participants_initiative", "initiator": "mentor", "reason": "переезд"})
    run.complete("Task_decide_early_completion", approved=False, comment="Причина не уважительная")
    assert run.ready_ids() == ["Task_stage_work"] and _stage_index(run) == 1
    run.send("early_completion", {"ground": "improper_execution", "initiator": "curator", "reason": "нет отчётов"})
    run.complete("Task_sign_early_order", signed=False, refusal_reason="Дать время исправить")
    assert run.ready_ids() == ["Task_stage_work"] and _stage_index(run) == 1
    assert run.task("Task_stage_work").data["stage_due_at"] == "2025-06-10"


def test_lifecycle_extension_in_stage_three_moves_due_dates(specs, registry):
    run = _program(specs, registry)
    _pass_stage(run, "diagnosis")
    _pass_stage(run, "consultation")
    assert run.task("Task_stage_work").data["stage_due_at"] == "2026-03-10"
    run.send("extension", {"initiator": "mentee", "reason": "болезнь", "extension_months": 3})
    agree = run.task("Task_agree_extension_mentor", "Наставник", "agree_extension")
    assert agree.data["extension"] == {"initiator": "mentee", "reason": "болезнь", "extension_months": 3}
    run.complete("Task_agree_extension_mentor", agreed=True)
    # the mentee petitioned: her petition is her consent, she is not asked again
    petition = run.task("Task_petition_extension", "Куратор", "petition_extension")
    assert (petition.data["extension_months"], petition.data["justification"]) == (3, "болезнь")  # prefilled
    run.complete("Task_petition_extension", extension_months=3, justification="003 §7.2: по обоюдному согласию")
    sign = run.task("Task_sign_extension_order", "Руководитель", "sign_order")
    assert sign.data["order_type"] == "extension"
    run.complete("Task_sign_extension_order", signed=True)
    work = run.task("Task_stage_work", "Наставник").data
    assert work["stage"]["id"] == "activity"
    assert [s["due_at"] for s in work["stages"]] == ["2025-02-10", "2025-06-10", "2026-06-10", "2026-07-10"]
    assert (work["stage_due_at"], work["stage_reminder_at"]) == ("2026-06-10", "2026-06-03")
    # the old due date passes quietly; the reminder and escalation follow the new one
    assert run.at("2026-03-10T12:00:00+00:00") == 0
    assert run.at("2026-06-03T00:00:00+00:00") == 1
    assert run.at("2026-06-10T00:00:00+00:00") == 1
    assert set(run.ready_ids()) == {"Task_stage_work", "Task_stage_reminder", "Task_handle_escalation"}


@pytest.mark.parametrize("refusal", ["mentor", "mentee", "head"])
def test_lifecycle_extension_not_agreed_keeps_due_dates(specs, registry, refusal):
    run = _program(specs, registry)
    run.send("extension", {"initiator": "curator", "reason": "загрузка", "extension_months": 2})
    run.complete("Task_agree_extension_mentor", agreed=refusal != "mentor")
    if refusal != "mentor":
        run.complete("Task_agree_extension_mentee", agreed=refusal != "mentee")
    if refusal == "head":  # the curator petitioned herself: straight to the head once both agree
        assert run.ready_ids() == ["Task_sign_extension_order"]
        run.complete("Task_sign_extension_order", signed=False)
    work = run.task("Task_stage_work").data
    assert work["stage_index"] == 0 and work["stage_due_at"] == "2025-02-10"
    assert [s["due_at"] for s in work["stages"]][-1] == "2026-04-10"


@pytest.mark.parametrize("initiator", ["mentor", "mentee"])
def test_lifecycle_extension_the_petitioner_is_not_asked_and_the_curator_may_refuse(specs, registry, initiator):
    run = _program(specs, registry)
    run.send("extension", {"initiator": initiator, "reason": "болезнь", "extension_months": 2})
    other = "Task_agree_extension_mentee" if initiator == "mentor" else "Task_agree_extension_mentor"
    assert run.ready_ids() == [other]
    run.complete(other, agreed=True)
    assert run.ready_ids() == ["Task_petition_extension"]
    run.complete("Task_petition_extension", extension_months=2, justification="", petitioned=False,
                 petition_refusal_reason="Оснований для продления нет")
    work = run.task("Task_stage_work").data
    assert work["stage_index"] == 0 and work["stage_due_at"] == "2025-02-10"
    # a second petition is considered afresh: the earlier refusal does not stick
    run.send("extension", {"initiator": initiator, "reason": "снова болезнь", "extension_months": 1})
    run.complete(other, agreed=True)
    run.complete("Task_petition_extension", extension_months=1, justification="обоснованно")
    assert run.ready_ids() == ["Task_sign_extension_order"]


def test_lifecycle_completion_ground_is_the_curators_or_the_last_stage_reopens(specs, registry):
    run = _program(specs, registry)
    for stage in STAGES:
        _pass_stage(run, stage["id"])
    run.complete("Task_complete_program", final_report="Итог", bonus_facts=BONUS_FACTS,
                 completion_ground="improper_execution")
    sign = run.task("Task_sign_completion_order")
    assert sign.data["completion_ground"] == "improper_execution"
    run.complete("Task_sign_completion_order", signed=False, refusal_reason="Верните этап на доработку")
    run.complete("Task_complete_program", final_report="", bonus_facts=BONUS_FACTS, reopen_stage=True)
    work = run.task("Task_stage_work").data
    assert work["stage"]["id"] == "reflection" and work["reopen_stage"] is False
    _pass_stage(run, "reflection")
    assert run.task("Task_complete_program").data["completion_ground"] == "plan_completed"  # afresh


def test_lifecycle_escalation_after_due_date(specs, registry):
    run = _program(specs, registry)
    assert run.runtime.next_timer_at(run.wf) == datetime(2025, 2, 3, tzinfo=UTC)
    assert run.at("2025-02-02T23:00:00+00:00") == 0
    assert run.at("2025-02-03T00:00:00+00:00") == 1               # 7 days before 2025-02-10
    run.task("Task_stage_reminder", "Наставник", "acknowledge_reminder")
    assert run.at("2025-02-10T00:00:00+00:00") == 1
    run.complete("Task_handle_escalation", "Куратор", "handle_escalation", comment="Связались с наставником")
    run.complete("Task_stage_reminder")
    _pass_stage(run, "diagnosis")                                  # late but accepted; the program goes on
    assert run.task("Task_stage_work").data["stage"]["id"] == "consultation"
    assert run.ready_ids() == ["Task_stage_work"]


@pytest.mark.parametrize("consent", [True, False])
def test_lifecycle_replacement_runs_beside_the_stage_with_the_new_mentors_consent(specs, registry, consent):
    run = _program(specs, registry)
    _work(run, "diagnosis")
    payload = {"petitioner_id": "e1", "reason": "несовместимость", "proposed_mentor_id": "m2"}
    run.send("mentor_replacement", payload)
    run.send("mentor_replacement", {**payload, "reason": "повторное"})  # repeatable: each gets its own task
    decisions = [t for t in run.ready() if t.element_id == "Task_decide_replacement"]
    assert [t.data["replacement"]["reason"] for t in decisions] == [payload["reason"], "повторное"]
    assert {(t.lane, t.form) for t in decisions} == {("Куратор", "decide_petition")}
    assert {t.petition for t in decisions} == {"mentor_replacement"}  # the organization's pack names who decides it
    run.runtime.complete_user_task(run.wf, decisions[1].task_id, {"approved": False, "comment": "дубликат"})
    run.complete("Task_decide_replacement", approved=True, comment="Удовлетворить", new_mentor_id="m2")
    asked = run.task("Task_replacement_consent", "Наставник", "give_consent")  # 003 §3.2, §6.2: before the order
    assert asked.data["new_mentor_id"] == "m2"
    run.complete("Task_replacement_consent", consent=consent, comment="" if consent else "нет времени")
    if consent:
        sign = run.task("Task_sign_replacement_order", "Руководитель", "sign_order")
        assert sign.data["order_type"] == "mentor_replacement" and sign.data["replacement"] == payload
        run.complete("Task_sign_replacement_order", signed=True)
        assert {"EndEvent_replacement_done", "EndEvent_replacement_rejected"} <= run.completed
    else:  # no order: the curator is told, the replacement ends
        assert "Task_sign_replacement_order" not in run.ready_ids()
        run.complete("Task_replacement_refused_note", "Куратор", "acknowledge_reminder")
        assert "EndEvent_replacement_refused" in run.completed
    # the stage went on untouched
    assert run.ready_ids() == ["Task_review_stage_report"]
    run.complete("Task_review_stage_report", approved=True)
    assert _stage_index(run) == 1


def _released(run) -> None:
    """The mentor asks to be released (003 §4.1): the stage stops, the curator agrees, the head signs."""
    _work(run, "diagnosis")
    run.send("mentor_release", {"mentor_id": "m1", "reason": "перевод на другую должность"})
    assert run.ready_ids() == ["Task_decide_release"]  # the mentor's work stopped with the request
    run.complete("Task_decide_release", "Куратор", "decide_petition", approved=True, comment="Удовлетворить")
    sign = run.task("Task_sign_release_order", "Руководитель", "sign_order")
    assert sign.data["order_type"] == "mentor_release"
    run.complete("Task_sign_release_order", signed=True)
    assert run.ready_ids() == ["Task_replace_released_mentor"]  # nobody works the stage: the curator acts
    run.task("Task_replace_released_mentor", "Куратор", "replace_mentor")


def test_lifecycle_release_then_a_new_mentor_who_consents_restarts_the_stage(specs, registry):
    run = _program(specs, registry)
    _released(run)
    run.complete("Task_replace_released_mentor", complete_early=False, new_mentor_id="m2", comment="")
    run.complete("Task_release_consent", "Наставник", "give_consent", consent=False, comment="нет времени")
    assert run.ready_ids() == ["Task_replace_released_mentor"]  # refused: back to the curator
    run.complete("Task_replace_released_mentor", complete_early=False, new_mentor_id="m3", comment="")
    run.complete("Task_release_consent", consent=True, comment="")
    sign = run.task("Task_sign_release_replacement_order", "Руководитель", "sign_order")
    assert sign.data["order_type"] == "mentor_replacement" and sign.data["new_mentor_id"] == "m3"
    run.complete("Task_sign_release_replacement_order", signed=False, refusal_reason="другой наставник")
    assert run.ready_ids() == ["Task_replace_released_mentor"]
    run.complete("Task_replace_released_mentor", complete_early=False, new_mentor_id="m3", comment="")
    run.complete("Task_release_consent", consent=True, comment="")
    run.complete("Task_sign_release_replacement_order", signed=True)
    assert run.ready_ids() == ["Task_stage_work"] and _stage_index(run) == 0  # the stage again, with him


def test_lifecycle_release_then_the_program_ends_early(specs, registry):
    run = _program(specs, registry)
    _released(run)
    run.complete("Task_replace_released_mentor", complete_early=True, comment="замены нет")
    sign = run.task("Task_sign_release_completion_order", "Руководитель", "sign_order")
    assert (sign.data["order_type"], sign.data["completion_ground"]) == ("completion", "participants_initiative")
    assert sign.data["early_completion"]["reason"] == "перевод на другую должность"
    run.complete("Task_sign_release_completion_order", signed=True)
    assert run.done and run.data["program_status"] == "completed_early"


def test_lifecycle_release_refused_continues_the_stage(specs, registry):
    run = _program(specs, registry)
    _work(run, "diagnosis")
    run.send("mentor_release", {"mentor_id": "m1", "reason": "…"})
    run.complete("Task_decide_release", approved=False, comment="замены пока нет")
    assert run.ready_ids() == ["Task_stage_work"] and _stage_index(run) == 0
    run.send("mentor_release", {"mentor_id": "m1", "reason": "…"})
    run.complete("Task_decide_release", approved=True)
    run.complete("Task_sign_release_order", signed=False, refusal_reason="нет оснований")
    assert run.ready_ids() == ["Task_stage_work"] and _stage_index(run) == 0


def test_lifecycle_completion_cancels_open_side_tasks(specs, registry):
    run = _program(specs, registry)
    run.send("mentor_replacement", {"petitioner_id": "e1", "reason": "…"})
    run.at("2025-02-03T00:00:00+00:00")                            # reminder left unacknowledged
    run.send("early_completion", {"ground": "plan_completed", "initiator": "mentor", "reason": "план выполнен"})
    run.complete("Task_decide_early_completion", approved=True)
    assert {"Task_decide_replacement", "Task_stage_reminder", "Task_sign_early_order"} <= set(run.ready_ids())
    run.complete("Task_sign_early_order", signed=True)
    assert run.done and run.ready() == []                        # terminate end event


def test_lifecycle_messages_outside_a_stage_are_refused(specs, registry):
    run = _program(specs, registry)
    run.send("extension", {"initiator": "mentor", "reason": "…"})
    assert "early_completion" not in run.runtime.waiting_messages(run.wf)
    with pytest.raises(NotFound):
        run.send("early_completion", {"ground": "plan_completed"})
    assert "mentor_release" not in run.runtime.waiting_messages(run.wf)  # the release stops a stage: none runs
    run.send("mentor_replacement", {"petitioner_id": "e1", "reason": "…"})  # the replacement runs beside anything
    assert "Task_decide_replacement" in run.ready_ids()


# =============================================================================================
# mentorship_calendar
# =============================================================================================

CALENDAR = {"regulation": "school", "rulesets": {}, "calendar_id": "monitoring_december", "task": "monitoring",
            "label": "Мониторинг (до 20 декабря)", "clause": "001 §2.4", "due_at": "2025-12-20", "lead_days": 14,
            "cycle": 0}


def test_calendar_monitoring_opens_before_its_date_and_comes_back_a_year_on(specs, registry):
    run = Run(specs["mentorship_calendar"], CALENDAR, registry, start="2025-09-16T09:00:00+00:00")
    assert run.ready_ids() == [] and run.data["opens_at"] == "2025-12-06" and run.data["cycle"] == 1
    assert run.at("2025-12-05T23:59:00+00:00") == 0
    assert run.at("2025-12-06T00:00:00+00:00") == 1
    task = run.complete("Task_monitoring_report", lane="Куратор", form="monitoring_report", conclusions="Пары работают.")
    assert task.data["due_at"] == "2025-12-20"
    assert run.ready_ids() == [] and not run.done
    assert (run.data["due_at"], run.data["opens_at"], run.data["cycle"]) == ("2026-12-20", "2026-12-06", 2)
    assert run.at("2026-12-06T09:00:00+00:00") == 1
    assert run.ready_ids() == ["Task_monitoring_report"]


def test_calendar_base_review_is_the_curators_yearly_task(specs, registry):
    data = {**CALENDAR, "calendar_id": "base_review", "task": "base_review", "due_at": "2026-09-15", "clause": "001 §4.2"}
    run = Run(specs["mentorship_calendar"], data, registry, start="2025-09-16T09:00:00+00:00")
    assert run.at("2026-09-01T09:00:00+00:00") == 1
    run.complete("Task_base_review", lane="Куратор", form="base_review", entries=[], comment="")
    assert run.data["due_at"] == "2027-09-15" and run.ready_ids() == []
