"""Element-level and text difference between two versions of a BPMN process."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import WorkflowDefinitionError
from engine.workflow.diff import diff_bpmn

ROOT = Path(__file__).resolve().parents[3]
PLAN = (ROOT / "tests" / "engine" / "services" / "fixtures" / "plan_review.bpmn").read_bytes()
LIFECYCLE = (ROOT / "workflows" / "program_lifecycle.bpmn").read_bytes()


def _edit(data: bytes, *pairs: tuple[str, str]) -> bytes:
    text = data.decode("utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text.encode("utf-8")


def _by_id(result) -> dict:
    return {e.element_id: e for e in result.elements}


def _facets(change) -> dict:
    return {f.key: (f.old, f.new) for f in change.facets}


def test_same_bytes_are_identical():
    result = diff_bpmn(PLAN, PLAN, old_label="v1", new_label="v2")
    assert result.identical and result.elements == [] and result.text == []


def test_whitespace_only_reformatting_changes_nothing_element_wise():
    result = diff_bpmn(PLAN, _edit(PLAN, ('<bpmn:startEvent id="start" name="Старт"/>',
                                          '<bpmn:startEvent id="start"   name="Старт"></bpmn:startEvent>')))
    assert result.elements == []


def test_name_form_ruleset_timer_condition_script_and_lane_changes_are_named():
    new = _edit(PLAN,
                ('name="Утвердить план"', 'name="Утвердить план (v2)"'),
                ('<spiffworkflow:property name="form" value="approve_plan"/>',
                 '<spiffworkflow:property name="form" value="approve_plan_v2"/>'),
                ("P14D", "P10D"),
                ("approved == True", "approved == True and rounds &lt; 3"),
                ("escalated = True\n", "escalated = True\nnotified = True\n"),
                ("<bpmn:flowNodeRef>approve_plan</bpmn:flowNodeRef>\n", ""),
                ("<bpmn:flowNodeRef>draft_plan</bpmn:flowNodeRef>",
                 "<bpmn:flowNodeRef>draft_plan</bpmn:flowNodeRef><bpmn:flowNodeRef>approve_plan</bpmn:flowNodeRef>"))
    changes = _by_id(diff_bpmn(PLAN, new, old_label="v1", new_label="v2"))
    approve = changes["approve_plan"]
    assert approve.change == "changed" and approve.type == "userTask"
    assert approve.name == "Утвердить план (v2)" and approve.old_name == "Утвердить план"
    assert _facets(approve) == {"name": ("Утвердить план", "Утвердить план (v2)"),
                                "lane": ("Куратор", "Наставник"),
                                "property:form": ("approve_plan", "approve_plan_v2")}
    assert _facets(changes["approve_overdue"]) == {"timer": ("timeDuration: P14D", "timeDuration: P10D")}
    assert _facets(changes["flow_ok"]) == {"condition": ("approved == True", "approved == True and rounds < 3")}
    script = changes["escalate"].facets[0]
    assert script.key == "script" and script.multiline and "+ notified = True" in script.line_diff()
    assert set(changes) == {"approve_plan", "approve_overdue", "flow_ok", "escalate"}


def test_added_and_removed_elements_and_rewired_flows():
    new = _edit(PLAN,
                ('<bpmn:endEvent id="end_overdue" name="Просрочено"/>',
                 '<bpmn:endEvent id="end_late" name="Просрочено окончательно"/>'),
                ('targetRef="end_overdue"', 'targetRef="end_late"'),
                ("<bpmn:flowNodeRef>end_overdue</bpmn:flowNodeRef>", "<bpmn:flowNodeRef>end_late</bpmn:flowNodeRef>"))
    result = diff_bpmn(PLAN, new)
    changes = _by_id(result)
    assert changes["end_late"].change == "added" and changes["end_late"].name == "Просрочено окончательно"
    assert ("lane", None, "Система") in {(f.key, f.old, f.new) for f in changes["end_late"].facets}
    assert changes["end_overdue"].change == "removed" and changes["end_overdue"].type == "endEvent"
    assert _facets(changes["f7"]) == {"attr:targetRef": ("end_overdue", "end_late")}
    assert (result.count("added"), result.count("removed"), result.count("changed")) == (1, 1, 1)
    assert "-    <bpmn:endEvent id=\"end_overdue\" name=\"Просрочено\"/>" in result.text
    assert result.text[0] == "--- old" and result.text[1] == "+++ new"


def test_event_definitions_and_extension_scripts():
    new = _edit(PLAN, ('messageRef="Message_petition"', 'messageRef="Message_other"'),
                ('<bpmn:message id="Message_petition" name="petition"/>',
                 '<bpmn:message id="Message_petition" name="petition"/><bpmn:message id="Message_other" name="other"/>'))
    changes = _by_id(diff_bpmn(PLAN, new))
    assert _facets(changes["petition_start"])["event"] == ("messageEventDefinition (messageRef=Message_petition)",
                                                           "messageEventDefinition (messageRef=Message_other)")
    assert changes["Message_other"].change == "added"


def test_layout_of_the_shipped_diagram_is_compared():
    moved = _edit(LIFECYCLE, ('name="Рассчитать сроки этапов"', 'name="Рассчитать сроки"'))
    text = moved.decode()
    shape = text.index('bpmnElement="Task_init_program"')
    bounds = text.index("<dc:Bounds", shape)
    end = text.index("/>", bounds)
    moved = (text[:bounds] + '<dc:Bounds x="1" y="2" width="100" height="80"' + text[end:]).encode()
    change = _by_id(diff_bpmn(LIFECYCLE, moved))["Task_init_program"]
    facets = _facets(change)
    assert facets["name"] == ("Рассчитать сроки этапов", "Рассчитать сроки")
    assert facets["layout"][1] == "x=1 y=2 100×80"


@pytest.mark.parametrize(("bad", "message"), [
    (b"<bpmn:definitions", "не является корректным XML"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', "DTD"),
    (b"", "пуст"),
])
def test_unparsable_versions_are_refused_naming_the_version(bad, message):
    with pytest.raises(WorkflowDefinitionError) as caught:
        diff_bpmn(PLAN, bad, old_label="v1", new_label="v2")
    assert message in str(caught.value) and "v2" in str(caught.value)


def test_huge_text_diffs_are_truncated(monkeypatch):
    from engine.workflow import diff

    monkeypatch.setattr(diff, "MAX_TEXT_DIFF_LINES", 5)
    result = diff_bpmn(PLAN, LIFECYCLE)
    assert len(result.text) == 5 and result.text_truncated


def test_attribute_order_is_not_a_difference():
    reordered = _edit(PLAN, ('<bpmn:boundaryEvent id="approve_overdue" name="14 дней без решения" attachedToRef="approve_plan">',
                             '<bpmn:boundaryEvent attachedToRef="approve_plan" name="14 дней без решения" id="approve_overdue">'))
    assert diff_bpmn(PLAN, reordered).identical
