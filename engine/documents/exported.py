"""A file an export made (XLSX, PDF, DOCX): its bytes, the Russian name it is saved under, its MIME type and how
many rows it holds — what the web layer hands to the browser and the API alike."""
from __future__ import annotations

from dataclasses import dataclass

from engine.documents.xlsx import MIMETYPE


@dataclass(frozen=True)
class ExportFile:
    data: bytes
    file_name: str
    mimetype: str = MIMETYPE
    rows: int = 0
