"""Uploads: hostile XML is refused without expansion or crash; convention problems name elements."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from engine.errors import WorkflowDefinitionError
from engine.workflow import MAX_BPMN_BYTES, ROLE_BY_LANE, check_bpmn, load_process, role_for_lane

from .conftest import RULESETS, fixture_bytes

DEFS = (b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        b'id="d" targetNamespace="http://x">')

XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       + DEFS + b'<bpmn:process id="p" name="&xxe;"/></bpmn:definitions>')
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE d [\n<!ENTITY lol "lol">\n'
          + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b"]>\n" + DEFS + b'<bpmn:process id="p" name="&lol9;"/></bpmn:definitions>')
XXE_TEXT = (b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            + DEFS + b'<bpmn:documentation>&xxe;</bpmn:documentation></bpmn:definitions>')
XXE_UTF16 = XXE_TEXT.replace(b'version="1.0"?>', b'version="1.0" encoding="UTF-16"?>').decode().encode("utf-16")
PLAIN_DTD = b'<?xml version="1.0"?>\n<!DOCTYPE definitions SYSTEM "http://example.com/x.dtd">\n' + DEFS + b"</bpmn:definitions>"


@pytest.mark.parametrize(('data', 'expected'), [
    (XXE, "DTD"),
    (XXE_TEXT, "DTD"),
    (XXE_UTF16, "DTD"),
    (LAUGHS, "DTD"),
    (PLAIN_DTD, "DTD"),
    (b"this is not xml", "не является корректным XML"),
    (b"", "пуст"),
    (b"   \n", "пуст"),
    (b"<a>" + b"x" * (6 * 1024 * 1024) + b"</a>", "слишком большой"),
    (b'<?xml version="1.0"?><root/>', "не BPMN"),
    (DEFS, "не является корректным XML"),
    ("<str/>", "байты"),
])
def test_hostile_or_broken_uploads_are_refused(data, expected):
    started = time.monotonic()
    problems = check_bpmn(data, "upload.bpmn", known_rulesets=RULESETS)
    assert time.monotonic() - started < 2
    assert len(problems) == 1 and expected in problems[0].message, problems
    assert problems[0].file == "upload.bpmn"
    text = str(problems[0])
    assert "root:" not in text and "lollol" not in text  # nothing read or expanded
    with pytest.raises(WorkflowDefinitionError):
        load_process(data, "upload.bpmn", known_rulesets=RULESETS)


def test_size_limit_is_five_megabytes():
    assert MAX_BPMN_BYTES == 5 * 1024 * 1024


def test_fixtures_pass():
    for name in ("mentorship.bpmn", "reminder.bpmn"):
        assert check_bpmn(fixture_bytes(name), name, known_rulesets=RULESETS) == []


def test_roles_by_lane():
    assert ROLE_BY_LANE["Куратор"] == "curator" and ROLE_BY_LANE["Система"] == "system"
    assert role_for_lane("  наставляемый ") == "mentee" and role_for_lane("Approver") is None
    assert role_for_lane(None) is None


def _problems(old: str, new: str, known=RULESETS):
    data = fixture_bytes("mentorship.bpmn").decode()
    assert old in data
    return check_bpmn(data.replace(old, new, 1).encode(), "m.bpmn", known_rulesets=known)


def _only(problems, element_id, text):
    assert problems, "expected a problem"
    assert all(p.element_id == element_id for p in problems), problems
    assert any(text in p.message for p in problems), problems


def test_unknown_ruleset():
    _only(_problems("x", "x", known=set()), "check_mentor", "неизвестен")
    _only(_problems('<spiffworkflow:property name="ruleset" value="mentor_eligibility_tomsk"/>', ""),
          "check_mentor", "ruleset")
    _only(_problems('name="result" value="eligibility"', 'name="result" value="__x"'),
          "check_mentor", "именем переменной")


def test_user_task_needs_form_and_role_lane():
    _only(_problems('<spiffworkflow:property name="form" value="draft_plan"/>', ""), "draft_plan", "форм")
    _only(_problems('name="Наставник">', 'name="Гость">'), "draft_plan", "не соответствует ни одной роли")
    _only(_problems("<bpmn:flowNodeRef>draft_plan</bpmn:flowNodeRef>", ""), "draft_plan", "дорожке роли")
    moved = "<bpmn:flowNodeRef>prepare_facts</bpmn:flowNodeRef>"
    data = fixture_bytes("mentorship.bpmn").decode().replace("<bpmn:flowNodeRef>draft_plan</bpmn:flowNodeRef>", "")
    data = data.replace(moved, moved + "<bpmn:flowNodeRef>draft_plan</bpmn:flowNodeRef>")
    problems = check_bpmn(data.encode(), "m.bpmn", known_rulesets=RULESETS)
    _only(problems, "draft_plan", "Система")


def test_untyped_and_service_tasks_are_refused():
    old = '<bpmn:scriptTask id="escalate" name="Эскалация">'
    _only(_problems(old, '<bpmn:task id="escalate" name="X"/><bpmn:scriptTask id="escalate2">'),
          "escalate", "тип задачи")
    _only(_problems(old, '<bpmn:serviceTask id="escalate" name="X"/><bpmn:scriptTask id="escalate2">'),
          "escalate", "serviceTask")


def test_an_element_name_on_several_lines_is_named_on_one():
    old = '<bpmn:scriptTask id="escalate" name="Эскалация">'
    problems = _problems(old, '<bpmn:task id="escalate" name="Передать&#10;куратору"/><bpmn:scriptTask id="escalate2">')
    named = next(p for p in problems if p.element_id == "escalate")
    assert named.element_name == "Передать куратору" and "\n" not in str(named)


def test_gateway_branch_needs_condition():
    _only(_problems(' default="flow_refused"', ""), "flow_refused", "нет условия")


def test_process_must_be_executable():
    _only(_problems('isExecutable="true"', 'isExecutable="false"'), "mentorship", "исполняемого")


def test_schema_violation_names_element():
    _only(_problems('<bpmn:endEvent id="end_done" name="Готово"/>', '<bpmn:endEvent id="end_done" name="X" bogus="1"/>'),
          "end_done", "схеме BPMN")


def test_engine_problems_name_element():
    # the schema allows a multi-instance task without cardinality or collection; the engine does not
    old = '<spiffworkflow:property name="form" value="draft_plan"/>\n        </spiffworkflow:properties>\n      </bpmn:extensionElements>'
    problems = _problems(old, old + "<bpmn:multiInstanceLoopCharacteristics/>")
    assert problems and problems[0].element_id == "draft_plan", problems
    assert "движок" in problems[0].message


@pytest.mark.parametrize("expression", ["P14X", '"P14X"', "2025-13"])
def test_bad_timer_literals(expression):
    _only(_problems(">P14D<", f">{expression}<"), "approve_overdue", "ISO 8601")


@pytest.mark.parametrize("expression", ['"P14D"', "P2W", "PT36H", "review_period"])
def test_good_timer_expressions(expression):
    assert _problems(">P14D<", f">{expression}<") == []



def test_the_petition_property_is_a_petition_kind_on_a_task_for_people():
    """``petition`` names the petition a user task decides (the organization's pack names the decider)."""
    shipped = (Path(__file__).resolve().parents[3] / "workflows" / "program_lifecycle.bpmn").read_bytes()
    assert check_bpmn(shipped, "program_lifecycle.bpmn", known_rulesets=RULESETS) == []
    broken = shipped.replace(b'name="petition" value="mentor_replacement"', 'name="petition" value="замена"'.encode())
    problems = check_bpmn(broken, "program_lifecycle.bpmn", known_rulesets=RULESETS)
    assert [(p.element_id, "вид ходатайства латиницей" in p.message) for p in problems] == [
        ("Task_decide_replacement", True)]
    on_a_script = shipped.replace(b'<bpmn:script>order_type = \'completion\'',
                                  b'<bpmn:extensionElements><spiffworkflow:properties><spiffworkflow:property '
                                  b'name="petition" value="extension" /></spiffworkflow:properties>'
                                  b'</bpmn:extensionElements><bpmn:script>order_type = \'completion\'', 1)
    assert any("только у задач для людей" in p.message
               for p in check_bpmn(on_a_script, "program_lifecycle.bpmn", known_rulesets=RULESETS))
