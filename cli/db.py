"""``nastavnik db upgrade``: bring the database (``DATABASE_URL`` or the SQLite default) to the
latest migration."""
from __future__ import annotations

import argparse

from sqlalchemy.engine import make_url

from engine.db import database_url


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    db = groups.add_parser("db", help="база данных: миграции")
    commands = db.add_subparsers(dest="command", required=True)
    upgrade = commands.add_parser("upgrade", help="применить миграции (alembic upgrade head)")
    upgrade.add_argument("--url", help="адрес базы данных (по умолчанию DATABASE_URL или встроенный SQLite)")
    upgrade.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    from engine.db.migrate import current_revision, upgrade

    url = args.url or database_url()
    upgrade(url)
    shown = make_url(url).render_as_string(hide_password=True)
    print(f"база данных обновлена до версии схемы {current_revision(url)}: {shown}")
    return 0
