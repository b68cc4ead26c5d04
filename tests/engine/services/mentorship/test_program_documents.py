"""The program's own documents (003 appendices 1–4): the stage report in its roadmap form and the final analytic
report, read back from the PDF (pypdf) and the DOCX (python-docx) a participant or the staff download."""
from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader
from sqlalchemy import func, select

from engine.db.models import AccessLogEntry, Program
from engine.demo.story import Demo
from engine.errors import ConflictError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.services.mentorship import program_documents, programs, roadmap_events

REPORT = "Проведена диагностика затруднений.\nВыявлены запросы: <script>alert('x')</script> & «кадры»\n\nИтог: план готов."


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


def docx_text(data: bytes) -> tuple[list[str], str]:
    word = WordDocument(BytesIO(data))
    cells = " ".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    return [p.text for p in word.paragraphs], " ".join(cells.split())


def _reported(demo: Demo, *, approve: bool = True) -> Program:
    """volkov and novikova's program: the mentee comments an event, the mentor reports the first stage with
    ``REPORT``, the curator accepts it (or not yet)."""
    demo.appoint("volkov")
    demo.register("novikova")
    program = demo.form_pair("volkov", "novikova")
    first = next(e for e in program.events if e.stage_id == "diagnosis")
    roadmap_events.mark_events(demo.session, demo.actor("novikova"), program.id, [roadmap_events.EventMark(
        first.id, True, program.started_on, comment="Встреча прошла в школе № 5")], clock=demo.clock)
    events = [e.number for e in program.events if e.stage_id == "diagnosis"]
    demo.complete("volkov", FormId.STAGE_WORK, {"events_done": events, "report": REPORT}, program.workflow_instance_id)
    if approve:
        demo.complete("curator", FormId.REVIEW_STAGE_REPORT, {"approved": True, "comment": "Принято без замечаний"},
                      program.workflow_instance_id)
    return program


def test_the_stage_report_reads_back_as_the_roadmap_form_in_pdf_and_docx(demo: Demo, db_session):
    program = _reported(demo)
    report = program.reports[-1]
    before = db_session.scalar(select(func.count()).select_from(AccessLogEntry))
    made = program_documents.stage_report_file(db_session, demo.actor("head"), program.id, report.id, "pdf")
    assert made.mimetype == "application/pdf" and made.file_name == f"spravka-programma-{program.id}-etap-1.pdf"
    text = pdf_text(made.data)
    assert "ИНФОРМАЦИОННАЯ СПРАВКА" in text and "ПРОЕКТ" not in text
    assert "Волков Игорь Николаевич, Директор" in text and "Новикова Мария Андреевна" in text
    assert "№ 1: 1 ЭТАП. ОРГАНИЗАЦИОННЫЙ" in text and f"с {program.started_on:%d.%m.%Y} по" in text
    assert "1.1 Диагностика затруднений в деятельности вновь назначенных руководителей ОУ. выполнено" in text
    assert "Встреча прошла в школе № 5" in text  # the mentee's comment on the event
    # the participant's text as written: the markup is printed, not obeyed
    assert "Выявлены запросы: <script>alert('x')</script> & «кадры»" in text and "Итог: план готов." in text
    assert "Принял(а): Смирнова Елена Александровна" in text and "Принято без замечаний" in text
    assert "Куратор" in text and "ознакомлен(а)" in text
    # the head saw the mentor, the mentee and the curator: each logged once (152-ФЗ)
    assert db_session.scalar(select(func.count()).select_from(AccessLogEntry)) == before + 3

    made = program_documents.stage_report_file(db_session, demo.actor("novikova"), program.id, report.id, "docx")
    assert made.file_name.endswith(".docx") and made.mimetype.endswith("wordprocessingml.document")
    paragraphs, cells = docx_text(made.data)
    assert "ИНФОРМАЦИОННАЯ СПРАВКА" in paragraphs and "Проведена диагностика затруднений." in paragraphs
    assert "Выявлены запросы: <script>alert('x')</script> & «кадры»" in paragraphs  # a paragraph per line
    assert "Волков Игорь Николаевич, Директор" in cells and "Встреча прошла в школе № 5" in cells
    assert "Принял(а): Смирнова Елена Александровна" in " ".join(paragraphs) and "Принято без замечаний" in " ".join(paragraphs)


def test_a_draft_is_the_participants_preview_marked_project(demo: Demo, db_session):
    program = _reported(demo, approve=False)
    report = programs.withdraw_review(db_session, program, "diagnosis", why="ходатайство о продлении")
    for login in ("volkov", "novikova"):
        doc = program_documents.stage_report_document(db_session, demo.actor(login), program.id, report.id)
        assert doc.report.is_draft and pdf_text(program_documents.stage_report_pdf(doc)).startswith("ПРОЕКТ")
    for login in ("curator", "head"):
        with pytest.raises(PermissionDenied, match="черновик"):
            program_documents.stage_report_document(db_session, demo.actor(login), program.id, report.id)
    downloadable, final = program_documents.downloadable(demo.actor("curator"), program)
    assert downloadable == frozenset() and not final


def test_a_report_of_another_program_or_a_stranger_is_refused(demo: Demo, db_session):
    program = _reported(demo)
    demo.appoint("morozova")
    demo.register("fedorov")
    other = demo.form_pair("morozova", "fedorov")
    with pytest.raises(NotFound):
        program_documents.stage_report_document(db_session, demo.actor("curator"), other.id, program.reports[-1].id)
    with pytest.raises(PermissionDenied):
        program_documents.stage_report_document(db_session, demo.actor("morozova"), program.id,
                                                program.reports[-1].id)
    with pytest.raises(NotFound):
        program_documents.stage_report_file(db_session, demo.actor("curator"), program.id, program.reports[-1].id,
                                            "exe")
    with pytest.raises(ConflictError, match="последнем этапе"):
        program_documents.final_report_document(db_session, demo.actor("curator"), program.id)


def test_the_final_report_sums_up_a_finished_program(demo: Demo, db_session):
    demo.appoint("sokolova")
    demo.register("pavlov")
    program = demo.form_pair("sokolova", "pavlov")
    demo.stage(program, "sokolova")
    demo.complete_early(program, "pavlov")
    assert program_documents.downloadable(demo.actor("curator"), program)[1]
    made = program_documents.final_report_file(db_session, demo.actor("curator"), program.id, "pdf")
    text = pdf_text(made.data)
    assert made.file_name == f"itogovaya-spravka-programma-{program.id}.pdf"
    assert "АНАЛИТИЧЕСКАЯ СПРАВКА" in text and "ПРОЕКТ" not in text
    assert "Соколова Анна Дмитриевна" in text and "Павлов Константин Игоревич" in text
    assert "завершена досрочно" in text and "по инициативе наставника или наставляемого (003 §7.1 (2))" in text
    assert "1 ЭТАП. ОРГАНИЗАЦИОННЫЙ" in text and "3 из 3 Информационная справка принят" in text
    assert "не представлен" in text  # the later stages
    assert "Отчёт по последнему этапу не представлен." in text
    paragraphs, cells = docx_text(
        program_documents.final_report_file(db_session, demo.actor("pavlov"), program.id, "docx").data)
    assert "АНАЛИТИЧЕСКАЯ СПРАВКА" in paragraphs and "завершена досрочно" in cells
    assert "по инициативе наставника или наставляемого (003 §7.1 (2))" in cells
