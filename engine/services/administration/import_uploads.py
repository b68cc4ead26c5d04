"""Staff files awaiting the administrator's confirmation: kept on disk (``instance/imports/<sha256>``), not in
the database, named by the SHA-256 of their bytes (the same file uploaded twice is one upload) and forgotten a day
after they came."""
from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from engine.errors import NotFound

UPLOAD_ID = re.compile(r"^[0-9a-f]{64}$")
KEPT_SECONDS = 24 * 3600


@dataclass(frozen=True)
class UploadStore:
    folder: Path
    kept_seconds: int = KEPT_SECONDS

    def save(self, data: bytes) -> str:
        """Keep ``data`` until confirmed (or a day); returns its upload id (SHA-256, hex)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.expire()
        upload_id = hashlib.sha256(data).hexdigest()
        path = self.folder / upload_id
        partial = self.folder / f".{upload_id}.{os.getpid()}.part"
        partial.write_bytes(data)
        os.replace(partial, path)  # a new day for a file uploaded again
        return upload_id

    def load(self, upload_id: str) -> bytes:
        """The bytes of the upload, else ``NotFound`` (never kept, expired, or not what was stored)."""
        path = self.folder / upload_id if UPLOAD_ID.match(upload_id or "") else None
        gone = NotFound("загруженного файла больше нет (файлы ждут подтверждения сутки): загрузите его снова",
                        where="upload_id")
        if path is None or not path.is_file() or time.time() - path.stat().st_mtime > self.kept_seconds:
            raise gone
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != upload_id:
            raise gone
        return data

    def forget(self, upload_id: str) -> None:
        if UPLOAD_ID.match(upload_id or ""):
            (self.folder / upload_id).unlink(missing_ok=True)

    def expire(self) -> None:
        """Delete the uploads older than a day."""
        if not self.folder.is_dir():
            return
        limit = time.time() - self.kept_seconds
        for path in self.folder.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink(missing_ok=True)
            except OSError:  # another process removed it first
                continue
