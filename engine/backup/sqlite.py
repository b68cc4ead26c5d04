"""SQLite: the online backup API (``sqlite3.Connection.backup``) both ways — a consistent copy page by page
while the application keeps running (WAL included), never a copy of the file."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from engine.backup.archive import BackupError

BUSY_TIMEOUT_SECONDS = 30


def database_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("резервная копия делается с базы SQLite в файле, не в памяти", where="DATABASE_URL")
    return Path(database)


def dump(url: str, target: Path) -> None:
    source = database_file(url)
    if not source.is_file():
        raise BackupError("файла базы данных SQLite нет", where=str(source))
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)) as src, \
                closing(sqlite3.connect(target)) as dst:
            src.backup(dst)
    except sqlite3.Error as error:
        raise BackupError(f"не удалось скопировать базу SQLite: {error}", where=str(source)) from None


def restore(source: Path, url: str) -> None:
    """Replace the database at ``url`` with the backup's pages (the file is made if missing)."""
    target = database_file(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src, \
                closing(sqlite3.connect(target, timeout=BUSY_TIMEOUT_SECONDS)) as dst:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("база SQLite в резервной копии повреждена (integrity_check)", where=str(source))
            src.backup(dst)
    except sqlite3.Error as error:
        raise BackupError(f"не удалось восстановить базу SQLite: {error}", where=str(target)) from None
