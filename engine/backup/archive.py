"""The backup archive: a gzipped tar of ``manifest.json`` and the files it lists, each with its SHA-256.

Written aside and renamed into place (a half-written archive never takes the name), mode 0600 (it holds
personal data). Read by extracting only the members the manifest names, each checked against its SHA-256.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import NastavnikError

FORMAT = "nastavnik-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class BackupError(NastavnikError):
    """The backup or the restore cannot be done (the message says why, in Russian)."""


@dataclass
class Manifest:
    """What the archive holds (``manifest.json``)."""

    app_version: str
    created_at: str  # ISO 8601, UTC
    backend: str  # "postgresql" | "sqlite"
    alembic_revision: str | None
    database_file: str
    schema: str | None = None  # PostgreSQL: the schema dumped (restored under the same name)
    server_version: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    attachments_digest: str = ""
    signing_keys: dict[str, str] = field(default_factory=dict)  # file name -> SHA-256 of the server's key files
    keys_included: bool = False
    files: dict[str, str] = field(default_factory=dict)  # member -> SHA-256
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes, *, where: str) -> Manifest:
        try:
            raw: Any = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BackupError(f"описание резервной копии ({MANIFEST}) повреждено: {error}", where=where) from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise BackupError("это не резервная копия «Наставника»", where=where)
        version = raw.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise BackupError(f"формат резервной копии {version} новее, чем понимает эта версия программы "
                              f"({FORMAT_VERSION}): установите версию, которая её сделала, или новее", where=where)
        known = {name for name in cls.__dataclass_fields__}
        try:
            return cls(**{key: value for key, value in raw.items() if key in known})
        except TypeError as error:
            raise BackupError(f"в описании резервной копии не хватает сведений: {error}", where=where) from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(target: Path, manifest: Manifest, members: dict[str, Path]) -> None:
    """Write ``manifest`` (with the members' SHA-256 filled in) and ``members`` to ``target``."""
    manifest.files = {name: sha256_of(path) for name, path in members.items()}
    target = target.resolve()
    if target.is_dir():
        raise BackupError("это папка: укажите имя файла резервной копии", where=str(target))
    if not target.parent.is_dir():
        raise BackupError("папки для резервной копии нет", where=str(target.parent))
    aside = target.with_name(f".{target.name}.partial")
    try:
        descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream, tarfile.open(fileobj=stream, mode="w:gz") as tar:
            data = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(os.path.getmtime(aside))
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False, filter=_private)
        os.replace(aside, target)
    except OSError as error:
        aside.unlink(missing_ok=True)
        raise BackupError(f"не удалось записать резервную копию ({error.strerror})", where=str(target)) from None


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _open(source: Path) -> tarfile.TarFile:
    if not source.is_file():
        raise BackupError("файла резервной копии нет", where=str(source))
    try:
        return tarfile.open(source, mode="r:gz")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"файл не читается как резервная копия: {error}", where=str(source)) from None


def read_manifest(source: Path) -> Manifest:
    """The archive's manifest (nothing extracted)."""
    with _open(source) as tar:
        return _manifest(tar, source)


def _manifest(tar: tarfile.TarFile, source: Path) -> Manifest:
    try:
        stream = tar.extractfile(MANIFEST)
    except (KeyError, tarfile.TarError, EOFError):
        stream = None
    if stream is None:
        raise BackupError(f"в архиве нет описания {MANIFEST}: это не резервная копия «Наставника»", where=str(source))
    return Manifest.from_json(stream.read(), where=str(source))


def extract(source: Path, into: Path) -> Manifest:
    """Extract the members the manifest lists into ``into``, each checked against its SHA-256."""
    with _open(source) as tar:
        manifest = _manifest(tar, source)
        for name, expected in manifest.files.items():
            if Path(name).is_absolute() or ".." in Path(name).parts:
                raise BackupError(f"недопустимое имя в архиве: {name}", where=str(source))
            try:
                stream = tar.extractfile(name)
            except (KeyError, tarfile.TarError, EOFError):
                stream = None
            if stream is None:
                raise BackupError(f"в архиве нет файла {name}, указанного в описании", where=str(source))
            path = into / name
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            digest = hashlib.sha256()
            try:
                with path.open("wb") as out:
                    for chunk in iter(lambda s=stream: s.read(1 << 20), b""):  # type: ignore[misc]
                        digest.update(chunk)
                        out.write(chunk)
            except (tarfile.TarError, EOFError, OSError) as error:
                raise BackupError(f"файл {name} в архиве повреждён: {error}", where=str(source)) from None
            if digest.hexdigest() != expected:
                raise BackupError(f"файл {name} повреждён: его SHA-256 не совпадает с описанием", where=str(source))
        return manifest
