"""Attachments: type allow-list by extension and sniffed content, size and count limits, safe names,
stored bytes with SHA-256, downloads only for participants and staff of the program's organization."""
from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from sqlalchemy import select

from engine.db.models import AccessLogEntry, Attachment
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.mentorship import attachments as files
from engine.services.people.actor import load_actor
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
LIMITS = files.AttachmentLimits(max_bytes=1024, max_files=2)


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content"), [
    ("справка.pdf", PDF), ("фото.PNG", PNG), ("фото.jpg", JPG), ("фото.jpeg", JPG),
    ("отчёт.docx", office("docx")), ("таблица.xlsx", office("xlsx")), ("текст.odt", office("odt")),
    ("заметка.txt", "Встреча проведена.\r\n".encode()), ("cp1251.txt", "Встреча".encode("cp1251")),
])
def test_allowed_types_pass(name, content):
    checked = files.check_upload(files.Upload(name, content), files.AttachmentLimits())
    assert checked.file_name == name and checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.content_type == files.ALLOWED_TYPES[name.rsplit(".", 1)[1].lower()].content_type


@pytest.mark.parametrize(("name", "content", "message"), [
    ("setup.exe", b"MZ\x90\x00" + b"\x00" * 40, "исполняемая"),
    ("справка.pdf", b"MZ\x90\x00" + b"\x00" * 40, "исполняемая"),  # renamed executable
    ("run.txt", b"#!/bin/sh\nrm -rf /\n", "исполняемая"),
    ("script.js", b"alert(1)", "«.js» не принимается"),
    ("README", b"hello", "без расширения"),
    ("фото.png", PDF, "не похоже на PNG"),  # mismatched content
    ("отчёт.docx", office("xlsx"), "не похоже на Word"),
    ("отчёт.docx", b"PK\x03\x04garbage", "не похоже на Word"),
    ("таблица.xlsx", PDF, "не похоже на Excel"),
    ("текст.odt", office("docx"), "не похоже на OpenDocument"),
    ("bin.txt", b"abc\x00def", "не похоже на текст"),
    ("пусто.pdf", b"", "пустой"),
    ("большой.pdf", PDF + b"0" * 2000, "слишком большой"),
])
def test_refused_files_name_the_file(name, content, message):
    with pytest.raises(NastavnikError, match=message) as error:
        files.check_upload(files.Upload(name, content), LIMITS)
    assert f"«{files.safe_file_name(name)}»" in str(error.value)


def test_count_limit_and_safe_names():
    with pytest.raises(NastavnikError, match="не больше 2 файлов"):
        files.check_uploads([files.Upload(f"{i}.pdf", PDF) for i in range(3)], LIMITS)
    with pytest.raises(NastavnikError, match="уже приложено: 1"):
        files.check_uploads([files.Upload(f"{i}.pdf", PDF) for i in range(2)], LIMITS, already=1)
    assert files.check_uploads([files.Upload("", b"")], LIMITS) == []  # an empty file input
    assert files.safe_file_name("C:\\Users\\x\\..\\отчёт.pdf") == "отчёт.pdf"
    assert files.safe_file_name("../../etc/passwd") == "passwd"
    assert files.safe_file_name('a"b\r\n<c>.pdf') == "a_b_c_.pdf"
    assert files.safe_file_name("...") == "файл"
    long = files.safe_file_name("я" * 300 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_stored_with_hash_and_downloaded_only_by_who_may_see_the_program(db_session):
    s = db_session
    org, other = f.make_department(s), f.make_department(s)
    mentor, mentee, curator, stranger_curator, nobody = (f.make_person(s) for _ in range(5))
    f.make_role(s, mentor, org, "mentor")
    f.make_role(s, mentee, org, "mentee")
    f.make_role(s, curator, org, "curator")
    f.make_role(s, stranger_curator, other, "curator")
    group = f.make_group(s, organization=org, mentor=mentor, mentees=[mentee])
    program = f.make_program(s, group=group)
    from engine.db.models import RoadmapEventRecord
    event = RoadmapEventRecord(program=program, stage_id="diagnosis", seq=1, number="1.1", name="Встреча")
    s.add(event)
    s.commit()
    actor = load_actor(s, mentor.login)
    checked = files.check_uploads([files.Upload("справка.pdf", PDF)], LIMITS)
    with pytest.raises(PermissionDenied):
        files.attach(s, load_actor(s, mentee.login), program, checked, event=event, limits=LIMITS)
    [row] = files.attach(s, actor, program, checked, event=event, limits=LIMITS)
    s.commit()
    assert (row.size_bytes, row.sha256, row.organization_id) == (len(PDF), hashlib.sha256(PDF).hexdigest(), org.id)
    with pytest.raises(NastavnikError, match="не больше 2"):
        files.attach(s, actor, program, checked * 2, event=event, limits=LIMITS)
    for person in (mentor, mentee, curator):
        assert files.for_download(s, load_actor(s, person.login), row.id).content == PDF
    for person in (stranger_curator, nobody):
        with pytest.raises(PermissionDenied):
            files.for_download(s, load_actor(s, person.login), row.id)
    with pytest.raises(NotFound):
        files.for_download(s, actor, 999999)
    s.commit()
    viewers = {e.viewer_id for e in s.scalars(select(AccessLogEntry).where(AccessLogEntry.purpose.like("вложение%")))}
    assert viewers == {mentor.id, mentee.id, curator.id}
    assert files.listed(s, program) == {("event", event.id): [s.get(Attachment, row.id)]}
