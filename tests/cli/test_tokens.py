"""``nastavnik token issue|list|revoke``."""
from __future__ import annotations

import json

import pytest

from cli import main
from engine.db import make_engine, make_session_factory
from engine.errors import TokenRejected
from engine.services.people import api_tokens
from tests.engine.services.conftest import make_world


@pytest.fixture
def world_url(db_url, db_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url)
    with make_session_factory(db_engine)() as session:
        world = make_world(session)
    return db_url, world


def _authenticate(url: str, token: str):
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return api_tokens.authenticate(session, token)
    finally:
        engine.dispose()


def test_issue_list_revoke(world_url, capsys):
    url, world = world_url
    login = world.curator.login
    assert main(["token", "issue", login, "--name", "Электронный журнал", "--days", "10"]) == 0
    out = capsys.readouterr().out.splitlines()
    token = out[-1]
    assert token.startswith("nst_") and "больше он показан не будет" in out[-2]
    assert "Электронный журнал" in out[0] and "действует до" in out[0]
    assert _authenticate(url, token).login == login

    assert main(["token", "list", login, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["active"]) for r in rows] == [("Электронный журнал", True)]
    assert token not in json.dumps(rows) and token.startswith(rows[0]["prefix"])

    assert main(["token", "revoke", str(rows[0]["id"])]) == 0
    assert "отозван" in capsys.readouterr().out
    with pytest.raises(TokenRejected):
        _authenticate(url, token)
    assert main(["token", "list", login]) == 0
    assert "\tотозван\t" in capsys.readouterr().out


def test_bad_input(world_url, capsys):
    _, world = world_url
    assert main(["token", "issue", "nobody-such", "--name", "x"]) == 2
    assert "нет активного пользователя" in capsys.readouterr().err
    assert main(["token", "issue", world.curator.login, "--name", "x", "--days", "0"]) == 2
    assert "--days" in capsys.readouterr().err
    assert main(["token", "revoke", "999999"]) == 2
    assert "нет токена" in capsys.readouterr().err
    assert main(["token", "list", world.curator.login]) == 0
    assert "нет токенов" in capsys.readouterr().out
