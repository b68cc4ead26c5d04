"""The protocol of a council session (000 §5.2: the date, how many mentors attended and were absent, the agenda,
the key points of the discussion with the mentors' proposals and remarks, the decisions) as plain text — the
record that is signed and hashed — and as DOCX and PDF renderings of the same content, with the signature stamps
of the chair and the secretary and the SHA-256 of the signed text.

Built from ``Protocol`` (plain data: documents import no database).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from engine.documents.docx import FONT, SIZE, page_setup
from engine.documents.pdf import render_pdf

ENTRY_INTO_FORCE = ("Решения сессии вступают в силу после согласования с администрацией и являются обязательными "
                    "для исполнения (000 §4.3).")


@dataclass(frozen=True)
class ProtocolItem:
    number: int
    title: str
    key_points: str
    proposals: str
    decision: str
    responsible: str
    votes_for: int
    votes_against: int
    abstained: int
    result: str  # «решение принято» / «решение не принято: …»


@dataclass(frozen=True)
class Protocol:
    organization: str
    number: int
    held_on: date
    place: str
    chair: str
    secretary: str
    secretary_votes: str
    members_total: int
    attended: tuple[str, ...]
    absent: tuple[str, ...]
    items: tuple[ProtocolItem, ...]
    quorum_rule: str
    heading: str = "сессии совета наставников"  # the body's: «заседания педагогического совета»

    def view(self) -> dict[str, Any]:
        """What a pack's protocol template sees as ``protocol`` (``engine.regulations.council_bodies``)."""
        return {"organization": self.organization, "number": self.number, "held_on": self.held_on,
                "place": self.place, "chair": self.chair, "secretary": self.secretary,
                "secretary_votes": self.secretary_votes, "members_total": self.members_total,
                "present": len(self.attended), "absent_count": len(self.absent), "attended": list(self.attended),
                "absent": list(self.absent), "quorum_rule": self.quorum_rule,
                "agenda": [{"number": i.number, "title": i.title, "key_points": i.key_points, "proposals": i.proposals,
                           "decision": i.decision, "responsible": i.responsible, "votes_for": i.votes_for,
                           "votes_against": i.votes_against, "abstained": i.abstained, "result": i.result,
                           "adopted": i.result == "решение принято"} for i in self.items]}

    @property
    def attendance_line(self) -> str:
        return (f"Присутствовали: {len(self.attended)} из {self.members_total} наставников — членов совета; "
                f"отсутствовали: {len(self.absent)}.")


def framed(p: Protocol, body: str) -> str:
    """The frame no pack template breaks around the template's ``body``: the organization, «ПРОТОКОЛ № N», the
    body's heading, and the signatures' lines of the chair and the secretary."""
    lines = [p.organization, f"ПРОТОКОЛ № {p.number}", p.heading, body.strip("\n"), "",
             f"Председатель: {p.chair}", f"Секретарь: {p.secretary}"]
    return "\n".join(lines) + "\n"


def protocol_text(p: Protocol) -> str:
    """The product's wording of the protocol (the fallback where the pack has no ``protocols/<body>.j2``), the
    record that is signed (one line per part, items numbered)."""
    lines = [p.organization, f"ПРОТОКОЛ № {p.number}", p.heading, f"Дата проведения: {p.held_on:%d.%m.%Y}"]
    if p.place:
        lines.append(f"Место проведения: {p.place}")
    lines += [f"Председатель (фасилитатор): {p.chair}",
              f"Секретарь: {p.secretary}, избран(а) на сессии ({p.secretary_votes})", p.attendance_line,
              "Присутствовали: " + ("; ".join(p.attended) or "—"),
              "Отсутствовали: " + ("; ".join(p.absent) or "—"), "", "ПОВЕСТКА СЕССИИ:"]
    lines += [f"{item.number}. {item.title}" for item in p.items]
    for item in p.items:
        lines += ["", f"{item.number}. СЛУШАЛИ: {item.title}",
                  f"Ключевые моменты обсуждения: {item.key_points or '—'}",
                  f"Предложения и замечания наставников: {item.proposals or '—'}",
                  f"РЕШИЛИ: {item.decision}"]
        if item.responsible:
            lines.append(f"Ответственные: {item.responsible}")
        lines.append(f"Голосовали: за — {item.votes_for}, против — {item.votes_against}, воздержались — "
                     f"{item.abstained}. Итог: {item.result}.")
    lines += ["", f"Правило принятия решений: {p.quorum_rule}", ENTRY_INTO_FORCE, "",
              f"Председатель: {p.chair}", f"Секретарь: {p.secretary}"]
    return "\n".join(lines) + "\n"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _paragraph(word, text: str, *, align, bold: bool = False, space_after_pt: int = 2) -> None:
    paragraph = word.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after_pt)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.name, run.font.size = FONT, SIZE


def protocol_docx(text: str, *, stamps: tuple[str, ...], sha256: str | None, title: str) -> bytes:
    """The stored text laid out on A4 (Times New Roman 14), the stamps and the SHA-256 under it."""
    word = WordDocument()
    page_setup(word)
    centre, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    lines = text.rstrip("\n").split("\n")
    for index, line in enumerate(lines):
        heading = index < 3 or line.startswith("ПОВЕСТКА")
        _paragraph(word, line, align=centre if index < 3 else left, bold=heading)
    for stamp in stamps:
        _paragraph(word, stamp, align=left, space_after_pt=6)
    if sha256:
        _paragraph(word, f"SHA-256 текста протокола: {sha256}", align=left)
    word.core_properties.title = title
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def protocol_pdf(text: str, *, stamps: tuple[str, ...], sha256: str | None, title: str) -> bytes:
    lines = text.rstrip("\n").split("\n")
    return render_pdf("council_protocol.html", {"heading": lines[:3], "lines": lines[3:], "stamps": stamps,
                                                "sha256": sha256, "title": title}, title=title)
