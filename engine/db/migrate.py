"""Run Alembic programmatically, independent of the current directory."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from engine import resources
from engine.db.base import Base, database_url, make_engine

MIGRATIONS_DIR: Path = resources.shipped("migrations")


def alembic_config() -> Config:
    """An Alembic config pointing at ``migrations/`` by absolute path; no ini file, no logging setup."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database at ``url`` (default: ``database_url()``) to ``revision``."""
    engine = make_engine(url if url is not None else database_url())
    try:
        with engine.begin() as connection:
            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
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
