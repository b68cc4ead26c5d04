"""Alembic migrations and the models cannot drift: upgrading an empty database yields exactly the
models' schema (alembic's compare_metadata finds nothing), triggers included."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from engine import resources
from engine.db import Base, base, make_engine, migrate

ROOT = Path(__file__).resolve().parents[3]


def _triggers(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            else:
                rows = conn.execute(text(  # pg_trigger: information_schema omits TRUNCATE triggers
                    "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"))
            return {r[0] for r in rows}
    finally:
        engine.dispose()


def test_upgrade_empty_database_matches_models(db_url):
    migrate.upgrade(db_url)
    assert migrate.current_revision(db_url) == migrate.head_revision() == "0035_order_extends_term"
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
    expected = {f"trg_{t}_immutable_{op}" for t in ("audit_entries", "access_log", "orders", "chain_links")
                for op in ("update", "delete")}
    if db_engine.dialect.name == "postgresql":  # TRUNCATE refused there (SQLite has none)
        expected |= {f"trg_{t}_no_truncate" for t in ("audit_entries", "access_log", "orders", "chain_links",
                                                         "chain_heads")}
    assert created == expected
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
            assert conn.exec_driver_sql("PRAGMA recursive_triggers").scalar() == 1  # REPLACE fires DELETE triggers
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
    before_0011 = {name for name in triggers if "chain_links" not in name and "no_truncate" not in name}
    assert _triggers(db_url) == before_0011  # signed orders stay immutable (SQLite did not rebuild the table)
    migrate.upgrade(db_url)
    assert migrate.schema_differences(db_url) == []


def test_0011_chains_the_rows_already_there(db_url, tmp_path, monkeypatch):
    """The audit entries, access-log entries and signed orders of a database at 0010 join their chains on
    upgrade (signed orders without a CMS signature, noted); the database then verifies intact."""
    from engine.db import make_session_factory
    from engine.services.audit.integrity import verify_all

    monkeypatch.setenv("NASTAVNIK_SIGNING_DIR", str(tmp_path / "signing"))
    migrate.upgrade(db_url, "0010_mentor_release")
    body = "ПРИКАЗ № 1\nО назначении наставников"
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO organizations (id, name, kind, regulation, created_at) "
                              "VALUES (1, 'Департамент', 'department', 'tomsk', CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO persons (id, full_name, login, is_active, created_at, updated_at) "
                              "VALUES (1, 'Савенков М. Г.', 'head', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
            for action in ("order.drafted", "order.signed"):
                conn.execute(text("INSERT INTO audit_entries (at, action, object_type, object_id, details) VALUES "
                                  "(CURRENT_TIMESTAMP, :a, 'orders', '1', '{\"n\": 1}')"), {"a": action})
            conn.execute(text("INSERT INTO access_log (at, viewer_id, subject_id, purpose) "
                              "VALUES (CURRENT_TIMESTAMP, 1, 1, 'profile')"))
            conn.execute(text(
                "INSERT INTO orders (id, organization_id, type, year, number, issued_on, subject, body, status, "
                "signer_id, signed_at, document_sha256, created_at, updated_at) VALUES (1, 1, "
                "'appointment_of_mentors', 2024, '1', '2024-02-20', 'О назначении', :body, 'signed', 1, "
                "CURRENT_TIMESTAMP, :sha, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"body": body, "sha": hashlib.sha256(body.encode()).hexdigest()})
        migrate.upgrade(db_url)
        with make_session_factory(engine)() as session:
            report = verify_all(session)
    finally:
        engine.dispose()
    assert report.intact, [str(b) for b in report.breaks]
    assert [(c.chain, c.links) for c in report.chains] == [("audit", 2), ("access", 1), ("orders", 1)]
    assert report.chains[2].notes == ["приказ № 1 (запись № 1): подписан до введения подписи CMS: проверены "
                                      "SHA-256 текста и цепочка"]


def test_0024_writes_the_effects_into_a_version_stored_before_them(db_url):
    """A program_lifecycle version stored before the effects existed gets them, in its BPMN and its stored spec,
    once: the reminder, the stage and the petitions are found by effect again."""
    import json
    import re

    from engine.rules import known_ruleset_ids
    from engine.workflow import deserialize_spec, load_process, serialize_spec
    old = re.sub(r'\s*<spiffworkflow:property name="(effect|kind)" value="[^"]*" />', "",
                 (resources.shipped("workflows") / "program_lifecycle.bpmn").read_text(encoding="utf-8"))
    old = old.replace("<bpmn:extensionElements>\n    <spiffworkflow:properties>\n    </spiffworkflow:properties>\n"
                      "    </bpmn:extensionElements>", "")
    spec = load_process(old.encode("utf-8"), "program_lifecycle.bpmn", known_rulesets=known_ruleset_ids())
    assert spec.elements_with("stage_reminder") == frozenset()
    migrate.upgrade(db_url, "0022_organization_calendar_days")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO process_definitions (process_id, name, version, bpmn_sha256, bpmn, spec_json, deployed_at,"
                " status) VALUES ('program_lifecycle', 'P', 1, 'abc', :bpmn, :spec, CURRENT_TIMESTAMP, 'deployed')"),
                {"bpmn": old, "spec": serialize_spec(spec)})
        migrate.upgrade(db_url)
        with engine.connect() as conn:
            bpmn, spec_json = conn.execute(text("SELECT bpmn, spec_json FROM process_definitions")).one()
    finally:
        engine.dispose()
    migrated = deserialize_spec(spec_json)
    assert migrated.elements_with("stage_reminder") == {"Task_stage_reminder"}
    assert migrated.elements_with("new_mentor_consent") == {"Task_replacement_consent", "Task_release_consent"}
    reparsed = load_process(bpmn.encode("utf-8"), "program_lifecycle.bpmn", known_rulesets=known_ruleset_ids())
    assert reparsed.elements_with("stage") == {"SubProcess_stage"}
    assert 'name="kind" value="program"' in bpmn and json.loads(spec_json)["process_id"] == "program_lifecycle"


def test_0034_makes_the_existing_councils_mentors_councils_numbering_by_year(db_url):
    """A database at 0032 with a council and its sessions: on upgrade the council is the mentors' council (000 §4–5)
    and each session's year is its held_on's; a pedagogical council of the same organization then fits beside it."""
    migrate.upgrade(db_url, "0032_recognition")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO organizations (id, name, kind, regulation, created_at) "
                              "VALUES (1, 'МАОУ СОШ № 5', 'school', 'school', CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO councils (id, organization_id, created_at) VALUES (1, 1, CURRENT_TIMESTAMP)"))
            for number, held_on in ((1, "2025-12-20"), (2, "2026-03-12")):
                conn.execute(text("INSERT INTO council_sessions (council_id, number, held_on, place, status) "
                                  f"VALUES (1, {number}, '{held_on}', '', 'planned')"))
        migrate.upgrade(db_url)
        with engine.begin() as conn:
            assert conn.execute(text("SELECT body FROM councils")).scalars().all() == ["mentors_council"]
            assert conn.execute(text("SELECT number, year FROM council_sessions ORDER BY number")).all() == [
                (1, 2025), (2, 2026)]
            conn.execute(text("INSERT INTO councils (id, organization_id, body, created_at) "
                              "VALUES (2, 1, 'pedagogical_council', CURRENT_TIMESTAMP)"))
    finally:
        engine.dispose()
    assert migrate.schema_differences(db_url) == []
