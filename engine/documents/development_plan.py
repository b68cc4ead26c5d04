"""The individual plan of a teacher's professional development (ИППР, 000 §2.2) as DOCX and PDF: the heading (the
organization, the teacher, the academic year, the mentor), the plan's sections in the regulation's order, each a
table of its items (what, term, expected result and, once marked, done or not and the result), who agreed and
approved it, and the year's conclusion.

Built from ``PlanDocument`` (plain data: documents import no database)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from engine.documents.docx import FONT, page_setup
from engine.documents.pdf import render_pdf

TITLE = "Индивидуальный план профессионального развития педагога"
COLUMNS = ("№", "Что планируется", "Срок", "Ожидаемый результат", "Выполнение и результат")
SIZE = Pt(11)


@dataclass(frozen=True)
class PlanDocumentItem:
    what: str
    due_on: date
    expected_result: str
    outcome: str  # «выполнено» / «не выполнено» / ""
    result: str


@dataclass(frozen=True)
class PlanDocumentSection:
    label: str
    items: tuple[PlanDocumentItem, ...]


@dataclass(frozen=True)
class PlanDocument:
    organization: str
    teacher: str
    position: str
    mentor: str
    year: str  # «2025/2026»
    state: str
    agreed: str  # «ФИО, дата» or ""
    approved: str
    conclusion: str
    sections: tuple[PlanDocumentSection, ...]

    @property
    def heading(self) -> list[str]:
        return [self.organization, TITLE, f"на {self.year} учебный год"]

    @property
    def facts(self) -> list[str]:
        teacher = self.teacher + (f", {self.position}" if self.position else "")
        return [f"Педагог: {teacher}", f"Наставник (член управленческой команды): {self.mentor}",
                f"Состояние: {self.state}"]

    @property
    def signatures(self) -> list[str]:
        return [f"СОГЛАСОВАНО наставником: {self.agreed or '—'}",
                f"УТВЕРЖДЕНО администрацией: {self.approved or '—'}"]


def _outcome(item: PlanDocumentItem) -> str:
    if not item.outcome:
        return ""
    return f"{item.outcome}: {item.result}" if item.result else item.outcome


def _paragraph(word, text: str, *, bold: bool = False, centre: bool = False, space_after_pt: int = 2) -> None:
    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(space_after_pt)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.name, run.font.size = FONT, Pt(12)


def _cell(cell, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold
    run.font.name, run.font.size = FONT, SIZE


def plan_docx(plan: PlanDocument) -> bytes:
    word = WordDocument()
    page_setup(word, left_margin_cm=2.0, size=Pt(12))
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for index, line in enumerate(plan.heading):
        _paragraph(word, line, bold=index > 0, centre=True)
    for line in plan.facts:
        _paragraph(word, line)
    for number, part in enumerate(plan.sections, start=1):
        _paragraph(word, f"{number}. {part.label}", bold=True, space_after_pt=4)
        if not part.items:
            _paragraph(word, "Пунктов нет.")
            continue
        table = word.add_table(rows=1, cols=len(COLUMNS))
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, COLUMNS, strict=True):
            _cell(cell, title, bold=True)
        for k, item in enumerate(part.items, start=1):
            row = table.add_row().cells
            for cell, text in zip(row, (f"{number}.{k}", item.what, f"{item.due_on:%d.%m.%Y}", item.expected_result,
                                        _outcome(item)), strict=True):
                _cell(cell, text)
    if plan.conclusion:
        _paragraph(word, "Итоги года", bold=True, space_after_pt=4)
        _paragraph(word, plan.conclusion)
    for line in plan.signatures:
        _paragraph(word, line, space_after_pt=6)
    word.core_properties.title = f"{TITLE}: {plan.teacher}, {plan.year}"
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def plan_pdf(plan: PlanDocument) -> bytes:
    title = f"{TITLE}: {plan.teacher}, {plan.year}"
    rows = [(f"{n}. {part.label}", [(f"{n}.{k}", item.what, f"{item.due_on:%d.%m.%Y}", item.expected_result,
                                     _outcome(item)) for k, item in enumerate(part.items, start=1)])
            for n, part in enumerate(plan.sections, start=1)]
    return render_pdf("development_plan.html", {"plan": plan, "sections": rows, "columns": COLUMNS, "title": title},
                      title=title)
