"""``nastavnik rules check``: every problem of the files on its own line, exit 1; a missing path exits 2."""
from pathlib import Path

from cli import main

BROKEN = Path(__file__).resolve().parents[1] / "engine" / "rules" / "broken"


def test_cli_check_prints_every_problem_and_exits_1(capsys):
    assert main(["rules", "check", str(BROKEN)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) >= len(list(BROKEN.glob("*.yaml")))
    assert all(": " in line for line in out)
    assert any("unknown_fact.yaml: mentor_eligibility_tomsk/head_experience: поле condition" in line for line in out)


def test_cli_check_passes_on_shipped(capsys):
    assert main(["rules", "check"]) == 0
    assert "в порядке" in capsys.readouterr().out


def test_cli_check_missing_path(capsys):
    assert main(["rules", "check", "no/such/dir"]) == 2
    assert "нет такого файла" in capsys.readouterr().err
