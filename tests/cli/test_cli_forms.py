"""``nastavnik workflow check`` refuses a user task whose form has no contract, naming the element."""
from __future__ import annotations

from cli import main
from tests.engine.services.conftest import PLAN


def test_workflow_check_refuses_a_form_without_contract(tmp_path, capsys):
    undeclared = tmp_path / "undeclared.bpmn"
    undeclared.write_bytes(PLAN.read_bytes().replace(
        b'<spiffworkflow:property name="fields" value="plan: text"/>', b""))
    assert main(["workflow", "check", str(undeclared), str(PLAN)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{undeclared}: draft_plan «Составить план»: у формы «draft_plan» нет контракта")
               for line in out), out
    assert out[-1] == f"{PLAN}: в порядке"
