"""``nastavnik init``: a department starts without the demo — the database migrated, its organization and first
administrator made from flags, a file or questions; a second run on the same database is refused (exit 2)."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from cli import main
from cli.context import session_scope
from engine.db.models import Organization
from engine.services.people.accounts import authenticate

FLAGS = ["init", "--organization-name", "Департамент образования администрации Города Томска",
         "--short-name", "ДО г. Томска", "--kind", "department", "--regulation", "tomsk",
         "--admin-name", "Администраторова Анна Петровна", "--admin-login", "anna", "--admin-email", "anna@example.ru"]


def _stdin(monkeypatch, text: str, terminal: bool = False) -> None:
    stream = io.StringIO(text)
    stream.isatty = lambda: terminal  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", stream)


def test_init_from_flags_then_refused_on_a_non_empty_database(db_url, monkeypatch, capsys):
    url = db_url  # an empty database of each backend (SQLite file, PostgreSQL schema): init migrates it
    monkeypatch.setenv("DATABASE_URL", url)
    _stdin(monkeypatch, "Надёжный-пароль-1\n")
    assert main(FLAGS) == 0
    out = capsys.readouterr().out
    assert "логин «anna»" in out and "/admin" in out and "nastavnik serve" in out
    assert "Описания процессов (workflows/*.bpmn) загружены: " in out
    with session_scope(url) as session:
        assert authenticate(session, "anna", "Надёжный-пароль-1") is not None
    _stdin(monkeypatch, "Надёжный-пароль-1\n")
    assert main([*FLAGS[:-4], "--admin-login", "anna2"]) == 2
    assert "уже есть организации" in capsys.readouterr().err
    with session_scope(url) as session:
        assert session.scalar(select(func.count()).select_from(Organization)) == 1


def test_init_from_a_file_names_every_problem(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{(tmp_path / 'real.sqlite3').as_posix()}"
    source = tmp_path / "start.yaml"
    source.write_text("organization:\n  name: МАОУ Кунарская СОШ\n  kind: kindergarten\n  regulation: school\n"
                      "  inn: 1234567890\nadministrator:\n  full_name: Иванов Иван Иванович\n  login: ivanov\n",
                      encoding="utf-8")
    _stdin(monkeypatch, "пароль-школы\n")
    assert main(["init", "--from", str(source), "--url", url]) == 2
    err = capsys.readouterr().err
    assert "«Вид организации»" in err and "«ИНН»: неверное контрольное число" in err
    _stdin(monkeypatch, "пароль-школы\n")
    assert main(["init", "--from", str(source), "--url", url, "--kind", "school", "--inn", "7707083893"]) == 0
    assert "МАОУ Кунарская СОШ" in capsys.readouterr().out


def test_missing_values_and_a_short_password_exit_2(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{(tmp_path / 'real.sqlite3').as_posix()}"
    _stdin(monkeypatch, "Надёжный-пароль-1\n")
    assert main(["init", "--url", url, "--kind", "department"]) == 2
    assert "--organization-name" in capsys.readouterr().err
    _stdin(monkeypatch, "short\n")
    assert main([*FLAGS, "--url", url]) == 2
    assert "не короче 8" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("organization: [\n", encoding="utf-8")
    assert main(["init", "--from", str(bad), "--url", url]) == 2
    assert "строка" in capsys.readouterr().err


def test_interactive_questions(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{(tmp_path / 'real.sqlite3').as_posix()}"
    _stdin(monkeypatch, "", terminal=True)
    answers = iter(["Управление образования г. Якутска", "", "department", "yakutsk", "Петров Пётр Петрович",
                    "petrov", ""])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: "Надёжный-пароль-1")
    assert main(["init", "--url", url]) == 0
    assert "Управление образования г. Якутска" in capsys.readouterr().out


def test_init_a_college_on_the_002_pack(tmp_path, monkeypatch, capsys):
    """A college starts on its own regulation (002): `nastavnik init --kind college --regulation college`."""
    url = f"sqlite:///{(tmp_path / 'college.sqlite3').as_posix()}"
    monkeypatch.setenv("DATABASE_URL", url)
    _stdin(monkeypatch, "Надёжный-пароль-1\n")
    assert main(["init", "--organization-name", "КГБПОУ «Бийский техникум лесного хозяйства»", "--short-name", "БТЛХ",
                 "--kind", "college", "--regulation", "college", "--admin-name", "Админова Анна Петровна",
                 "--admin-login", "anna", "--admin-email", "anna@example.ru"]) == 0
    assert "положение: Система наставничества педагогических работников техникума" in capsys.readouterr().out
    with session_scope(url) as session:
        college = session.scalars(select(Organization)).one()
        assert (college.kind, college.regulation) == ("college", "college")


def test_init_a_school_on_the_000_pack(tmp_path, monkeypatch, capsys):
    """A school of the management system of mentorship (000) starts on its own pack:
    `nastavnik init --kind school --regulation vsosh`."""
    url = f"sqlite:///{(tmp_path / 'vsosh.sqlite3').as_posix()}"
    monkeypatch.setenv("DATABASE_URL", url)
    _stdin(monkeypatch, "Надёжный-пароль-1\n")
    assert main(["init", "--organization-name", "МКОУ ВСОШ № 8 г. Томска", "--short-name", "ВСОШ № 8",
                 "--kind", "school", "--regulation", "vsosh", "--admin-name", "Админова Анна Петровна",
                 "--admin-login", "anna", "--admin-email", "anna@example.ru"]) == 0
    assert "положение: Управленческая система наставничества (МКОУ ВСОШ № 8 г. Томска)" in capsys.readouterr().out
    with session_scope(url) as session:
        school = session.scalars(select(Organization)).one()
        assert (school.kind, school.regulation) == ("school", "vsosh")
