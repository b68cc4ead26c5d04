"""Declarative base, database URL, engine and session factory.

``DATABASE_URL`` (a setting, ``engine.settings``) selects the database; the default is the embedded SQLite file
``nastavnik.sqlite3`` in the data folder (the checkout's ``instance/``). Relative SQLite paths are resolved against
the checkout (in an installation from the wheel: the current directory at start, ``engine.resources``). ``postgresql://`` URLs use psycopg 3.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import CheckConstraint, Engine, MetaData, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from engine import resources, settings
from engine.db.errors import InvalidValue

DATABASE_FILE = "nastavnik.sqlite3"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# --- vocabularies -----------------------------------------------------------------------------
# Closed sets the code branches on (statuses, roles, regulation) are VARCHAR + a CHECK constraint
# built from the Python enum (changing them needs a migration). Open vocabularies that grow with
# the regulations (mentee category, form of mentorship, order type, workflow kind) are VARCHAR
# validated in Python only (``validate_vocab``), so adding a value is a code change, not a migration.


def check_in(column: str, values: Iterable[str | enum.Enum], name: str) -> CheckConstraint:
    """``CHECK (column IN (...))`` named ``ck_<table>_<name>``."""
    listed = ", ".join("'" + str(getattr(v, "value", v)).replace("'", "''") + "'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


def identifier(value: object, *, field: str) -> str:
    """``value`` if it is an identifier of a regulation pack's list (latin lower case, digits, _)."""
    raw = getattr(value, "value", value)
    if not isinstance(raw, str) or not raw or not raw[0].isalpha() or not raw.replace("_", "").isalnum() \
            or not raw.isascii() or raw != raw.lower():
        raise InvalidValue(f"недопустимый идентификатор {raw!r}: строчные латинские буквы, цифры и _", where=field)
    return raw


def validate_vocab(vocab: type[enum.Enum], value, *, field: str, nullable: bool = False):
    """Return ``value`` as a plain string if it belongs to ``vocab``; raise ``InvalidValue`` otherwise."""
    if value is None:
        if nullable:
            return None
        raise InvalidValue(f"значение обязательно; допустимо: {', '.join(v.value for v in vocab)}", where=field)
    raw = getattr(value, "value", value)
    allowed = {v.value for v in vocab}
    if raw not in allowed:
        raise InvalidValue(
            f"недопустимое значение {raw!r}; допустимо: {', '.join(sorted(allowed))}", where=field
        )
    return raw


# --- URLs, engines, sessions ------------------------------------------------------------------


def resolve_url(url: str | URL) -> str:
    """Normalise a database URL: relative SQLite paths become absolute (under the repository root),
    ``postgresql://``/``postgres://`` get the psycopg 3 driver."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database)
            if not path.is_absolute():
                parsed = parsed.set(database=str(resources.base_directory() / path))
    return parsed.render_as_string(hide_password=False)


def database_url() -> str:
    """The configured database URL: the setting ``DATABASE_URL`` or the embedded SQLite default, absolute."""
    return resolve_url(settings.value("DATABASE_URL") or default_database_url())


def default_database_url() -> str:
    """The SQLite file ``nastavnik.sqlite3`` in the data folder (``engine.settings.instance_directory``)."""
    return f"sqlite:///{settings.instance_directory() / DATABASE_FILE}"


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        # INSERT OR REPLACE deletes the row it replaces: with recursive triggers that delete fires the DELETE
        # triggers, so REPLACE cannot overwrite an audit entry or a signed order (engine.db.ddl)
        cursor.execute("PRAGMA recursive_triggers=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")  # ignored (stays 'memory') for in-memory databases
    finally:
        cursor.close()


POOL_SIZE, POOL_OVERFLOW = 10, 30


def make_engine(url: str | URL | None = None, **kwargs) -> Engine:
    """An engine for ``url`` (default: ``database_url()``). SQLite gets foreign keys and WAL on
    every connection, and the directory of its file is created if missing. The pool holds up to
    ``POOL_SIZE + POOL_OVERFLOW`` connections, more than the server's threads (``nastavnik serve``: 32):
    a request whose step waits for a script worker keeps its connection, and a login must still get one."""
    resolved = make_url(resolve_url(url if url is not None else database_url()))
    in_memory = resolved.get_backend_name() == "sqlite" and (
        resolved.database in (None, "", ":memory:") or str(resolved.database).startswith("file:"))
    if "poolclass" not in kwargs and not in_memory:  # a queue pool (SQLite in memory has its own kind)
        kwargs.setdefault("pool_size", POOL_SIZE)
        kwargs.setdefault("max_overflow", POOL_OVERFLOW)
    if resolved.get_backend_name() == "sqlite":
        database = resolved.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(resolved, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(resolved, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``. ``expire_on_commit=False``: objects stay readable after commit
    (one session per request/command; reload when you need fresh data)."""
    return sessionmaker(bind=engine, expire_on_commit=False)
