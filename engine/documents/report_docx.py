"""The program's documents as Word files (.docx, python-docx), the same content as their PDF
(``program_reports``): the stage report («Информационная справка» …) and the final analytic report. Editable, as
schools ask: the organization centred, the form's name in capitals, the facts, the events or the stages as a
table, the participant's text a paragraph per line as written, the curator's review and the signature lines."""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from io import BytesIO

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from engine.documents.docx import page_setup
from engine.documents.program_reports import (
    FinalReportDocument,
    Header,
    ReportPart,
    Signatory,
    StageReportDocument,
)

FONT = "Times New Roman"
SIZE = Pt(12)
SMALL = Pt(10)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # Word refuses them; a typed text may carry one


def _text(value: str) -> str:
    return NOT_XML.sub("", value)


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def _new():
    word = WordDocument()
    page_setup(word, left_margin_cm=2.5, font=FONT, size=SIZE)
    return word


def _paragraph(word, text: str, *, align=WD_ALIGN_PARAGRAPH.LEFT, bold: bool = False, size=SIZE,
               space_after_pt: int = 3):
    paragraph = word.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after_pt)
    run = paragraph.add_run(_text(text))
    run.bold, run.font.name, run.font.size = bold, FONT, size
    return paragraph


def _table(word, head: Sequence[str] | None, rows: Sequence[Sequence[str]]) -> None:
    table = word.add_table(rows=0, cols=len(rows[0]) if rows else len(head or ()))
    if head is not None:
        table.style = "Table Grid"
        cells = table.add_row().cells
        for cell, text in zip(cells, head, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(_text(text))
            run.bold, run.font.size = True, SMALL
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(_text(text)).font.size = SMALL
    word.add_paragraph()


def _heading(word, header: Header, title: str, subtitle: str, is_draft: bool) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    if is_draft:
        _paragraph(word, "П Р О Е К Т", align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)
    _paragraph(word, header.organization, align=centre, bold=True, space_after_pt=12)
    _paragraph(word, title.upper(), align=centre, bold=True, size=Pt(14))
    _paragraph(word, subtitle, align=centre, space_after_pt=12)


def _person(person: Signatory) -> str:
    return person.full_name + (f", {person.position}" if person.position else "") + (
        f" ({person.note})" if person.note else "")


def _facts(header: Header, extra: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    program = f"персонализированная программа наставничества № {header.program_id}" + (
        f", форма наставничества: {header.form_label}" if header.form_label else "")
    return [("Программа", program), ("Модель (дорожная карта)", f"{header.roadmap_title} ({header.roadmap_source})"),
            ("Наставник", _person(header.mentor)),
            ("Наставляемый" if len(header.mentees) == 1 else "Наставляемые",
             "\n".join(_person(m) for m in header.mentees) or "—"), *extra]


def _report(word, report: ReportPart, heading: str) -> None:
    _paragraph(word, heading, bold=True, space_after_pt=6)
    _paragraph(word, f"{report.form_name}{f', попытка {report.attempt}' if report.attempt > 1 else ''} · "
                     f"представил(а): {report.submitted_by}, {_day(report.submitted_on)} · статус: {report.status}",
               size=SMALL)
    for line in report.body.splitlines() or [""]:
        _paragraph(word, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after_pt=0)
    _paragraph(word, "")
    _paragraph(word, "Рассмотрение куратором", bold=True, space_after_pt=6)
    if report.reviewer:
        _paragraph(word, f"{'Принял(а)' if report.approved else 'Рассмотрел(а)'}: {report.reviewer}, "
                         f"{_day(report.reviewed_on)}")
        if report.review_comment:
            _paragraph(word, f"Комментарий куратора: {report.review_comment}")
    else:
        _paragraph(word, "Отчёт ещё не рассмотрен куратором.")


def _signatures(word, signatories: Sequence[Signatory], made_on: date) -> None:
    _paragraph(word, "")
    _table(word, None, [(person.role, "____________________",
                         (person.full_name or "____________________") + (f" {person.note}" if person.note else ""),
                         "«___» ____________ 20___ г.") for person in signatories])
    _paragraph(word, f"Документ сформирован {_day(made_on)} в системе «Наставник» по данным программы.", size=SMALL)


def _saved(word, title: str, author: str) -> bytes:
    word.core_properties.title, word.core_properties.author = title, author
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def stage_report_docx(doc: StageReportDocument) -> bytes:
    word = _new()
    _heading(word, doc.header, doc.title, f"по итогам этапа «{doc.stage_title}» персонализированной программы "
                                          f"наставничества № {doc.header.program_id}", doc.report.is_draft)
    closed = f"; этап закрыт {_day(doc.closed_on)} (отчёт принят)" if doc.closed_on else ""
    _table(word, None, _facts(doc.header, [("Этап", f"№ {doc.stage_number}: {doc.stage_title}"),
                                           ("Период этапа", f"с {_day(doc.starts_on)} по {_day(doc.due_on)}{closed}")]))
    _paragraph(word, "Мероприятия этапа", bold=True, space_after_pt=6)
    _table(word, ("№", "Мероприятие", "Статус", "Срок", "Выполнено", "Примечание"), [
        (e.number, e.name, e.status, _day(e.due_on), _day(e.done_on),
         "\n".join([e.note or "", *(f"{c.author}, {_day(c.written_on)}: {c.body}" for c in e.comments)]).strip())
        for e in doc.events])
    _report(word, doc.report, "Содержание отчёта")
    _signatures(word, doc.signatories, doc.made_on)
    return _saved(word, f"{doc.title}: этап «{doc.stage_title}», программа № {doc.header.program_id}",
                  doc.header.organization)


def final_report_docx(doc: FinalReportDocument) -> bytes:
    word = _new()
    _heading(word, doc.header, doc.title, "о реализации персонализированной программы наставничества "
                                          f"№ {doc.header.program_id}", doc.is_draft)
    extra = [("Срок программы", f"с {_day(doc.started_on)} по {_day(doc.planned_end_on)} (плановое окончание)"),
             ("Состояние", doc.status + (f", {_day(doc.completed_on)}" if doc.completed_on else ""))]
    if doc.ground:
        extra.append(("Основание завершения", doc.ground + (f"\n{doc.completion_note}" if doc.completion_note else "")))
    if doc.extension:
        extra.append(("Продление", doc.extension))
    if doc.bonus:
        extra.append(("Премирование наставника", doc.bonus))
    _table(word, None, _facts(doc.header, extra))
    _paragraph(word, "Этапы программы", bold=True, space_after_pt=6)
    _table(word, ("№", "Этап", "Период", "Мероприятия", "Форма отчётности", "Отчёт"), [
        (s.number, s.title, f"{_day(s.starts_on)} — {_day(s.due_on)}", f"{s.events_done} из {s.events_total}",
         s.report_form, s.report_status + (f", {_day(s.closed_on)}" if s.closed_on else "")) for s in doc.stages])
    heading = f"Отчёт по этапу «{doc.final_stage_title}»"
    if doc.report is not None:
        _report(word, doc.report, heading)
    else:
        _paragraph(word, heading, bold=True, space_after_pt=6)
        _paragraph(word, "Отчёт по последнему этапу не представлен.")
    _signatures(word, doc.signatories, doc.made_on)
    return _saved(word, f"{doc.title}: программа № {doc.header.program_id}", doc.header.organization)
