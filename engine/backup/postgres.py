"""PostgreSQL: ``pg_dump -Fc`` of the schema the URL selects (``public`` unless its ``search_path`` says
otherwise), ``pg_restore`` into a schema of the same name.

The client tools must be installed and not older than the server (an older ``pg_dump`` cannot read a newer
server; ``pg_restore`` must read the archive the newer one wrote): checked first, refused in Russian. The
password travels in ``PGPASSWORD``, never on the command line. Owners and grants are not restored
(``--no-owner --no-privileges``): the restoring role owns what it restores.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote, urlencode

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from engine.backup.archive import BackupError

TOOL_DIRS = ("/usr/bin", "/usr/local/bin")
TIMEOUT_SECONDS = 6 * 3600


def libpq_uri(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI for ``url`` (without the password) and the environment carrying the password."""
    parsed = make_url(url)
    user = quote(parsed.username or "", safe="")
    host = parsed.host or ""
    netloc = f"{user + '@' if user else ''}{host}{':' + str(parsed.port) if parsed.port else ''}"
    query = urlencode([(key, value) for key, values in parsed.query.items()
                       for value in ((values,) if isinstance(values, str) else values)])
    uri = f"postgresql://{netloc}/{quote(parsed.database or '', safe='')}" + (f"?{query}" if query else "")
    env = {**os.environ, **({"PGPASSWORD": parsed.password} if parsed.password else {})}
    return uri, env


def tool(name: str) -> str:
    """The path of ``pg_dump``/``pg_restore`` (PATH first), or a Russian refusal naming the package."""
    found = shutil.which(name) or next((str(Path(d) / name) for d in TOOL_DIRS if (Path(d) / name).is_file()), None)
    if found is None:
        raise BackupError(f"не найдена программа {name}: установите клиент PostgreSQL той же версии, что сервер, "
                          f"или новее (Debian/Ubuntu: пакет postgresql-client)", where=name)
    return found


def tool_major(path: str) -> int:
    result = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False)
    match = re.search(r"(\d+)(?:\.\d+)?", result.stdout)
    if result.returncode != 0 or match is None:
        raise BackupError(f"не удалось узнать версию {path}: {result.stderr.strip() or result.stdout.strip()}",
                          where=path)
    return int(match.group(1))


def server_version(engine: Engine) -> tuple[int, str]:
    with engine.connect() as connection:
        number = int(connection.execute(text("SHOW server_version_num")).scalar_one())
        shown = str(connection.execute(text("SHOW server_version")).scalar_one()).split()[0]
    return number // 10000, shown


def checked_tool(name: str, engine: Engine) -> str:
    path = tool(name)
    client, (server, shown) = tool_major(path), server_version(engine)
    if client < server:
        raise BackupError(f"{name} версии {client} старше сервера PostgreSQL {shown}: установите клиент "
                          f"PostgreSQL {server} или новее (пакет postgresql-client-{server})", where=path)
    return path


def current_schema(engine: Engine) -> str:
    """The schema the connection works in: ``current_schema()``, or (when it does not exist yet, e.g. a restore
    into a dropped schema) the first one ``search_path`` names."""
    with engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar()
        path = str(connection.execute(text("SHOW search_path")).scalar() or "")
    named = [part.strip().strip('"') for part in path.split(",") if part.strip() and part.strip() != '"$user"']
    if not schema and not named:
        raise BackupError("у подключения нет схемы (search_path пуст): укажите схему базы")
    return str(schema or named[0])


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT_SECONDS,
                                check=False)
    except subprocess.TimeoutExpired:
        raise BackupError(f"{what}: не завершилось за {TIMEOUT_SECONDS // 3600} ч", where=command[0]) from None
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        raise BackupError(f"{what} не удалось: {' / '.join(lines[:3]) or f'код {result.returncode}'}",
                          where=command[0])
    return result.stdout


def dump(engine: Engine, url: str, target: Path) -> str:
    """Dump the URL's schema into ``target`` (custom format); the schema's name."""
    pg_dump = checked_tool("pg_dump", engine)
    schema = current_schema(engine)
    uri, env = libpq_uri(url)
    _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--schema={_quoted(schema)}",
          f"--file={target}", f"--dbname={uri}"], env, "pg_dump (выгрузка базы)")
    return schema


def _quoted(schema: str) -> str:
    return '"' + schema.replace('"', '""') + '"'


def clear_schema(engine: Engine, schema: str) -> None:
    """Drop the schema with everything in it and create it empty (the restore fills it)."""
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {_quoted(schema)} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {_quoted(schema)}"))


def restore(engine: Engine, url: str, source: Path, schema: str) -> None:
    """``pg_restore`` the dump into ``schema`` (existing and empty), in one transaction, stopping at the first
    error; the dump's own ``CREATE SCHEMA`` is left out (the schema is there already)."""
    pg_restore = checked_tool("pg_restore", engine)
    uri, env = libpq_uri(url)
    listing = _run([pg_restore, "--list", str(source)], env, "pg_restore (чтение выгрузки)")
    kept = [line for line in listing.splitlines() if not re.match(r"^\d+;\s+\d+\s+\d+\s+SCHEMA\s+-\s", line)]
    list_file = source.with_suffix(".list")
    list_file.write_text("\n".join(kept) + "\n", encoding="utf-8")
    _run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--use-list={list_file}", f"--dbname={uri}", str(source)], env, "pg_restore (восстановление базы)")
