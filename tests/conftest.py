"""Database fixtures shared by the whole suite.

Every database fixture is parametrised over two backends, ``sqlite`` and ``postgres`` (the latter
marked ``pytest.mark.postgres``); each test gets a fresh, empty database of its own:

* ``db_backend``  – ``"sqlite"`` or ``"postgres"`` (override per test with
  ``@pytest.mark.parametrize("db_backend", ["sqlite"])`` to run on one backend only);
* ``db_url``      – URL of an EMPTY database (no tables): a new SQLite file under ``tmp_path``, or a
  new PostgreSQL schema ``t_<random>`` selected through ``options=-csearch_path=...`` in the URL,
  dropped with CASCADE afterwards. Use it to test migrations or anything that builds its own engine;
* ``db_engine``   – an Engine on ``db_url`` with every table created (``Base.metadata.create_all``,
  triggers included), disposed afterwards;
* ``db_session_factory`` – ``sessionmaker`` bound to ``db_engine`` (for tests needing 2+ sessions), its
  sessions carrying a domain of their own (``engine.bootstrap.bootstrap()``, as in the app and the CLI);
* ``db_session``  – one Session from it, rolled back and closed afterwards.

PostgreSQL: ``NASTAVNIK_TEST_PG_URL`` (default ``postgresql+psycopg://root@127.0.0.1:5432/test``).
When it is unreachable the postgres tests FAIL, unless ``NASTAVNIK_SKIP_PG=1``, then they skip.
"""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from engine.bootstrap import bootstrap
from engine.db import Base, make_engine

DEFAULT_TEST_PG_URL = "postgresql+psycopg://root@127.0.0.1:5432/test"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def _pg_base_url() -> str:
    return os.environ.get("NASTAVNIK_TEST_PG_URL") or DEFAULT_TEST_PG_URL


@pytest.fixture(scope="session")
def _pg_admin():
    """A session-wide engine on the test PostgreSQL database, or the reason it is unusable."""
    url = _pg_base_url()
    engine = make_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL"
        engine.dispose()
        shown = make_url(url).render_as_string(hide_password=True)
        yield None, f"PostgreSQL at {shown} is unreachable: {type(exc).__name__}: {str(exc).strip()}"
        return
    yield engine, None
    engine.dispose()


def _require_pg(admin):
    engine, problem = admin
    if engine is not None:
        return engine
    if os.environ.get("NASTAVNIK_SKIP_PG") == "1":
        pytest.skip(f"NASTAVNIK_SKIP_PG=1: {problem}")
    pytest.fail(
        f"{problem}. The postgres tests need it (set NASTAVNIK_TEST_PG_URL to point elsewhere, "
        f"or NASTAVNIK_SKIP_PG=1 to skip them).",
        pytrace=False,
    )


@pytest.fixture(params=BACKENDS)
def db_backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(db_backend, tmp_path, request) -> str:
    if db_backend == "sqlite":
        yield f"sqlite:///{(tmp_path / 'test.sqlite3').as_posix()}"
        return
    admin = _require_pg(request.getfixturevalue("_pg_admin"))
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(_pg_base_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '10s'"))
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture
def db_engine(db_url):
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def db_session_factory(db_engine):
    return bootstrap().session_factory(db_engine)


@pytest.fixture
def db_session(db_session_factory):
    session = db_session_factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()
