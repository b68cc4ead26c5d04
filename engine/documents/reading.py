"""An order's stored text read back into its parts (issuer, kind, date and number, subject, preamble,
numbered clauses, closing, signatory, stamp): what the order page and the .docx lay out."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.documents import DRAFT_DATE_LINE, DRAFT_MARK, STAMP_CONFIRMATION

_ITEM = re.compile(r"^(\d+(?:\.\d+)*)\.\s+(.*)$")
_DATE_NUMBER = re.compile(r"^\d{2}\.\d{2}\.\d{4} № \S+$")



@dataclass(frozen=True)
class Clause:
    number: str  # «1», «1.1»
    text: str

    @property
    def level(self) -> int:
        return self.number.count(".") + 1


@dataclass
class Document:
    """An order's text split into its parts (``engine.documents.orders`` lays it out)."""

    is_draft: bool = False
    issuer_lines: list[str] = field(default_factory=list)
    kind: str = ""
    date_number: str = ""
    place: str | None = None
    subject: str = ""
    preamble: list[str] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)  # «Основание: …», other paragraphs after the clauses
    signatory: str = ""
    stamp: str | None = None


def read_document(text: str) -> Document:  # noqa: C901 - one branch per part of an order, in the document's order
    """Split an order's text into header, subject, preamble, numbered clauses, signatory and stamp.
    Unknown paragraphs are kept in order (preamble before the clauses, closing after them)."""
    paragraphs = [p.split("\n") for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()) if p.strip()]
    doc = Document()
    if paragraphs and paragraphs[0] == [DRAFT_MARK]:
        doc.is_draft = True
        paragraphs.pop(0)
    if paragraphs and paragraphs[-1][0].endswith(STAMP_CONFIRMATION):
        doc.stamp = paragraphs.pop()[0]
    if paragraphs:
        doc.signatory = " ".join(paragraphs.pop())
    if paragraphs:
        doc.issuer_lines = paragraphs.pop(0)
    if paragraphs and len(paragraphs[0]) == 1 and paragraphs[0][0] in ("ПРИКАЗ", "РАСПОРЯЖЕНИЕ"):
        doc.kind = paragraphs.pop(0)[0]
    if paragraphs and (paragraphs[0][0] == DRAFT_DATE_LINE or _DATE_NUMBER.match(paragraphs[0][0])):
        head = paragraphs.pop(0)
        doc.date_number, doc.place = head[0], (" ".join(head[1:]) or None)
    if paragraphs:
        doc.subject = " ".join(paragraphs.pop(0))
    for lines in paragraphs:
        numbered = [_ITEM.match(line) for line in lines]
        if all(numbered):
            doc.clauses += [Clause(m.group(1), m.group(2)) for m in numbered if m]
        elif doc.clauses:
            doc.closing.append(" ".join(lines))
        else:
            doc.preamble.append(" ".join(lines))
    return doc
