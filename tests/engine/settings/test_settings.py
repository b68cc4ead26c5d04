"""An administrator configures «Наставник» by environment variables or one TOML file; a wrong value is named in
Russian before anything starts, and the documented table is the one the code reads."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine import settings
from engine.errors import NastavnikError
from engine.settings.table import SETTINGS

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "configuration.md"
READERS = ("engine", "web", "cli", "worker")
ENV_READ = re.compile(r"os\.environ\.get\((?!\"PYTHONPATH\")|os\.environ\[|os\.getenv\(")  # a child's PYTHONPATH is no setting
OWNER = ROOT / "engine" / "settings"


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch):
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)


def test_the_documented_table_is_the_table_the_code_reads():
    table = DOC.read_text(encoding="utf-8").split("## Таблица настроек")[1].split("\n## ")[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, re.M))
    assert documented == {setting.name for setting in SETTINGS}


def test_only_the_settings_module_reads_the_environment():
    readers = [path.relative_to(ROOT).as_posix() for folder in READERS for path in (ROOT / folder).rglob("*.py")
               if not path.is_relative_to(OWNER) and ENV_READ.search(path.read_text(encoding="utf-8"))]
    assert readers == [], "read settings with engine.settings.value(NAME) (table: engine/settings/table.py)"


def test_the_file_gives_settings_and_the_environment_wins(tmp_path, monkeypatch):
    config = tmp_path / "nastavnik.toml"
    config.write_text('job_batch = 7\nNASTAVNIK_TIMEZONE = "Asia/Yakutsk"\nembedded_jobs = false\n', encoding="utf-8")
    monkeypatch.setenv("NASTAVNIK_CONFIG", str(config))
    assert (settings.value("NASTAVNIK_JOB_BATCH"), settings.value("NASTAVNIK_TIMEZONE")) == ("7", "Asia/Yakutsk")
    assert settings.flag("NASTAVNIK_EMBEDDED_JOBS", True) is False
    monkeypatch.setenv("NASTAVNIK_TIMEZONE", "Asia/Tomsk")
    assert settings.value("NASTAVNIK_TIMEZONE") == "Asia/Tomsk"
    assert settings.problems() == []


def test_an_unknown_key_of_the_file_is_named(tmp_path, monkeypatch):
    config = tmp_path / "nastavnik.toml"
    config.write_text('secret_kye = "x"\n', encoding="utf-8")
    monkeypatch.setenv("NASTAVNIK_CONFIG", str(config))
    with pytest.raises(NastavnikError, match="неизвестная настройка «secret_kye»"):
        settings.value("NASTAVNIK_SECRET_KEY")
    assert any("secret_kye" in problem for problem in settings.problems())


def test_a_missing_file_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("NASTAVNIK_CONFIG", str(tmp_path / "нет.toml"))
    assert settings.problems()[0].startswith("NASTAVNIK_CONFIG: файл настроек")


@pytest.mark.parametrize(("name", "raw", "said"), [
    ("NASTAVNIK_JOB_BATCH", "много", "NASTAVNIK_JOB_BATCH: «много» — ожидается целое число"),
    ("NASTAVNIK_JOB_BATCH", "501", "NASTAVNIK_JOB_BATCH: «501» — не число заданий от 1 до 500"),
    ("NASTAVNIK_TICK_SECONDS", "0", "NASTAVNIK_TICK_SECONDS: 0 — слишком мало (не меньше 0.1 с)"),
    ("NASTAVNIK_ENV", "prod", "NASTAVNIK_ENV: «prod» — допустимо: development, production"),
    ("NASTAVNIK_SESSION_COOKIE_SECURE", "может", "NASTAVNIK_SESSION_COOKIE_SECURE: «может» — ожидается 1 или 0"),
    ("NASTAVNIK_BROKER_URL", "amqp://q", "NASTAVNIK_BROKER_URL: «amqp://q» — не адрес Redis"),
    ("DATABASE_URL", "mysql://u:пароль@h/db", "DATABASE_URL: адрес — не адрес базы данных"),
    ("NASTAVNIK_SIGNING_KEY", "abcd", "NASTAVNIK_SIGNING_KEY: короче 32 байт"),
])
def test_a_wrong_value_is_named_in_russian(monkeypatch, name, raw, said):
    monkeypatch.setenv(name, raw)
    found = settings.problems()
    assert len(found) == 1 and found[0].startswith(said), found
    assert "пароль" not in found[0]  # a secret is never repeated
    with pytest.raises(NastavnikError, match=name):
        settings.require_valid()


def test_production_requires_a_long_secret_key(monkeypatch):
    monkeypatch.setenv("NASTAVNIK_ENV", "production")
    assert settings.is_production()
    assert [p.split(":")[0] for p in settings.problems()] == ["NASTAVNIK_SECRET_KEY"]
    monkeypatch.setenv("NASTAVNIK_SECRET_KEY", "короткий")
    assert "короче 32 символов" in settings.problems()[0]
    monkeypatch.setenv("NASTAVNIK_SECRET_KEY", "k" * 64)
    assert settings.problems() == []


def test_the_effective_settings_mask_secrets(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nastavnik:тайна@db/nastavnik")
    monkeypatch.setenv("NASTAVNIK_SMTP_PASSWORD", "тайна")
    shown = {row.name: (row.shown, row.source) for row in settings.effective()}
    assert shown["DATABASE_URL"] == ("postgresql://nastavnik:***@db/nastavnik", "окружение")
    assert shown["NASTAVNIK_SMTP_PASSWORD"][0].startswith("***")
    assert shown["NASTAVNIK_JOB_BATCH"] == ("50", "по умолчанию")
    assert "тайна" not in repr(shown)


def test_the_data_folder_holds_the_default_database(monkeypatch, tmp_path):
    from engine.db import database_url

    monkeypatch.setenv("NASTAVNIK_INSTANCE_DIR", str(tmp_path / "data"))
    assert settings.instance_directory() == tmp_path / "data"
    assert database_url() == f"sqlite:///{tmp_path / 'data' / 'nastavnik.sqlite3'}"
