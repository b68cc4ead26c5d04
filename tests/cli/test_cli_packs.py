"""``nastavnik packs``: check folders (every problem by file and field, exit 1), deploy a folder kept in git as the
pack's new version, list the versions, bind an organization to a pack."""
from __future__ import annotations

import shutil

import pytest

from cli import main
from engine.regulations import PACKS_DIRECTORY, forget_installed, roadmap
from engine.rules import default_registry

OLD_EVENT = "Диагностика затруднений в деятельности вновь назначенных руководителей ОУ."
NEW_EVENT = "Диагностика затруднений вновь назначенного руководителя (анкета департамента)"


@pytest.fixture(autouse=True)
def shipped_afterwards():
    yield
    forget_installed()
    for path in sorted(PACKS_DIRECTORY.glob("*/rulesets/*.yaml")):
        assert default_registry().install(path.read_bytes(), str(path)) == []


def test_check_passes_on_the_shipped_packs(capsys):
    assert main(["packs", "check"]) == 0
    assert capsys.readouterr().out.strip() == "положения в порядке"


def test_check_prints_every_problem_and_exits_1(capsys, tmp_path):
    folder = tmp_path / "tomsk"
    shutil.copytree(PACKS_DIRECTORY / "tomsk", folder)
    manifest = folder / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("end: day_before", "end: someday")
                        .replace("kind: extension, decided_by: curator", "kind: extension, decided_by: janitor"),
                        encoding="utf-8")
    (folder / "orders" / "pair_formation.j2").write_bytes(b"\xff\xfe")
    assert main(["packs", "check", str(folder)]) == 1
    captured = capsys.readouterr()
    assert [line.split(": ", 2)[:2] for line in captured.out.splitlines()] == [
        ["tomsk/pack.yaml", "mentor_term.end"], ["tomsk/pack.yaml", "petitions[0].decided_by"],
        ["tomsk/orders/pair_formation.j2", "файл не в кодировке UTF-8"], ["tomsk/pack.yaml", "orders[2].kind"]]
    assert "найдено проблем: 4" in captured.err  # the unreadable template also leaves its kind without one


def test_check_reports_deep_nesting_and_huge_numbers_with_their_line_not_a_crash(capsys, tmp_path):
    folder = tmp_path / "tomsk"
    shutil.copytree(PACKS_DIRECTORY / "tomsk", folder)
    manifest = folder / "pack.yaml"
    text = manifest.read_text(encoding="utf-8").rstrip("\n")
    manifest.write_text(text + "\nnotes: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert main(["packs", "check", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "внутренняя ошибка" not in captured.err and "Traceback" not in captured.err
    line = text.count("\n") + 2
    assert f"tomsk/pack.yaml: файл не читается как YAML: строка {line}, столбец 27: слишком глубокая вложенность" \
        in captured.out
    manifest.write_text(text + "\n", encoding="utf-8")
    roadmap_file = sorted((folder / "roadmaps").glob("*.yaml"))[0]
    roadmap_file.write_text(roadmap_file.read_text(encoding="utf-8").rstrip("\n") + "\nnotes: " + "7" * 5000 + "\n",
                            encoding="utf-8")
    assert main(["packs", "check", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "внутренняя ошибка" not in captured.err and "Traceback" not in captured.err
    assert f"tomsk/roadmaps/{roadmap_file.name}" in captured.out and "больше 30 цифр" in captured.out


def test_check_of_a_missing_folder_exits_2(capsys):
    assert main(["packs", "check", "no/such/folder"]) == 2
    assert "нет такой папки" in capsys.readouterr().err


def test_deploy_a_folder_list_and_bind(capsys, tmp_path, monkeypatch):
    from cli.context import session_scope
    from engine.db.migrate import upgrade
    from tests import factories as f

    url = f"sqlite:///{(tmp_path / 'packs.sqlite3').as_posix()}"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    with session_scope(url) as session:
        school = f.make_organization(session, parent=f.make_department(session), regulation="tomsk",
                                     short_name="СОШ № 8")
        session.commit()
        school_id = school.id
    folder = tmp_path / "git" / "tomsk"
    shutil.copytree(PACKS_DIRECTORY / "tomsk", folder)
    road = folder / "roadmaps" / "tomsk_new_head.yaml"
    road.write_text(road.read_text(encoding="utf-8").replace(OLD_EVENT, NEW_EVENT), encoding="utf-8")

    assert main(["packs", "deploy", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("положение tomsk: развёрнута версия 2 (sha256 ")
    assert roadmap("tomsk_new_head").stages[0].events[0].name == NEW_EVENT
    assert main(["packs", "deploy", str(folder)]) == 0
    assert capsys.readouterr().out == "положение tomsk: действующая версия уже содержит эти файлы\n"

    forget_installed()  # the next command is a new process: it runs the database's deployed version
    assert main(["packs", "list"]) == 0
    listing = capsys.readouterr().out
    assert "tomsk: Наставничество руководителей" in listing
    assert "действует версия 2; черновики: нет; организации: ДО-" in listing and "СОШ № 8" in listing
    assert roadmap("tomsk_new_head").stages[0].events[0].name == NEW_EVENT

    assert main(["packs", "bind", str(school_id), "yakutsk"]) == 0
    assert capsys.readouterr().out == "СОШ № 8: положение yakutsk\n"
    assert main(["packs", "bind", str(school_id), "moscow"]) == 2
    assert "нет положения (пакета) «moscow»; есть: college, school, tomsk, vsosh, yakutsk" in capsys.readouterr().err

    road.write_text("id: tomsk_new_head\n", encoding="utf-8")
    assert main(["packs", "deploy", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "tomsk/roadmaps/tomsk_new_head.yaml" in err and "ничего не изменено" in err
