"""Files attached to a program's work: evidence for a roadmap event, annexes of a stage report.

Limits: a size per file and a number of files per event (or report), both ``AttachmentLimits``; the
type must be on the allow-list by its extension AND by its content (the bytes are sniffed: a renamed
executable or a PDF called ``.png`` is refused with a message naming the file). The bytes are stored
in the database with their SHA-256. Downloading is for the program's participants and the staff of
its organization; each download by someone else than the uploader is logged (152-ФЗ).
"""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.db.models import Attachment, Program, RoadmapEventRecord, StageReport, log_access, record_audit
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.people.actor import STAFF_ROLES, Actor

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class AttachmentLimits:
    max_bytes: int = 10 * MEGABYTE
    max_files: int = 5  # per roadmap event, per stage report


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str


ALLOWED_TYPES: dict[str, FileType] = {
    "pdf": FileType("PDF", "application/pdf"),
    "docx": FileType("Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": FileType("Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": FileType("OpenDocument (ODT)", "application/vnd.oasis.opendocument.text"),
    "jpg": FileType("JPEG", "image/jpeg"),
    "jpeg": FileType("JPEG", "image/jpeg"),
    "png": FileType("PNG", "image/png"),
    "txt": FileType("текст (TXT)", "text/plain; charset=utf-8"),
}
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
                     b"\xca\xfe\xba\xbe", b"#!")


@dataclass(frozen=True)
class Upload:
    """A file as it came from the form: the name the person's computer gave it and its bytes."""
    file_name: str
    content: bytes


@dataclass(frozen=True)
class CheckedFile:
    file_name: str  # made safe
    extension: str
    content_type: str
    content: bytes
    sha256: str


def allowed_extensions() -> str:
    return ", ".join(sorted({ext for ext in ALLOWED_TYPES if ext != "jpeg"}))


def safe_file_name(name: str) -> str:
    """The last path component without control characters, slashes or leading dots; at most 255 chars."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name).strip().lstrip(".").strip()
    if not name:
        name = "файл"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 255 - len(ext) - 1] + dot + ext) if dot and len(ext) < 16 else name[:255]
    return name


def _zip_names(content: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _odt_mimetype(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return None
            return archive.read(info).decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, RuntimeError):
        return None


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f" for ch in text)
    return False


def content_matches(extension: str, content: bytes) -> bool:
    """Whether the bytes are what the extension says (sniffed from the file's signature and structure)."""
    if extension == "pdf":
        return content.lstrip(b"\r\n\t ")[:5] == b"%PDF-"
    if extension == "png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return content.startswith(b"\xff\xd8\xff")
    if extension in ("docx", "xlsx"):
        if not content.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(content) or []
        part = "word/" if extension == "docx" else "xl/"
        return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)
    if extension == "odt":
        return content.startswith(b"PK\x03\x04") and _odt_mimetype(content) == ALLOWED_TYPES["odt"].content_type
    if extension == "txt":
        return _is_text(content)
    return False


def check_upload(upload: Upload, limits: AttachmentLimits) -> CheckedFile:
    """The file if its size, extension and content are acceptable; else a Russian message naming it."""
    name = safe_file_name(upload.file_name)
    stem, dot, extension = name.rpartition(".")
    extension = extension.lower() if dot and stem else ""
    if not upload.content:
        raise NastavnikError(f"файл «{name}» пустой", where="files")
    if len(upload.content) > limits.max_bytes:
        raise NastavnikError(f"файл «{name}» слишком большой: {len(upload.content) / MEGABYTE:.1f} МБ, "
                             f"допускается до {limits.max_bytes / MEGABYTE:g} МБ", where="files")
    if upload.content.startswith(_EXECUTABLE_MAGIC):
        raise NastavnikError(f"файл «{name}» — исполняемая программа или сценарий; такие файлы не принимаются",
                             where="files")
    if extension not in ALLOWED_TYPES:
        shown = f"«.{extension}»" if extension else "без расширения"
        raise NastavnikError(f"файл «{name}»: тип {shown} не принимается; допустимы: {allowed_extensions()}",
                             where="files")
    if not content_matches(extension, upload.content):
        raise NastavnikError(f"файл «{name}»: содержимое не похоже на {ALLOWED_TYPES[extension].label}, "
                             "хотя так сказано в расширении; файл не принят", where="files")
    return CheckedFile(name, extension, ALLOWED_TYPES[extension].content_type, upload.content,
                       hashlib.sha256(upload.content).hexdigest())


def check_uploads(uploads: list[Upload], limits: AttachmentLimits, *, already: int = 0) -> list[CheckedFile]:
    """Every file checked, and their number with the ``already`` attached ones within the limit."""
    uploads = [u for u in uploads if u.file_name or u.content]
    if already + len(uploads) > limits.max_files:
        raise NastavnikError(f"можно приложить не больше {limits.max_files} файлов "
                             f"(уже приложено: {already}, выбрано: {len(uploads)})", where="files")
    return [check_upload(upload, limits) for upload in uploads]


def _require_mentor(actor: Actor, program: Program) -> None:
    if actor.person_id is None or actor.person_id != program.group.mentor_id:
        raise PermissionDenied(f"{actor.full_name or actor.login}: прикладывать файлы к работе программы "
                               f"№{program.id} может её наставник")


def count_for(session: Session, *, event: RoadmapEventRecord | None = None,
              report: StageReport | None = None) -> int:
    if event is not None:
        condition = Attachment.event_record_id == event.id
    elif report is not None:
        condition = Attachment.stage_report_id == report.id
    else:
        raise ValueError("count the files of an event or of a stage report")
    return session.scalar(select(func.count()).select_from(Attachment).where(condition)) or 0


def attach(session: Session, actor: Actor, program: Program, files: list[CheckedFile], *,
           event: RoadmapEventRecord | None = None, report: StageReport | None = None,
           limits: AttachmentLimits = AttachmentLimits()) -> list[Attachment]:
    """Store checked files for one event or one stage report of the program (its mentor only)."""
    _require_mentor(actor, program)
    owner = event if event is not None else report
    if owner is None or (event is not None and report is not None):
        raise ValueError("attach to exactly one of event / report")
    if owner.program_id != program.id:
        raise NotFound(f"запись не относится к программе №{program.id}")
    already = count_for(session, event=event, report=report)
    if already + len(files) > limits.max_files:
        raise NastavnikError(f"можно приложить не больше {limits.max_files} файлов "
                             f"(уже приложено: {already}, выбрано: {len(files)})", where="files")
    rows = []
    for checked in files:
        row = Attachment(organization_id=program.group.organization_id, program_id=program.id,
                         event_record_id=event.id if event is not None else None,
                         stage_report_id=report.id if report is not None else None,
                         uploaded_by_id=actor.person_id, file_name=checked.file_name,
                         content_type=checked.content_type, size_bytes=len(checked.content),
                         sha256=checked.sha256, content=checked.content)
        session.add(row)
        rows.append(row)
    session.flush()
    for row in rows:
        record_audit(session, "attachment.uploaded", actor=actor.person_id, obj=program,
                     organization=program.group.organization_id,
                     details={"attachment_id": row.id, "file_name": row.file_name, "sha256": row.sha256,
                              "event": event.number if event is not None else None,
                              "stage_report_id": report.id if report is not None else None})
    return rows


def may_see(actor: Actor, program: Program) -> bool:
    """The program's mentor and mentees, and the staff of its organization."""
    if actor.person_id is None:
        return False
    group = program.group
    if actor.person_id == group.mentor_id or actor.person_id in [m.person_id for m in group.members]:
        return True
    return any(actor.has_role(group.organization_id, role) for role in STAFF_ROLES)


def for_download(session: Session, actor: Actor, attachment_id: int) -> Attachment:
    """The attachment with its bytes, if the actor may see its program; the download is logged."""
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFound(f"нет вложения №{attachment_id}")
    if not may_see(actor, row.program):
        raise PermissionDenied(f"{actor.full_name or actor.login}: вложение №{attachment_id} вам не доступно")
    for person_id in row.program.group.participant_ids():
        if person_id != actor.person_id:
            log_access(session, person_id, f"вложение №{row.id} программы №{row.program_id}",
                       viewer=actor.person_id, fields=["attachment"])
    return row


def listed(session: Session, program: Program) -> dict[tuple[str, int], list[Attachment]]:
    """The program's attachments (without bytes) by ("event", id) / ("report", id)."""
    rows = session.scalars(select(Attachment).where(Attachment.program_id == program.id).order_by(Attachment.id))
    found: dict[tuple[str, int], list[Attachment]] = {}
    for row in rows:
        if row.event_record_id is not None:
            found.setdefault(("event", row.event_record_id), []).append(row)
        if row.stage_report_id is not None:
            found.setdefault(("report", row.stage_report_id), []).append(row)
    return found
