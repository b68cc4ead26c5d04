"""Scripts and expressions: refused by check_bpmn (naming the element) and again at run time."""
from __future__ import annotations

from xml.sax.saxutils import escape

import pytest

from engine.workflow import bpmn_conventions, check_bpmn, check_code, load_process, sandbox
from engine.workflow.sandbox import SandboxViolation, safe_eval, safe_exec

from .conftest import RULESETS, fixture_bytes

START = {"years_as_head": 7, "contest_level": "regional", "started_on": "2025-01-10", "x": 1}
ORIGINAL_SCRIPT = b"""facts = {"years_as_head": years_as_head, "contest_level": contest_level}
stage_due = add_months(started_on, 1)"""

FORBIDDEN = [
    "import os",
    "__import__('os')",
    "().__class__.__bases__[0].__subclasses__()",
    "open('/etc/passwd')",
    "getattr(x, '__class__')",
    "eval('1')",
    "from os import system",
    "y = (i for i in [1]).gi_frame",
    "s = '{0.__class__}'.format(1)",
    "while True:\n    pass",
    "def f():\n    return 1",
    "n = 10 ** 10 ** 10",
    "g = globals()",
    "t = type(1)",
    "class A:\n    pass",
    "try:\n    y = 1\nexcept:\n    pass",
]


def with_script(script: str) -> bytes:
    return fixture_bytes("mentorship.bpmn").replace(ORIGINAL_SCRIPT, escape(script).encode())


@pytest.mark.parametrize("script", FORBIDDEN)
def test_forbidden_script_refused_by_check(script):
    problems = check_bpmn(with_script(script), "bad.bpmn", known_rulesets=RULESETS)
    assert problems, script
    assert all(p.element_id == "prepare_facts" and p.element_name == "Подготовить факты" for p in problems)
    assert "отклонён" in problems[0].message


@pytest.mark.parametrize("script", FORBIDDEN)
def test_forbidden_script_fails_at_run_time_when_forced(script, runtime, monkeypatch):
    monkeypatch.setattr(bpmn_conventions, "check_conventions", lambda *args, **kwargs: [])
    spec = load_process(with_script(script), "forced.bpmn", known_rulesets=RULESETS)
    with pytest.raises(SandboxViolation) as info:
        runtime.start(spec, START)
    assert info.value.where == "prepare_facts «Подготовить факты»"


@pytest.fixture
def no_static_check(monkeypatch):
    monkeypatch.setattr(sandbox, "_check", lambda source, mode: ())
    sandbox._compiled.cache_clear()
    yield
    sandbox._compiled.cache_clear()


@pytest.mark.parametrize(("script", "error"), [
    ("import os", ImportError),
    ("y = __import__('os')", NameError),
    ("y = open('/etc/passwd')", NameError),
    ("y = eval('1')", NameError),
    ("y = getattr(x, 'real')", NameError),
    ("y = compile('1', 'f', 'eval')", NameError),
])
def test_restricted_globals_hold_even_without_the_static_check(no_static_check, script, error):
    with pytest.raises(error):
        safe_exec(script, {"x": 1})


def test_condition_and_timer_expressions_are_checked():
    data = fixture_bytes("mentorship.bpmn").replace(
        b'eligibility["verdict"] == "eligible"', b"__import__('os').system('id') == 0"
    ).replace(b">P14D<", b">open('/etc/passwd').read()<")
    problems = check_bpmn(data, "bad.bpmn", known_rulesets=RULESETS)
    named = {p.element_id for p in problems}
    assert named == {"flow_eligible", "approve_overdue"}, problems


def test_allowed_scripts():
    data = {"items": [3, 1, 2], "name": " Иван ", "facts": {"a": 1}}
    safe_exec("total = sum(items)\nsorted_items = sorted(items, key=lambda v: -v)\n"
              "clean = name.strip().upper()\nfor i, v in enumerate(items):\n    if v > 1:\n        last = i\n"
              "keys = [k for k in facts.keys()]\nlabel = f'{clean}: {total}'\nwhen = today()",
              data, {"today": lambda: "2025-01-10"})
    assert data["total"] == 6 and data["sorted_items"] == [3, 2, 1] and data["clean"] == "ИВАН"
    assert data["last"] == 2 and data["keys"] == ["a"] and data["label"] == "ИВАН: 6"
    assert data["when"] == "2025-01-10" and "today" not in data
    assert safe_eval("len(items) > 2 and name", data) == " Иван "
    assert check_code('decision["verdict"] == "eligible"', expression=True) == []


def test_script_values_must_stay_json():
    for script in ("s = {1, 2}", "g = (i for i in [1])", "n = float('nan')"):
        with pytest.raises(SandboxViolation):
            safe_exec(script, {})
    data = {"keep": 1}
    safe_exec("f = lambda v: v\ny = f(2)", data)  # callables are not kept in the data
    assert data == {"keep": 1, "y": 2}


def test_range_is_capped():
    with pytest.raises(SandboxViolation):
        safe_exec("n = len(list(range(100000000)))", {})


def test_injected_function_names_cannot_start_with_underscore():
    with pytest.raises(SandboxViolation):
        safe_eval("1", {}, {"_secret": lambda: 1})


def test_indented_scripts_from_xml_editors():
    script = "\n        a = 1\n        if a:\n            b = a + 1\n    "
    assert check_code(script) == []
    data = {}
    safe_exec(script, data)
    assert data == {"a": 1, "b": 2}

