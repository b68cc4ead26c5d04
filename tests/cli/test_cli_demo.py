"""``nastavnik demo``: the story on a fresh SQLite file; a database with data is refused."""
from __future__ import annotations

from engine.demo.world import PEOPLE


def test_cli_demo_runs_on_a_fresh_sqlite_file(tmp_path, monkeypatch, capsys):
    from cli import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{(tmp_path / 'demo.sqlite3').as_posix()}")
    assert main(["demo", "--quiet"]) == 0
    out = capsys.readouterr().out
    for login, *_ in PEOPLE:
        assert login in out
    assert main(["demo", "--quiet"]) == 2  # the database is not empty any more
    assert "уже есть данные" in capsys.readouterr().err
