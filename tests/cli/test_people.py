"""``nastavnik person end-sessions|password|deactivate``: the administrator ends a person's web sessions in every
browser; a new password and deactivation end them too, and deactivation stops the person's API tokens."""
from __future__ import annotations

import io
from datetime import timedelta

from cli import main
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.web.conftest import login, make_test_app, seed_database
from web.db import database


def test_the_administrator_ends_sessions_sets_a_password_and_deactivates(db_url, db_engine, db_session_factory,
                                                                          monkeypatch, capsys):
    with db_session_factory() as session:
        seed = seed_database(session)
    monkeypatch.setenv("DATABASE_URL", db_url)
    app = make_test_app(db_url)
    try:
        browsers = {name: app.test_client() for name in ("curator", "head", "mentor")}
        for name, browser in browsers.items():
            assert login(browser, name).status_code == 302
        with database(app).session_factory() as session:
            token = api_tokens.issue(session, SYSTEM, seed.people["head"].id, "журнал", timedelta(days=1)).token
            session.commit()
        bearer = {"Authorization": f"Bearer {token}"}
        assert browsers["head"].get("/api/v1/programs", headers=bearer).status_code == 200

        assert main(["person", "end-sessions", "curator"]) == 0
        assert "завершены во всех браузерах" in capsys.readouterr().out
        assert browsers["curator"].get("/inbox").status_code == 302
        assert browsers["head"].get("/orders").status_code == 200  # only that person's sessions

        monkeypatch.setattr("sys.stdin", io.StringIO("новый-пароль-2026\n"))
        assert main(["person", "password", "mentor"]) == 0
        assert browsers["mentor"].get("/my").status_code == 302
        assert login(app.test_client(), "mentor", "новый-пароль-2026").status_code == 302

        assert main(["person", "deactivate", "head"]) == 0
        assert "больше не действуют" in capsys.readouterr().out
        assert browsers["head"].get("/orders").status_code == 302
        assert browsers["head"].get("/api/v1/programs", headers=bearer).status_code == 401
        assert login(app.test_client(), "head").status_code == 422

        assert main(["person", "deactivate", "no_such_login"]) == 2
        assert "нет пользователя с логином «no_such_login»" in capsys.readouterr().err
        monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
        assert main(["person", "password", "curator"]) == 2
        assert "не короче 8 символов" in capsys.readouterr().err
    finally:
        database(app).dispose()


def test_the_operator_exports_and_anonymizes_a_person_from_the_command_line(db_url, db_engine, db_session_factory,
                                                                           monkeypatch, capsys, tmp_path):
    import json

    with db_session_factory() as session:
        seed = seed_database(session)
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "export.json"
    assert main(["person", "export", "inactive", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["person"]["full_name"] == "Уволен Уволенович"
    assert main(["person", "export", "mentor"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["person"]["login"] == "mentor"

    assert main(["person", "anonymize", "mentor", "--reason", "заявление"]) == 2
    assert "сначала отключите учётную запись" in capsys.readouterr().err
    assert main(["person", "anonymize", "inactive", "--reason", "заявление от 01.12.2026"]) == 0
    person_id = seed.people["inactive"].id
    assert f"«Обезличенный участник №{person_id}», логин anonymized-{person_id}" in capsys.readouterr().out
    assert main(["person", "export", "inactive"]) == 2  # the old login is gone
    assert "нет пользователя с логином «inactive»" in capsys.readouterr().err
    assert main(["person", "export", f"anonymized-{person_id}"]) == 0
    assert "Уволен" not in capsys.readouterr().out
