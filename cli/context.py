"""A database session for one command, carrying the domain ``bootstrap()`` builds (the hooks that attach
orders, decisions and reports to workflow steps, the rule registry, the clock) with the rule file versions
this database deployed running (as in the web app), so a step taken from the command line decides and
records exactly as the same step taken in the browser (the regulation packs' deployed versions run too)."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from engine.errors import NastavnikError
from engine.regulations import PackError


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    from engine.bootstrap import bootstrap
    from engine.db import make_engine

    engine = make_engine(url)
    session = bootstrap().session_factory(engine)()
    try:
        _run_deployed_rules(session)
        yield session
    except (OperationalError, ProgrammingError) as error:
        raise NastavnikError(f"база данных недоступна или не обновлена (выполните «nastavnik db upgrade»): "
                             f"{str(error.orig).strip().splitlines()[0] if error.orig else error}") from None
    finally:
        session.close()
        engine.dispose()


def _run_deployed_rules(session: Session) -> None:
    """The rule files, then the regulation packs (a pack version takes its rule files' deployed texts)."""
    from engine.services.methodology import pack_running, rule_deployment

    try:
        rule_deployment.activate_deployed(session)
        session.commit()
        try:
            pack_running.activate_deployed(session)
        except PackError as error:  # the shipped pack serves; the command may be the one that mends it
            print(f"nastavnik: развёрнутая версия положения не загружена: {error}", file=sys.stderr)
        session.commit()
    except (OperationalError, ProgrammingError):  # no tables yet (before «nastavnik db upgrade»)
        session.rollback()
