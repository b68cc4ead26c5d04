"""The backup and the restore, start to end (the archive's layout: engine.backup.archive)."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from engine.backup import postgres, sqlite
from engine.backup.archive import BackupError, Manifest, extract, write_archive
from engine.db import make_engine, migrate
from engine.integrity.keys import CERTIFICATE_FILE, CHAIN_KEY_FILE, signing_dir

KEY_FILES = (CHAIN_KEY_FILE, CERTIFICATE_FILE)
COUNTED = {"organizations": "организаций", "persons": "людей", "programs": "программ", "orders": "приказов",
           "signed_orders": "подписанных приказов", "attachments": "вложений"}


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest


@dataclass
class RestoreResult:
    manifest: Manifest
    revision_after: str | None
    upgraded: bool
    counts: dict[str, int]
    attachments_digest: str
    warnings: list[str] = field(default_factory=list)

    @property
    def same_contents(self) -> bool:
        return self.counts == self.manifest.counts and self.attachments_digest == self.manifest.attachments_digest


def app_version() -> str:
    try:
        return metadata.version("nastavnik")
    except metadata.PackageNotFoundError:
        return "неизвестна"


def _backend(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise BackupError(f"резервное копирование умеет PostgreSQL и SQLite, не {backend}", where="DATABASE_URL")
    return backend


def inventory(engine: Engine) -> tuple[dict[str, int], str]:
    """What the database holds (the counts in ``COUNTED``) and one SHA-256 over every attachment's id and bytes."""
    tables = set(inspect(engine).get_table_names())
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in ("organizations", "persons", "programs", "orders", "attachments"):
            if table in tables:
                counts[table] = int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
        if "orders" in tables:
            counts["signed_orders"] = int(connection.execute(
                text("SELECT count(*) FROM orders WHERE status = 'signed'")).scalar_one())
        if "attachments" in tables:
            rows = connection.execution_options(stream_results=True, yield_per=100).execute(
                text("SELECT id, content FROM attachments ORDER BY id"))
            for attachment_id, content in rows:
                digest.update(f"{attachment_id}:{hashlib.sha256(bytes(content)).hexdigest()}\n".encode())
    return counts, digest.hexdigest()


def holds_data(engine: Engine) -> list[str]:
    """The tables (but ``alembic_version``) having at least one row."""
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.connect() as connection:
        return [t for t in tables if connection.execute(text(f'SELECT 1 FROM "{t}" LIMIT 1')).first() is not None]


def _key_hashes(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
            for name in KEY_FILES if (folder / name).is_file()}


def make_backup(url: str, target: Path, *, with_keys: bool = False) -> BackupResult:
    backend = _backend(url)
    engine = make_engine(url)
    try:
        revision = migrate.current_revision(url)
        if revision is None:
            raise BackupError("база данных не размечена миграциями: выполните «nastavnik db upgrade»")
        counts, attachments_digest = inventory(engine)
        with tempfile.TemporaryDirectory(prefix="nastavnik-backup-") as scratch:
            work = Path(scratch)
            manifest = Manifest(app_version=app_version(), created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                                backend=backend, alembic_revision=revision, database_file="",
                                counts=counts, attachments_digest=attachments_digest,
                                signing_keys=_key_hashes(signing_dir()), keys_included=with_keys)
            if backend == "postgresql":
                manifest.database_file = "database.dump"
                manifest.schema = postgres.dump(engine, url, work / manifest.database_file)
                manifest.server_version = postgres.server_version(engine)[1]
            else:
                manifest.database_file = "database.sqlite3"
                sqlite.dump(url, work / manifest.database_file)
            members = {manifest.database_file: work / manifest.database_file}
            if with_keys:
                if not manifest.signing_keys:
                    raise BackupError("ключей подписи в папке нет: нечего сохранять", where=str(signing_dir()))
                members |= {f"signing/{name}": signing_dir() / name for name in manifest.signing_keys}
            write_archive(target, manifest, members)
        return BackupResult(target, manifest)
    finally:
        engine.dispose()


def _check_revision(manifest: Manifest) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    try:
        known = manifest.alembic_revision is not None and script.get_revision(manifest.alembic_revision) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupError(f"резервная копия сделана версией «Наставника» {manifest.app_version} со схемой базы "
                          f"{manifest.alembic_revision}, которой эта версия не знает: восстановите её той же версией "
                          f"программы или новее")


def _keys(manifest: Manifest, extracted: Path, force: bool) -> tuple[list[str], dict[str, bytes]]:
    """Warnings about the server's signing keys, and the key files to install (after the database)."""
    current = _key_hashes(signing_dir())
    if not manifest.keys_included:
        if manifest.signing_keys and current != manifest.signing_keys:
            return [f"ключи подписи сервера ({signing_dir()}) не те, с которыми сделана копия: печати журналов и "
                    f"подписи приказов не пройдут проверку, пока вы не вернёте прежние ключи в эту папку"], {}
        return [], {}
    install = {name: (extracted / "signing" / name).read_bytes() for name in manifest.signing_keys}
    differing = [name for name in install if name in current and current[name] != manifest.signing_keys[name]]
    if differing and not force:
        raise BackupError(f"в папке ключей подписи уже другие ключи ({', '.join(differing)}): с ними подписи "
                          f"из копии не проверятся; --force заменит их ключами из копии", where=str(signing_dir()))
    return [], {name: data for name, data in install.items() if current.get(name) != manifest.signing_keys[name]}


def _install_keys(files: dict[str, bytes]) -> None:
    folder = signing_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name, data in files.items():
        aside = folder / f".{name}.restored"
        descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(aside, folder / name)


def restore_backup(url: str, source: Path, *, force: bool = False) -> RestoreResult:
    backend = _backend(url)
    with tempfile.TemporaryDirectory(prefix="nastavnik-restore-") as scratch:
        work = Path(scratch)
        manifest = extract(source, work)
        if manifest.backend != backend:
            raise BackupError(f"копия сделана с базы {manifest.backend}, а восстанавливается в {backend}: "
                              f"восстановите в базу того же вида", where=str(source))
        _check_revision(manifest)
        warnings, keys = _keys(manifest, work, force)
        engine = make_engine(url)
        try:
            if backend == "postgresql":
                schema = postgres.current_schema(engine)
                if schema != manifest.schema:
                    raise BackupError(f"копия сделана со схемы «{manifest.schema}», а подключение выбирает схему "
                                      f"«{schema}»: восстановите в схему с тем же именем (search_path)")
            occupied = holds_data(engine)
            if occupied and not force:
                raise BackupError(f"в базе уже есть данные (таблицы: {', '.join(occupied[:5])}"
                                  f"{' …' if len(occupied) > 5 else ''}): восстановление заменит их; "
                                  f"укажите --force, если это и нужно")
            if backend == "postgresql":
                postgres.clear_schema(engine, schema)
                postgres.restore(engine, url, work / manifest.database_file, schema)
            else:
                engine.dispose()
                sqlite.restore(work / manifest.database_file, url)
        finally:
            engine.dispose()
    _install_keys(keys)
    upgraded = manifest.alembic_revision != migrate.head_revision()
    if upgraded:
        migrate.upgrade(url)
    engine = make_engine(url)
    try:
        counts, digest = inventory(engine)
    finally:
        engine.dispose()
    return RestoreResult(manifest, migrate.current_revision(url), upgraded, counts, digest, warnings)
