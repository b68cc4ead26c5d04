"""Upgrading a department's database from every released schema (issue 17, item 7; docs/upgrade.md says what
"released" means: every Alembic revision on main). The database is filled by the demo at the current schema and
migrated down to the old revision — the old release's shape with the old release's kind of data in it — then
``upgrade`` brings it to the current schema: nothing lost, nothing drifted. SQLite for every revision (a batch
migration rebuilds tables that rows refer to: it once failed there from any revision before 0013); PostgreSQL
for the longest way, from the first revision."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from cli import main
from engine.db import make_engine, migrate

REVISIONS = [r.revision for r in ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()][::-1]
KEPT = ("organizations", "persons", "programs", "orders", "roadmap_events", "audit_entries")  # since 0001


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in KEPT}
    finally:
        engine.dispose()


def _demo(url: str, signing: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.setenv("NASTAVNIK_SIGNING_DIR", str(signing))
        assert main(["demo", "--quiet"]) == 0


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """The demo at the current schema, made once (SQLite)."""
    folder = tmp_path_factory.mktemp("upgrade-demo")
    _demo(f"sqlite:///{folder / 'demo.sqlite3'}", folder / "signing")
    return folder / "demo.sqlite3"


def test_every_revision_is_listed_once_from_the_first():
    assert REVISIONS[0] == "0001" and REVISIONS[-1] == migrate.head_revision() and len(set(REVISIONS)) == len(REVISIONS)


@pytest.mark.parametrize("db_backend", ["sqlite"])
@pytest.mark.parametrize("revision", REVISIONS)
def test_a_filled_database_of_every_released_schema_upgrades_to_the_current_one(revision, demo_file, db_url):
    target = Path(db_url[len("sqlite:///"):])
    with closing(sqlite3.connect(demo_file)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    before = _counts(db_url)
    assert before["programs"] > 0 and before["orders"] > 0
    migrate.downgrade(db_url, revision)
    assert migrate.current_revision(db_url) == revision
    migrate.upgrade(db_url)
    assert migrate.current_revision(db_url) == migrate.head_revision()
    assert migrate.schema_differences(db_url) == []
    assert _counts(db_url) == before


@pytest.mark.parametrize("db_backend", ["postgres"])
def test_postgresql_upgrades_a_filled_database_from_the_first_schema(db_url, tmp_path):
    _demo(db_url, tmp_path / "signing")
    before = _counts(db_url)
    migrate.downgrade(db_url, REVISIONS[0])
    migrate.upgrade(db_url)
    assert migrate.current_revision(db_url) == migrate.head_revision()
    assert migrate.schema_differences(db_url) == []
    assert _counts(db_url) == before


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_an_upgrade_leaving_a_broken_reference_is_rolled_back_with_a_russian_message(demo_file, db_url):
    target = Path(db_url[len("sqlite:///"):])
    with closing(sqlite3.connect(demo_file)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA foreign_keys=OFF")
        copy.execute("UPDATE programs SET group_id = 99999 WHERE id = (SELECT min(id) FROM programs)")
        copy.commit()
    with pytest.raises(migrate.MigrationError, match="после миграции ссылки нарушены: 1 строк, первая в таблице "
                                                     "programs"):
        migrate.upgrade(db_url)
    assert migrate.current_revision(db_url) == REVISIONS[-1]
