"""Run Alembic programmatically, independent of the current directory."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from engine import resources
from engine.db.base import Base, database_url, make_engine
from engine.errors import NastavnikError

MIGRATIONS_DIR: Path = resources.shipped("migrations")


class MigrationError(NastavnikError):
    """A migration left the database inconsistent (it was rolled back)."""


def alembic_config() -> Config:
    """An Alembic config pointing at ``migrations/`` by absolute path; no ini file, no logging setup."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database at ``url`` (default: ``database_url()``) to ``revision``."""
    _migrate(url, lambda cfg: command.upgrade(cfg, revision))


def downgrade(url: str | None, revision: str) -> None:
    """Downgrade the database at ``url`` to ``revision`` (the upgrade tests build old schemas with it)."""
    _migrate(url, lambda cfg: command.downgrade(cfg, revision))


def _migrate(url: str | None, run: Callable[[Config], None]) -> None:
    """Run ``run`` in one transaction. SQLite: with foreign keys off, as SQLite asks for table rebuilds (a batch
    migration copies a table, drops it and renames the copy: with rows referring to it the drop would fail), then
    ``PRAGMA foreign_key_check`` must find nothing or the migration is rolled back."""
    engine = make_engine(url if url is not None else database_url())
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:  # outside a transaction, else SQLite ignores it
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            try:
                with connection.begin():
                    cfg = alembic_config()
                    cfg.attributes["connection"] = connection
                    run(cfg)
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() if sqlite else []
                    if broken:
                        raise MigrationError(f"после миграции ссылки нарушены: {len(broken)} строк, первая в "
                                             f"таблице {broken[0][0]} (строка {broken[0][1]}) → {broken[0][2]}")
            finally:
                if sqlite:
                    connection.rollback()
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()
    finally:
        engine.dispose()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(url: str | None = None) -> str | None:
    engine = make_engine(url if url is not None else database_url())
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def schema_differences(url: str | None = None) -> list:
    """What Alembic autogenerate sees between the database at ``url`` and the models (empty when
    the migrations and the models agree)."""
    from alembic.autogenerate import compare_metadata

    engine = make_engine(url if url is not None else database_url())
    try:
        with engine.connect() as connection:
            ctx = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
