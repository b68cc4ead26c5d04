"""The administrator checks the settings before starting: ``nastavnik config check``, ``nastavnik --version``,
and every command refuses a wrong setting by its name."""
from __future__ import annotations

import pytest

from cli import main
from engine.settings.table import SETTINGS


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch):
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)


def test_config_check_prints_the_settings_in_effect(capsys, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_SECRET_KEY", "s" * 64)
    assert main(["config", "check"]) == 0
    out = capsys.readouterr().out
    assert "NASTAVNIK_SECRET_KEY" in out and "s" * 64 not in out and "*** (64 симв.)  (окружение)" in out
    assert "ошибок в настройках нет" in out


def test_config_check_exits_1_naming_the_problem(capsys, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_ENV", "production")
    monkeypatch.setenv("NASTAVNIK_TRUSTED_PROXIES", "два")
    assert main(["config", "check"]) == 1
    out = capsys.readouterr().out
    assert "NASTAVNIK_TRUSTED_PROXIES: «два» — ожидается целое число" in out
    assert "NASTAVNIK_SECRET_KEY: не задан, а NASTAVNIK_ENV=production" in out


def test_production_serve_refuses_to_start_without_a_secret_key(capsys, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_ENV", "production")
    assert main(["serve", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "неверные настройки" in err and "NASTAVNIK_SECRET_KEY" in err


def test_the_app_refuses_production_without_a_secret_key(monkeypatch):
    from engine.errors import NastavnikError
    from web import create_app

    monkeypatch.setenv("NASTAVNIK_ENV", "production")
    with pytest.raises(NastavnikError, match="NASTAVNIK_SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_version(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("«Наставник» ")
