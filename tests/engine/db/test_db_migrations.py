"""Alembic migrations and the models cannot drift: upgrading an empty database yields exactly the
models' schema (alembic's compare_metadata finds nothing), triggers included."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from engine.db import Base, base, make_engine, migrate

ROOT = Path(__file__).resolve().parents[3]


def _triggers(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            else:
                rows = conn.execute(text(
                    "SELECT DISTINCT trigger_name FROM information_schema.triggers "
                    "WHERE trigger_schema = current_schema()"))
            return {r[0] for r in rows}
    finally:
        engine.dispose()


def test_upgrade_empty_database_matches_models(db_url):
    migrate.upgrade(db_url)
    assert migrate.current_revision(db_url) == migrate.head_revision() == "0011_sessions_revocation"
    assert migrate.schema_differences(db_url) == []
    engine = make_engine(db_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    migrate.upgrade(db_url)  # idempotent


def test_migration_installs_the_same_triggers_as_create_all(db_url, db_engine):
    created = _triggers(db_url)  # db_engine ran create_all on db_url
    assert created == {f"trg_{t}_immutable_{op}" for t in ("audit_entries", "access_log", "orders")
                       for op in ("update", "delete")}
    with db_engine.begin() as conn:
        Base.metadata.drop_all(conn)
    migrate.upgrade(db_url)
    assert _triggers(db_url) == created


def test_comparison_does_notice_drift(db_url):
    """Guard against a parity test that can never fail."""
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_orders_org_status"))
    finally:
        engine.dispose()
    diffs = migrate.schema_differences(db_url)
    assert [d[0] for d in diffs] == ["add_index"]


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_downgrade_removes_everything(db_url):
    from alembic import command

    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            cfg = migrate.alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()
    assert _triggers(db_url) == set()


def test_alembic_cli_works_from_any_directory(tmp_path):
    url = f"sqlite:///{(tmp_path / 'cli.sqlite3').as_posix()}"
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(ROOT / "alembic.ini"), "upgrade", "head"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert migrate.current_revision(url) == migrate.head_revision()


def test_database_url_resolution(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert base.database_url() == f"sqlite:///{ROOT / 'instance' / 'nastavnik.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/other.db")
    assert base.database_url() == f"sqlite:///{ROOT / 'var' / 'other.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h:5432/db")
    assert base.database_url() == "postgresql+psycopg://u@h:5432/db"
    assert base.resolve_url("sqlite://") == "sqlite://"
    assert base.resolve_url(f"sqlite:///{tmp_path}/x.db") == f"sqlite:///{tmp_path}/x.db"


def test_sqlite_engine_enables_foreign_keys_and_wal(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/new/dir/x.sqlite3")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_0002_keeps_existing_process_definitions_deployed(db_url):
    migrate.upgrade(db_url, "0001")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO process_definitions (process_id, name, version, bpmn_sha256, bpmn, spec_json, deployed_at)"
                " VALUES ('p', 'P', 1, 'abc', '<x/>', '{}', CURRENT_TIMESTAMP)"))
        migrate.upgrade(db_url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM process_definitions")).scalar_one() == "deployed"
    finally:
        engine.dispose()
    assert migrate.schema_differences(db_url) == []


def test_0004_adds_and_removes_the_order_template_columns_keeping_the_triggers(db_url):
    migrate.upgrade(db_url)
    triggers = _triggers(db_url)
    engine = make_engine(db_url)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("orders")}
        assert {"regulation", "regulation_version", "template_sha256"} <= columns
        from alembic import command

        with engine.begin() as conn:
            cfg = migrate.alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")
        engine.dispose()
        assert not {"regulation", "regulation_version", "template_sha256"} & {
            c["name"] for c in inspect(engine).get_columns("orders")}
    finally:
        engine.dispose()
    assert _triggers(db_url) == triggers  # signed orders stay immutable (SQLite did not rebuild the table)
    migrate.upgrade(db_url)
    assert migrate.schema_differences(db_url) == []
