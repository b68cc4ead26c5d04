"""``nastavnik rules eval``: decisions as JSON; bad input → exit 2 and one line, never a traceback."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main

GOOD = {"years_as_head": 7, "contest_level": "federal", "contest_result": "laureate", "efficiency_percent": 95,
        "has_mentorship_certificate": True}


@pytest.fixture
def facts_file(tmp_path):
    def write(content):
        path = tmp_path / "facts.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        return str(path)
    return write


def test_one_fact_set(facts_file, capsys):
    assert main(["rules", "eval", "mentor_eligibility_tomsk", "--facts", facts_file(GOOD)]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["verdict"] == "eligible" and decision["outputs"]["term_months"] == 24
    assert set(decision) >= {"ruleset", "version", "verdict", "criteria", "outputs"}
    assert set(decision["criteria"][0]) >= {"id", "passed", "message", "source"}


def test_a_list_gives_a_list(facts_file, capsys):
    assert main(["rules", "eval", "mentor_eligibility_tomsk", "--facts", facts_file([GOOD, {}])]) == 0
    decisions = json.loads(capsys.readouterr().out)
    assert [d["verdict"] for d in decisions] == ["eligible", "insufficient_data"]


@pytest.mark.parametrize(("content", "message"), [
    ("{\"years_as_head\": ", "неверный JSON: строка 1"),
    ({"years_as_head": "7"}, "факт «years_as_head»: ожидается число"),
    ({"years_as_haed": 7}, "возможно, имелось в виду «years_as_head»"),
    ([GOOD, {"efficiency_percent": 101}], "набор фактов №2: mentor_eligibility_tomsk: факт «efficiency_percent»"),
    ("[1, 2]", "ожидается набор фактов"),
])
def test_bad_facts_exit_2_with_one_line(facts_file, capsys, content, message):
    assert main(["rules", "eval", "mentor_eligibility_tomsk", "--facts", facts_file(content)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err
    assert "Traceback" not in captured.err


def test_lenient_counts_wrong_types_as_missing(facts_file, capsys):
    path = facts_file({**GOOD, "years_as_head": "7"})
    assert main(["rules", "eval", "mentor_eligibility_tomsk", "--facts", path, "--lenient"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "insufficient_data"


def test_unknown_ruleset_and_missing_file(capsys):
    assert main(["rules", "eval", "no_such_rules", "--facts", "-"]) == 2
    assert "неизвестный набор правил «no_such_rules»" in capsys.readouterr().err
    assert main(["rules", "eval", "mentor_bonus_tomsk", "--facts", "/no/such.json"]) == 2
    assert "не удалось прочитать /no/such.json" in capsys.readouterr().err


def test_installed_console_script_reads_stdin():
    script = Path(sys.executable).with_name("nastavnik")
    result = subprocess.run([str(script), "rules", "eval", "mentor_bonus_tomsk", "--facts", "-"],
                            input='{"mentee_count": 3, "roadmap_fulfilled": true, "reports_submitted": true, '
                                  '"attended_mentor_events": true, "analytical_materials": true}',
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outputs"]["bonus_salaries"] == 5
    broken = subprocess.run([str(script), "rules", "eval", "mentor_bonus_tomsk", "--facts", "-"],
                            input="not json", capture_output=True, text=True, timeout=60)
    assert broken.returncode == 2 and "Traceback" not in broken.stderr


def test_deployed_evaluates_the_databases_version_and_files_otherwise(facts_file, capsys, tmp_path, monkeypatch):
    from cli.context import session_scope
    from engine.db.migrate import upgrade
    from engine.regulations import rule_file_paths, shipped_rule_file
    from engine.rules import default_registry
    from engine.services.methodology import rule_deployment, rule_files
    from engine.services.people.actor import load_actor
    from tests import factories as f

    url = f"sqlite:///{(tmp_path / 'rules.sqlite3').as_posix()}"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    shipped = shipped_rule_file("mentor_eligibility_tomsk").read_text(encoding="utf-8")
    edited = shipped.replace('version: "1"', 'version: "2"').replace("years_as_head >= 5", "years_as_head >= 4")
    try:
        with session_scope(url) as session:
            person = f.make_person(session, login="metod")
            f.make_role(session, person, f.make_department(session), "methodologist")
            session.commit()
            methodologist = load_actor(session, "metod")
            rule_files.save_version(session, methodologist, "mentor_eligibility_tomsk", edited, "порог 4 года")
            rule_deployment.deploy(session, methodologist, "mentor_eligibility_tomsk", 2)
            session.commit()
        four_years = facts_file({**GOOD, "years_as_head": 4})
        assert main(["rules", "eval", "mentor_eligibility_tomsk", "--facts", four_years, "--deployed"]) == 0
        decision = json.loads(capsys.readouterr().out)
        assert (decision["version"], decision["verdict"]) == ("2", "eligible")
    finally:
        for path in rule_file_paths():  # the shipped files run for the tests after this
            assert default_registry().install(path.read_bytes(), str(path)) == []
    assert main(["rules", "eval", "mentor_eligibility_tomsk", "--facts", four_years]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert (decision["version"], decision["verdict"]) == ("1", "not_eligible")
