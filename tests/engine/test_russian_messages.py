"""What the engine tells a methodologist about a broken file is Russian: PyYAML's syntax errors (rule files,
roadmaps, regulation packs) and SpiffWorkflow's validation of a BPMN file are translated where they are caught
(engine.errors.yaml_message, engine.workflow.spiff.messages), with the line and the element; nothing English,
even for a message the table does not know."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from engine.errors import NastavnikError, yaml_message
from engine.regulations.roadmaps import load_roadmap_bytes
from engine.rules.loader import load_bytes
from engine.workflow import check_bpmn
from engine.workflow.messages import UNKNOWN, russian

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){1,}")


def test_a_missing_colon_in_a_rule_file_is_named_in_russian_with_its_line():
    shipped = (ROOT / "rules" / "tomsk" / "rulesets" / "mentor_eligibility_tomsk.yaml").read_text(encoding="utf-8")
    broken = shipped.replace('version: "1"', 'version "1"\n  facts')
    _, problems = load_bytes(broken.encode(), "mentor_eligibility_tomsk.yaml")
    [problem] = problems
    assert problem.message.startswith("строка ") and "ошибка YAML" in problem.message
    assert not ENGLISH.search(problem.message), problem.message


@pytest.mark.parametrize(("text", "said"), [
    ("a: b\n  c: d\n", "здесь не может стоять «ключ: значение»"),
    ("a: [1, 2\n", "«,» или «]»"),
    ("a: 'open\n", "файл оборвался"),
    ("key\nother: 1\nx", "двоеточ"),
])
def test_yaml_syntax_errors_read_in_russian(text, said):
    with pytest.raises(yaml.YAMLError) as error:
        yaml.safe_load(text)
    message = yaml_message(error.value)
    assert said in message and not ENGLISH.search(message), message


def test_a_broken_roadmap_file_is_refused_in_russian():
    with pytest.raises(NastavnikError) as refused:
        load_roadmap_bytes(b"id: x\nstages:\n  - id: a\n   title: b\n", "x.yaml")
    assert "не читается как YAML" in refused.value.message and not ENGLISH.search(refused.value.message)


def test_spiffworkflows_refusal_of_a_bpmn_file_is_russian():
    bpmn = (ROOT / "workflows" / "pair_formation.bpmn").read_text(encoding="utf-8")
    start = bpmn.index('<bpmn:userTask id="Task_propose_pair"')
    end = bpmn.index("</bpmn:userTask>", start)
    broken = bpmn[:end] + "<bpmn:multiInstanceLoopCharacteristics />" + bpmn[end:]
    assert broken != bpmn
    problems = check_bpmn(broken.encode(), "pair_formation.bpmn", known_rulesets={
        "mentor_eligibility_tomsk", "mentee_category_tomsk", "mentor_bonus_tomsk"})
    messages = [p.message for p in problems]
    assert any("многоэкземплярной задачи" in m for m in messages), messages
    assert not any("multiinstance" in m.lower() or ENGLISH.search(m) for m in messages), messages


def test_an_unknown_spiffworkflow_message_is_not_shown_in_english():
    assert russian("Some brand new complaint about an element") == UNKNOWN
    assert russian("A multiinstance task must specify a cardinality or a loop input data reference").startswith(
        "у многоэкземплярной задачи")


def test_the_xml_schemas_complaints_about_a_bpmn_file_are_russian():
    bpmn = (ROOT / "workflows" / "pair_formation.bpmn").read_text(encoding="utf-8")
    start = bpmn.index('<bpmn:userTask id="Task_propose_pair"')
    broken = bpmn[:start] + bpmn[start:].replace(">", "><bpmn:rendering/>", 1)  # out of the schema's order
    messages = [p.message for p in check_bpmn(broken.encode(), "pair_formation.bpmn", known_rulesets=set())]
    assert any("не соответствует схеме BPMN 2.0" in m for m in messages), messages
    assert not any(re.search(r"This element|Expected is|not expected", m) for m in messages), messages
