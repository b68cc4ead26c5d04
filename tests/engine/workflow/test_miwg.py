"""The 21 BPMN MIWG reference diagrams: each passes check_bpmn or gets problems naming an element;
none raises. They are not executable mentorship processes, so today all are refused."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.workflow import check_bpmn

REPO = Path(__file__).resolve().parents[3]
MIWG = (REPO / "../shared/reference/bpmn-miwg").resolve()
FILES = sorted(MIWG.glob("*.bpmn"))


@pytest.mark.skipif(not FILES, reason=f"reference diagrams not found in {MIWG}")
def test_miwg_reference_diagrams(capsys):
    assert len(FILES) == 21
    summary = {}
    for path in FILES:
        problems = check_bpmn(path.read_bytes(), path.name, known_rulesets={"mentor_eligibility_tomsk"})
        assert all(p.message and p.file == path.name for p in problems)
        assert problems == [] or any(p.element_id for p in problems), (path.name, problems)
        summary[path.name] = problems
    with capsys.disabled():
        passed = [name for name, problems in summary.items() if not problems]
        print(f"\nMIWG: {len(passed)} of {len(FILES)} pass check_bpmn")
        for name, problems in summary.items():
            if problems:
                print(f"  {name}: {len(problems)} problem(s), first: {problems[0]}".replace("\n", " "))
