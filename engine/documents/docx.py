"""An order as a Word document (.docx, python-docx), laid out as Russian administrative orders are:
issuer centred, ПРИКАЗ/РАСПОРЯЖЕНИЕ spaced, date and number, subject in bold, justified paragraphs with a
first-line indent, numbered clauses, the signatory; a draft carries «ПРОЕКТ», a signed order its stamp and
the SHA-256 of the signed text (the text itself stays the record: this is a rendering of it).
"""
from __future__ import annotations

from io import BytesIO

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from engine.documents.reading import Document, read_document

FONT = "Times New Roman"
SIZE = Pt(14)


def _paragraph(word, text: str, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold: bool = False,
               indent_cm: float = 0.0, first_line_cm: float = 1.25, space_after_pt: int = 0):
    paragraph = word.add_paragraph()
    paragraph.alignment = align
    layout = paragraph.paragraph_format
    layout.left_indent = Cm(indent_cm)
    layout.first_line_indent = Cm(first_line_cm) if align == WD_ALIGN_PARAGRAPH.JUSTIFY else None
    layout.space_after = Pt(space_after_pt)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.name, run.font.size = FONT, SIZE
    return paragraph


def page_setup(word, *, left_margin_cm: float = 3.0, font: str = FONT, size: Pt = SIZE) -> None:
    """A4 with the margins of Russian administrative documents (ГОСТ Р 7.0.97: left 3 cm for binding, right 1.5,
    top and bottom 2) and the Normal style's font; the program's reports bind less (2.5 cm)."""
    section = word.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(left_margin_cm), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2.0)
    style = word.styles["Normal"]
    style.font.name, style.font.size = font, size


def order_docx(text: str, *, sha256: str | None = None, title: str = "", author: str = "") -> bytes:  # noqa: C901 - one branch per optional part of an order, in the document's order
    """``text``: the order's stored text; ``sha256``: the hash of a signed text, printed under the stamp."""
    doc: Document = read_document(text)
    word = WordDocument()
    page_setup(word)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    if doc.is_draft:
        _paragraph(word, "П Р О Е К Т", align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True, space_after_pt=6)
    for line in doc.issuer_lines:
        _paragraph(word, line, align=centre, bold=True)
    if doc.kind:
        _paragraph(word, " ".join(doc.kind), align=centre, bold=True, space_after_pt=12)
    if doc.date_number:
        _paragraph(word, doc.date_number + (f"\t\t\t\t{doc.place}" if doc.place else ""),
                   align=WD_ALIGN_PARAGRAPH.LEFT, space_after_pt=12)
    if doc.subject:
        _paragraph(word, doc.subject, align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, space_after_pt=12)
    for text in doc.preamble:
        _paragraph(word, text)
    for clause in doc.clauses:
        _paragraph(word, f"{clause.number}. {clause.text}", indent_cm=0.6 * (clause.level - 1))
    for text in doc.closing:
        _paragraph(word, text)
    if doc.signatory:
        _paragraph(word, "", align=WD_ALIGN_PARAGRAPH.LEFT)
        _paragraph(word, doc.signatory, align=WD_ALIGN_PARAGRAPH.LEFT)
    if doc.stamp:
        _paragraph(word, doc.stamp, align=WD_ALIGN_PARAGRAPH.LEFT, space_after_pt=6)
    if sha256:
        _paragraph(word, f"SHA-256 текста приказа: {sha256}", align=WD_ALIGN_PARAGRAPH.LEFT)
    word.core_properties.title = doc.subject or title
    word.core_properties.author = author
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()
