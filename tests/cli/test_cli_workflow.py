"""``nastavnik db upgrade``, ``workflow check|deploy``, ``task list|complete``, ``timers fire``."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from cli import main
from engine.bootstrap import bootstrap
from engine.db import make_engine
from engine.db.migrate import current_revision, head_revision
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances
from engine.workflow import content_hash
from tests.engine.services.conftest import PLAN, START_DATA, make_world

ROOT = Path(__file__).resolve().parents[2]
SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


@pytest.fixture
def database(db_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    definitions.clear_cache()
    return db_url


@pytest.fixture
def upgraded(database, capsys):
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    return database


@pytest.fixture
def broken(tmp_path) -> Path:
    path = tmp_path / "broken.bpmn"
    path.write_bytes(PLAN.read_bytes().replace(b'<spiffworkflow:property name="form" value="approve_plan"/>', b""))
    return path


@SQLITE
def test_db_upgrade(database, capsys):
    assert main(["db", "upgrade"]) == 0
    assert current_revision(database) == head_revision()
    assert "обновлена" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0  # again: nothing to do


def test_workflow_check(broken, tmp_path, capsys):
    assert main(["workflow", "check", str(PLAN)]) == 0
    assert capsys.readouterr().out == f"{PLAN}: в порядке\n"

    assert main(["workflow", "check", str(broken), str(PLAN)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{broken}: approve_plan «Утвердить план»: ") for line in out), out
    assert out[-1] == f"{PLAN}: в порядке"

    garbage = tmp_path / "garbage.bpmn"
    garbage.write_bytes(b"\xff\xfe not xml at all")
    assert main(["workflow", "check", str(garbage)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{garbage}: ") and "Traceback" not in captured.err

    assert main(["workflow", "check", str(tmp_path / "missing.bpmn"), str(PLAN)]) == 2
    captured = capsys.readouterr()
    assert "missing.bpmn" in captured.err and len(captured.err.splitlines()) == 1
    assert captured.out == f"{PLAN}: в порядке\n"


def test_workflow_check_refuses_the_audits_squaring_loop(tmp_path, capsys):
    bomb = tmp_path / "pair_formation.bpmn"
    bomb.write_bytes(PLAN.read_bytes().replace(b"rounds = 0", b"rounds = 3\nfor i in range(100000):\n    rounds = rounds * rounds"))
    assert main(["workflow", "check", str(bomb)]) == 1
    out = capsys.readouterr().out
    assert f"{bomb}: prepare «Подготовить данные»: " in out
    assert "«rounds» умножается сам на себя в цикле: его размер растёт без предела (строка 3)" in out


def test_workflow_check_names_an_element_on_one_line(tmp_path, capsys):
    """bpmn-js writes a name's line breaks as ``&#10;``: each problem is still one line, the name's spaces collapsed."""
    drawn = tmp_path / "drawn.bpmn"
    drawn.write_bytes(PLAN.read_bytes()
                      .replace("name=\"Подготовить данные\"".encode(), "name=\"Подготовить&#10;  данные\"".encode())
                      .replace(b"rounds = 0", b"import os\nrounds = 0")
                      .replace("<bpmn:userTask id=\"approve_plan\" name=\"Утвердить план\">".encode(),
                               "<bpmn:userTask id=\"approve_plan\" name=\"Утвердить&#10;план\" "
                               "xmlns:camunda=\"http://camunda.org/schema/1.0/bpmn\" camunda:candidateGroups=\"head\">"
                               .encode()))
    assert main(["workflow", "check", str(drawn)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert captured.err == f"найдено проблем: {len(lines)}\n"
    assert all(line.startswith(f"{drawn}: ") for line in lines), lines
    assert any(line.startswith(f"{drawn}: prepare «Подготовить данные»: ") and "импорт" in line for line in lines)
    assert any(line.startswith(f"{drawn}: approve_plan «Утвердить план»: назначение исполнителя Camunda") and
               line.endswith("на дорожку роли «Руководитель» и удалите атрибут") for line in lines), lines


@SQLITE
def test_database_not_upgraded_is_one_line(database, capsys):
    assert main(["workflow", "deploy", str(PLAN)]) == 2
    err = capsys.readouterr().err
    assert "nastavnik db upgrade" in err and len(err.splitlines()) == 1


@SQLITE
def test_workflow_deploy(upgraded, broken, capsys):
    sha = content_hash(PLAN.read_bytes())
    assert main(["workflow", "deploy", str(PLAN)]) == 0
    assert capsys.readouterr().out == f"plan_review версия 1 sha256 {sha}\n"
    assert main(["workflow", "deploy", str(PLAN)]) == 0  # the same bytes: the same version
    assert capsys.readouterr().out == f"plan_review версия 1 sha256 {sha}\n"
    assert main(["workflow", "deploy", str(broken)]) == 1
    assert "approve_plan «Утвердить план»" in capsys.readouterr().err
    assert main(["workflow", "deploy", "/no/such/file.bpmn"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@SQLITE
def test_tasks_and_timers(upgraded, tmp_path, capsys):
    assert main(["workflow", "deploy", str(PLAN)]) == 0
    engine = make_engine(upgraded)
    try:
        with bootstrap().session_factory(engine)() as session:
            world = make_world(session)
            instance = instances.start_instance(session, SYSTEM, "plan_review", "program", world.org_id, {},
                                                START_DATA)
            session.commit()
            instance_id = instance.id
    finally:
        engine.dispose()
    capsys.readouterr()

    assert main(["task", "list", "--as", world.mentor.login, "--json"]) == 0
    [task] = json.loads(capsys.readouterr().out)
    assert (task["instance_id"], task["element_id"], task["name"], task["role"], task["form"]) == \
        (instance_id, "draft_plan", "Составить план", "mentor", "draft_plan")
    assert main(["task", "list", "--as", world.curator.login]) == 0
    assert capsys.readouterr().out == "открытых задач нет\n"

    args = ["task", "complete", str(instance_id), task["task_id"]]
    assert main([*args, "--as", world.curator.login, "--data", "{}"]) == 2  # not the curator's task
    assert "наставник" in capsys.readouterr().err
    assert main([*args, "--as", world.mentor.login, "--data", "{не json"]) == 2
    assert "неверный JSON" in capsys.readouterr().err
    form = tmp_path / "form.json"
    form.write_text(json.dumps({"plan": "План на полугодие"}, ensure_ascii=False), encoding="utf-8")
    assert main([*args, "--as", world.mentor.login, "--data", f"@{form}"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["version"], [t["element_id"] for t in result["open_tasks"]]) == (2, ["approve_plan"])

    assert main(["task", "list", "--as", world.curator.login]) == 0
    line = capsys.readouterr().out.strip()
    assert line.split("\t")[2:] == ["curator", "approve_plan", "Утвердить план"]
    assert main(["task", "list", "--as", "nobody"]) == 2

    assert main(["timers", "fire", "--now", "2025-01-01T00:00:00Z"]) == 0
    assert capsys.readouterr().out == "таймеры сработали в процессах: 0\n"
    assert main(["timers", "fire", "--now", "2099-01-01"]) == 0
    assert capsys.readouterr().out == "таймеры сработали в процессах: 1\n"
    assert main(["timers", "fire", "--now", "2099-01-01"]) == 0
    assert capsys.readouterr().out == "таймеры сработали в процессах: 0\n"
    assert main(["timers", "fire", "--now", "вчера"]) == 2


@SQLITE
def test_installed_script(upgraded, tmp_path):
    script = ROOT / ".venv" / "bin" / "nastavnik"
    env = {**os.environ, "DATABASE_URL": upgraded}
    run = subprocess.run([str(script), "workflow", "check", str(PLAN), str(tmp_path / "missing.bpmn")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2
    assert run.stdout == f"{PLAN}: в порядке\n"
    assert "missing.bpmn" in run.stderr and "Traceback" not in run.stderr
    run = subprocess.run([str(script), "workflow", "deploy", str(PLAN)], capture_output=True, text=True, env=env,
                         timeout=120)
    assert run.returncode == 0 and run.stdout.startswith("plan_review версия 1 sha256 "), run.stderr
