"""Databases for the fixtures, made by copying instead of rebuilding (tests/conftest.py uses these).

* An empty database with every table: SQLite copies a file that ``Base.metadata.create_all`` made once per
  test session (worker); PostgreSQL runs ``create_all``'s own DDL, captured once, as one script (no catalog
  look-ups, one round trip). ``tests/test_database_copies.py`` checks both equal ``create_all``'s schema.
* A world (the demo's department and people, pairs, orders…): ``WorldTemplates.copy`` builds it once per
  backend per session into a template (a SQLite file, a PostgreSQL schema) and copies the rows into each
  test's database — same ids, same sequences — and returns what the build function returned. Whatever a
  build leaves outside the database (hooks, caches) the test must set up itself, as it would anyway.
"""
from __future__ import annotations

import copy
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_mock_engine, text
from sqlalchemy.engine import make_url

from engine.bootstrap import bootstrap
from engine.db import Base, make_engine  # the models (and their triggers) with Base

DEFAULT_TEST_PG_URL = "postgresql+psycopg://root@127.0.0.1:5432/test"

def pg_base_url() -> str:
    """The PostgreSQL database the tests make their schemas in (``NASTAVNIK_TEST_PG_URL``)."""
    return os.environ.get("NASTAVNIK_TEST_PG_URL") or DEFAULT_TEST_PG_URL

def schema_url(schema: str) -> str:
    """The test database's URL working in ``schema``."""
    url = make_url(pg_base_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)

def create_schema(admin: Engine, prefix: str) -> str:
    """A new, empty PostgreSQL schema named ``<prefix>_<random>``; its name."""
    schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return schema


def drop_schema(admin: Engine, schema: str) -> None:
    with admin.begin() as conn:
        conn.execute(text("SET LOCAL lock_timeout = '10s'"))
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@contextmanager
def temporary_schema(admin: Engine, prefix: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL schema, dropped (with all it holds) afterwards."""
    schema = create_schema(admin, prefix)
    try:
        yield schema_url(schema)
    finally:
        drop_schema(admin, schema)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"

def sqlite_file(url: str) -> Path:
    return Path(make_url(url).database)

def settle_sqlite(path: Path) -> None:
    """Fold the write-ahead log into the file so that a plain file copy is the whole database
    (every connection of ``make_engine`` switches WAL on again)."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()

def make_sqlite_template(path: Path) -> Path:
    """An empty database with every table at ``path``, the way ``create_all`` makes it."""
    engine = make_engine(f"sqlite:///{path.as_posix()}")
    try:
        Base.metadata.create_all(engine)
    finally:
        engine.dispose()
    settle_sqlite(path)
    return path

def copy_sqlite(template: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)

@lru_cache(maxsize=1)
def postgresql_script() -> str:
    """``Base.metadata.create_all``'s statements for PostgreSQL (tables, indexes, the immutability
    triggers), compiled once. The compiler doubles ``%`` for psycopg's parameter style; psycopg undoes it
    when it executes with parameters, so the script, run without them, undoes it here."""
    statements = []
    mock = create_mock_engine(make_url("postgresql+psycopg://"),
                              lambda statement, *multiparams, **params: statements.append(statement))
    Base.metadata.create_all(mock, checkfirst=False)
    compiled = [str(statement.compile(dialect=mock.dialect)).strip().replace("%%", "%") for statement in statements]
    return ";\n".join(compiled) + ";\n"

def run_script(engine: Engine, script: str) -> None:
    """Several statements in one round trip (psycopg's simple query protocol: no parameters)."""
    with engine.begin() as connection:
        connection.connection.driver_connection.execute(script)

def has_tables(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(text(
            "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema())")).scalar()

def create_tables(engine: Engine) -> None:
    """Every table in the (new, empty) PostgreSQL schema ``engine`` works in."""
    if has_tables(engine):  # someone built here already: let create_all add what is missing
        Base.metadata.create_all(engine)
    else:
        run_script(engine, postgresql_script())

def current_schema(engine: Engine) -> str:
    with engine.connect() as connection:
        return connection.execute(text("SELECT current_schema()")).scalar()

def quoted(*names: str) -> str:
    return ".".join('"' + name.replace('"', '""') + '"' for name in names)

def postgresql_copy_script(source: str, target: str, sequences: list[str]) -> str:
    """Every row of schema ``source`` into the same, empty tables of ``target`` (parents first), and each
    sequence where the source left it."""
    lines = []
    for table in Base.metadata.sorted_tables:
        columns = ", ".join(quoted(column.name) for column in table.columns)
        lines.append(f"INSERT INTO {quoted(target, table.name)} ({columns}) "
                     f"SELECT {columns} FROM {quoted(source, table.name)}")
    for sequence in sequences:
        lines.append(f"SELECT setval('{quoted(target, sequence)}', last_value, is_called) "
                     f"FROM {quoted(source, sequence)}")
    return ";\n".join(lines) + ";\n"

class WorldTemplates:
    """Worlds built once per backend in this test session and copied into each test's database.

    ``sqlite_template`` gives the empty SQLite database to start a template from; ``postgres`` gives the
    URL of a new, empty PostgreSQL schema (and its name) for one."""

    def __init__(self, directory: Path, sqlite_template: Callable[[], Path],
                 postgres: Callable[[], tuple[str, str]]) -> None:
        self.directory = directory
        self.sqlite_template = sqlite_template
        self.postgres = postgres
        self.built: dict[tuple[str, str], tuple[str, list[str], Any]] = {}

    def copy(self, name: str, build: Callable[[Any], Any], db_url: str, db_engine: Engine) -> Any:
        """Make the test's database (``db_url``, empty tables, ``db_engine`` on it) a copy of the world
        ``build(session)`` made in a template; returns what ``build`` returned then."""
        backend = "sqlite" if is_sqlite(db_url) else "postgres"
        if (name, backend) not in self.built:
            self.built[name, backend] = self._build(name, backend, build)
        location, sequences, value = self.built[name, backend]
        value = copy.deepcopy(value)  # a test may change what it was given
        db_engine.dispose()  # no pooled connection keeps the old file or an old snapshot
        if backend == "sqlite":
            copy_sqlite(Path(location), sqlite_file(db_url))
        else:
            run_script(db_engine, postgresql_copy_script(location, current_schema(db_engine), sequences))
        return value

    def _build(self, name: str, backend: str, build: Callable[[Any], Any]) -> tuple[str, list[str], Any]:
        if backend == "sqlite":
            path = self.directory / f"{name}-{uuid.uuid4().hex[:8]}.sqlite3"
            copy_sqlite(self.sqlite_template(), path)
            url, location = f"sqlite:///{path.as_posix()}", str(path)
        else:
            url, location = self.postgres()
        engine = make_engine(url)
        try:
            if backend == "postgres":
                create_tables(engine)
            with bootstrap().session_factory(engine)() as session:  # builds run workflow steps
                value = build(session)
                session.commit()
            sequences = [] if backend == "sqlite" else self._sequences(engine)
        finally:
            engine.dispose()
        if backend == "sqlite":
            settle_sqlite(Path(location))
        return location, sequences, value

    @staticmethod
    def _sequences(engine: Engine) -> list[str]:
        with engine.connect() as connection:
            return list(connection.execute(text(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1")).scalars())
