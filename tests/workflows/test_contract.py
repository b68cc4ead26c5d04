"""The contract between the shipped diagrams and the system (issue 16 item 3): Python finds elements by the
domain effect they carry, never by id — no id of a shipped diagram occurs in the code — and the check holds a
process of a kind to what its kind requires, in Russian, naming the element."""
from __future__ import annotations

import re

import pytest
from lxml import etree

from engine.rules import known_ruleset_ids
from engine.workflow import check_bpmn
from engine.workflow.bpmn_xml import BPMN_NS
from engine.workflow.effects import EFFECTS, KINDS
from tests.clause_coverage import REPO_ROOT

WORKFLOWS = sorted((REPO_ROOT / "workflows").glob("*.bpmn"))
CODE_DIRECTORIES = ("engine", "web", "worker", "cli")
NOT_ELEMENTS = ("process", "definitions", "inputDataItem", "outputDataItem")
LIFECYCLE = REPO_ROOT / "workflows" / "program_lifecycle.bpmn"


def shipped_ids() -> dict[str, str]:
    """Every id of a BPMN element in the shipped diagrams -> its file; not the processes (the packs name those) nor a
    multi-instance's data items (SpiffWorkflow reads their ids as the names of process variables)."""
    found: dict[str, str] = {}
    for path in WORKFLOWS:
        root = etree.parse(str(path)).getroot()
        for node in root.iter(f"{{{BPMN_NS}}}*"):
            element_id = node.get("id")
            if element_id and etree.QName(node).localname not in NOT_ELEMENTS:
                found.setdefault(element_id, path.name)
    return found


def test_no_python_names_an_element_of_a_shipped_diagram():
    ids = shipped_ids()
    assert len(ids) > 300 and "Task_stage_reminder" in ids and "Message_extension" in ids
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, ids), key=len, reverse=True)) + r")\b")
    named = []
    for directory in CODE_DIRECTORIES:
        for path in sorted((REPO_ROOT / directory).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for match in pattern.finditer(line):
                    named.append(f"{path.relative_to(REPO_ROOT)}:{number}: {match.group(0)} ({ids[match.group(0)]})")
    assert named == [], "Python names elements of the shipped diagrams; give the element an effect instead:\n" + \
        "\n".join(named)


def test_every_shipped_diagram_declares_a_known_kind_and_offers_what_it_requires():
    kinds = set()
    for path in WORKFLOWS:
        assert check_bpmn(path.read_bytes(), path.name, known_rulesets=known_ruleset_ids()) == []
        kinds |= set(re.findall(r'name="kind" value="(\w+)"', path.read_text(encoding="utf-8")))
    assert kinds == set(KINDS)


def _check(text: str) -> list[str]:
    return [f"{p.element_id}: {p.message}" for p in check_bpmn(text.encode("utf-8"), "program_lifecycle.bpmn",
                                                               known_rulesets=known_ruleset_ids())]


def test_removing_the_effect_the_kind_requires_is_refused_in_russian():
    text = LIFECYCLE.read_text(encoding="utf-8")
    without = text.replace('<spiffworkflow:property name="effect" value="stage_reminder" />', "")
    assert without != text
    [problem] = _check(without)
    assert problem.startswith("program_lifecycle: процесс вида «реализация программы наставничества» должен "
                              "содержать элемент с действием системы «stage_reminder»")
    assert EFFECTS["stage_reminder"].title in problem


@pytest.mark.parametrize(("change", "expected"), [
    (('value="stage_escalation"', 'value="stage_escalaton"'),
     "Task_handle_escalation: действие системы «stage_escalaton» (свойство effect) неизвестно"),
    (('name="effect" value="stage" />', 'name="effect" value="stage_reminder" />'),
     "SubProcess_stage: действие «stage_reminder»"),
    (('name="kind" value="program"', 'name="kind" value="programme"'),
     "program_lifecycle: вид процесса «programme» (свойство kind) неизвестен"),
    (('name="early_completion"', 'name="early_end"'),
     "Event_early_completion: сообщение «early_end» система процессу вида"),
    (('<spiffworkflow:property name="hook" value="record_stage_work" />', ""),
     "program_lifecycle: процесс вида «реализация программы наставничества» должен содержать задачу для людей с "
     "обработчиком «record_stage_work»"),
])
def test_an_unknown_or_misplaced_effect_kind_or_message_is_refused_naming_the_element(change, expected):
    text = LIFECYCLE.read_text(encoding="utf-8")
    changed = text.replace(*change)
    assert changed != text
    problems = _check(changed)
    assert any(p.startswith(expected) for p in problems), problems


def renamed_lifecycle() -> bytes:
    """program_lifecycle.bpmn with the elements the services need and a message renamed consistently."""
    text = LIFECYCLE.read_text(encoding="utf-8")
    renames = {"Task_stage_reminder": "Task_napominanie", "Task_handle_escalation": "Task_prosrochka",
               "SubProcess_stage": "SubProcess_etap", "Task_decide_early_completion": "Task_reshenie_dosrochno",
               "Message_early_completion": "Message_dosrochno", "Task_decide_release": "Task_reshenie_slozhenie"}
    for old, new in renames.items():
        assert old in text
        text = re.sub(rf"\b{old}\b", new, text)
    return text.replace('name="Реализация программы наставничества"', 'name="Реализация программы (переименовано)"',
                        1).encode("utf-8")


def test_the_renamed_copy_passes_the_check():
    assert _check(renamed_lifecycle().decode("utf-8")) == []
