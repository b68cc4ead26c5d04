"""The program's progress in plain words on its page (issue 16, item 7): stages passed, under way and ahead with
their dates, the step open now with who takes it and by when, the process diagram one click away — for the curator
and for the participants alike."""
from __future__ import annotations

import re

import pytest

from engine.demo.world import IN_PROGRESS_PAIR
from tests.web.test_programs import client_as, demo_app, program_of  # noqa: F401 - the demo's fixture

__all__ = ["demo_app"]


def _progress(html: str) -> str:
    found = re.search(r'<section class="card program-progress".*?</section>', html, re.S)
    assert found, "no progress section"
    return found.group(0)


@pytest.mark.parametrize("who", ["curator", "volkov", "orlova"])
def test_the_progress_in_plain_words(demo_app, who):  # noqa: F811 - the fixture
    program_id = program_of(demo_app, *IN_PROGRESS_PAIR)
    html = client_as(demo_app, who).get(f"/programs/{program_id}").text
    part = _progress(html)
    assert "Ход программы" in part and 'href="#process-title"' in part and "Схема процесса" in part
    states = re.findall(r'data-state="(\w+)"', part)
    assert states and states.count("current") == 1
    assert states.index("current") == len([s for s in states[:states.index("current")] if s == "passed"])
    assert all(s == "ahead" for s in states[states.index("current") + 1:])
    assert "идёт сейчас" in part and "впереди" in part
    passed = states.count("passed")
    assert re.search(rf"Пройден\w* {passed} этап\w* из {len(states)}", part)
    assert "Что нужно сделать сейчас" in part and "Делает:" in part
    assert 'id="process-title"' in html  # where the link leads: the diagram
