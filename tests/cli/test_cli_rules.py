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


def test_cli_check_reports_deep_nesting_and_huge_numbers_as_problems_with_their_line(tmp_path, capsys):
    shipped = (Path(__file__).resolve().parents[2] / "rules" / "tomsk" / "rulesets" / "mentor_eligibility_tomsk.yaml")
    text = shipped.read_text(encoding="utf-8")
    (tmp_path / "deep.yaml").write_text(text + "\nnotes: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (tmp_path / "huge.yaml").write_text(text.replace("years_as_head >= 5", "years_as_head >= " + "9" * 5000),
                                        encoding="utf-8")
    (tmp_path / "huge_value.yaml").write_text(text + "\nnotes: " + "1" * 5000 + "\n", encoding="utf-8")
    (tmp_path / "brackets.yaml").write_text(
        text.replace("years_as_head >= 5", "(" * 3000 + "years_as_head >= 5" + ")" * 3000), encoding="utf-8")
    assert main(["rules", "check", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "внутренняя ошибка" not in captured.err and "Traceback" not in captured.err
    out = captured.out
    last_line = text.count("\n") + 2  # the appended «notes:» line
    assert f"deep.yaml: ?/файл: строка {last_line}, столбец 27" in out and "вложенность" in out
    assert f"huge_value.yaml: ?/файл: строка {last_line}, столбец 8" in out and "больше 30 цифр" in out
    assert "huge.yaml: mentor_eligibility_tomsk/head_experience: поле condition: слишком длинное число" in out
    assert "brackets.yaml: mentor_eligibility_tomsk/head_experience: поле condition: слишком глубокая" in out
