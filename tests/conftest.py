"""Database fixtures shared by the whole suite.

Every database fixture is parametrised over two backends, ``sqlite`` and ``postgres`` (the latter
marked ``pytest.mark.postgres``); each test gets a fresh, empty database of its own:

* ``db_backend``  – ``"sqlite"`` or ``"postgres"`` (override per test with
  ``@pytest.mark.parametrize("db_backend", ["sqlite"])`` to run on one backend only);
* ``db_url``      – URL of an EMPTY database (no tables): a new SQLite file under ``tmp_path``, or a
  new PostgreSQL schema ``t_<random>`` selected through ``options=-csearch_path=...`` in the URL,
  dropped with CASCADE afterwards. Use it to test migrations or anything that builds its own engine;
* ``db_engine``   – an Engine on ``db_url`` with every table created (``Base.metadata.create_all``'s
  schema, triggers included: SQLite copies a file it made once per session, PostgreSQL runs its DDL as one
  script, tests/database_copies.py), disposed afterwards;
* ``db_session_factory`` – ``sessionmaker`` bound to ``db_engine`` (for tests needing 2+ sessions), its
  sessions carrying a domain of their own (``engine.bootstrap.bootstrap()``, as in the app and the CLI);
* ``db_session``  – one Session from it, rolled back and closed afterwards;
* ``demo_worlds`` – (session) worlds built once per backend and copied into a test's database.

Every test gets one tier marker at collection (``pure``, ``database``, ``scenario``, ``browser``; the rule
is in tests/tiers.py): ``pytest -m pure`` runs one tier.

PostgreSQL: ``NASTAVNIK_TEST_PG_URL`` (default ``postgresql+psycopg://root@127.0.0.1:5432/test``).
When it is unreachable the postgres tests FAIL, unless ``NASTAVNIK_SKIP_PG=1``, then they skip.
"""
from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from engine.bootstrap import bootstrap
from engine.db import Base, make_engine
from tests.database_copies import (
    WorldTemplates,
    copy_sqlite,
    create_schema,
    create_tables,
    drop_schema,
    is_sqlite,
    make_sqlite_template,
    pg_base_url,
    schema_url,
    sqlite_file,
    temporary_schema,
)
from tests.tiers import TIERS, heaviest_files_first, tier_of

# The monitoring views are counted when asked in the tests (each test sees its own changes at once); the tests of
# the kept figures (tests/engine/services/monitoring/test_snapshots.py) turn keeping on for their domain.
os.environ.setdefault("NASTAVNIK_MONITORING_REFRESH_MINUTES", "0")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


TESTS = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects: the tiers are there to select by
def pytest_collection_modifyitems(config, items):
    """Every test gets one tier marker (tests/tiers.py says the rule), unless it names one itself; under
    pytest-xdist the files run heaviest first."""
    for item in items:
        if any(item.get_closest_marker(tier) for tier in TIERS):
            continue
        path = Path(item.path).resolve()
        relative = PurePosixPath(path.relative_to(TESTS).as_posix() if path.is_relative_to(TESTS) else path.as_posix())
        tier = tier_of(relative, getattr(item, "fixturenames", ()), getattr(item, "function", None))
        item.add_marker(getattr(pytest.mark, tier))
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: every worker sorts the same way
        items[:] = heaviest_files_first(
            items, lambda item: next(t for t in TIERS if item.get_closest_marker(t)),
            lambda item: item.get_closest_marker("slow") is not None)


@pytest.fixture(scope="session")
def _pg_admin():
    """A session-wide engine on the test PostgreSQL database, or the reason it is unusable."""
    url = pg_base_url()
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
    with temporary_schema(_require_pg(request.getfixturevalue("_pg_admin")), "t") as url:
        yield url


@pytest.fixture(scope="session")
def _empty_sqlite(tmp_path_factory) -> Path:
    """A SQLite file with every table and no rows, made once per session (worker) by ``create_all``."""
    return make_sqlite_template(tmp_path_factory.mktemp("schema") / "empty.sqlite3")


@pytest.fixture
def db_engine(db_url, request):
    copied = is_sqlite(db_url) and not sqlite_file(db_url).exists()
    if copied:
        copy_sqlite(request.getfixturevalue("_empty_sqlite"), sqlite_file(db_url))
    engine = make_engine(db_url)
    try:
        if is_sqlite(db_url) and not copied:
            Base.metadata.create_all(engine)
        elif not is_sqlite(db_url):
            create_tables(engine)
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


@pytest.fixture(scope="session")
def demo_worlds(tmp_path_factory, request):
    """Worlds built once per backend per session and copied into a test's database:
    ``demo_worlds.copy("name", build, db_url, db_engine)`` (tests/database_copies.py). A fixture on a
    world the demo builds depends on this one, which makes its tests ``scenario`` (tests/tiers.py)."""
    schemas: list[str] = []
    admins = []

    def new_schema() -> tuple[str, str]:
        admin = _require_pg(request.getfixturevalue("_pg_admin"))
        admins.append(admin)
        schemas.append(create_schema(admin, "w"))
        return schema_url(schemas[-1]), schemas[-1]

    yield WorldTemplates(tmp_path_factory.mktemp("worlds"), lambda: request.getfixturevalue("_empty_sqlite"),
                         new_schema)
    for schema in schemas:
        drop_schema(admins[0], schema)
