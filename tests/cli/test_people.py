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
