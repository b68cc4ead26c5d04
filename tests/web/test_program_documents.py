"""The program's documents on the program page and in the API (issue 15 item 5), on a copy of the demo: the
mentee downloads her stage report as PDF and DOCX, the curator a finished program's final report; another
program's report is 404, a stranger 403 in Russian, the final report before the last stage 409."""
from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

from docx import Document as WordDocument
from pypdf import PdfReader
from sqlalchemy import func, select

from engine.db.models import AccessLogEntry, Person, Program
from engine.demo.world import IN_PROGRESS_PAIR
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.web.test_programs import _session, client_as, demo_app, program_of  # noqa: F401 - fixture


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


def docx_text(data: bytes) -> str:
    word = WordDocument(BytesIO(data))
    return " ".join(" ".join([*(p.text for p in word.paragraphs),
                              *(c.text for t in word.tables for r in t.rows for c in r.cells)]).split())


def _report_id(app, program_id: int) -> int:
    with _session(app) as s:
        return s.get(Program, program_id).reports[-1].id


def test_the_mentee_downloads_her_stage_report_from_the_program_page(demo_app):
    program_id = program_of(demo_app, *IN_PROGRESS_PAIR)
    report_id = _report_id(demo_app, program_id)
    client = client_as(demo_app, "orlova")
    html = client.get(f"/programs/{program_id}").text
    link = f'href="/programs/{program_id}/reports/{report_id}.pdf"'
    assert link in html and f'href="/programs/{program_id}/reports/{report_id}.docx"' in html
    assert "Скачать справку (PDF)" in html and "final-report" not in html  # the first stage: no final report yet
    with _session(demo_app) as s:
        before = s.scalar(select(func.count()).select_from(AccessLogEntry))

    response = client.get(f"/programs/{program_id}/reports/{report_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="spravka-programma-{program_id}-etap-1.pdf"'
    text = pdf_text(response.data)
    assert "ИНФОРМАЦИОННАЯ СПРАВКА" in text and "Волков Игорь Николаевич, Директор" in text
    assert "Орлова Ирина Сергеевна, Директор (вновь назначенная)" in text and "1 ЭТАП. ОРГАНИЗАЦИОННЫЙ" in text
    assert "Информационная справка: диагностика затруднений проведена" in text
    assert "на проверке" in text and "Отчёт ещё не рассмотрен куратором." in text
    with _session(demo_app) as s:
        assert s.scalar(select(func.count()).select_from(AccessLogEntry)) == before + 1  # the mentor (152-ФЗ)

    docx = client.get(f"/programs/{program_id}/reports/{report_id}.docx")
    assert docx.status_code == 200 and docx.mimetype.endswith("wordprocessingml.document")
    text = docx_text(docx.data)
    assert "ИНФОРМАЦИОННАЯ СПРАВКА" in text and "Волков Игорь Николаевич, Директор" in text
    assert "Информационная справка: диагностика затруднений проведена" in text


def test_wrong_program_stranger_and_anonymous(demo_app):
    program_id = program_of(demo_app, *IN_PROGRESS_PAIR)
    other_id = program_of(demo_app, "sokolova", "pavlov")
    report_id = _report_id(demo_app, program_id)
    curator = client_as(demo_app, "curator")
    missing = curator.get(f"/programs/{other_id}/reports/{report_id}.pdf")
    assert missing.status_code == 404 and f"нет отчёта об этапе №{report_id}" in missing.text
    assert curator.get(f"/programs/{program_id}/reports/{report_id}.xlsx").status_code == 404
    assert curator.get(f"/programs/999999/reports/{report_id}.pdf").status_code == 404
    refused = client_as(demo_app, "morozova").get(f"/programs/{program_id}/reports/{report_id}.docx")
    assert refused.status_code == 403 and "вам не доступна" in refused.text
    anonymous = demo_app.test_client().get(f"/programs/{program_id}/reports/{report_id}.pdf")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    early = curator.get(f"/programs/{program_id}/final-report.pdf")
    assert early.status_code == 409 and "на последнем этапе" in early.text


def test_the_curator_downloads_the_final_report_of_an_extended_and_completed_program(demo_app):
    program_id = program_of(demo_app, "morozova", "fedorov")  # the demo's extended program, then completed
    client = client_as(demo_app, "curator")
    html = client.get(f"/programs/{program_id}").text
    assert f'href="/programs/{program_id}/final-report.pdf"' in html and "Скачать итоговую справку (DOCX)" in html
    response = client.get(f"/programs/{program_id}/final-report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Морозова Наталья Ивановна" in text and "Фёдоров Алексей Викторович" in text
    assert "программа выполнена в полном объёме (003 §7.1 (1))" in text and "завершена" in text
    assert re.search(r"срок программы продлён: плановое окончание перенесено с \S+ на \S+ \(003 §7\.2\)", text)
    assert "4 ЭТАП. РЕФЛЕКСИВНЫЙ" in text and "ПРОЕКТ" not in text
    # the reservist's roadmap names no form for its last stage (003 appendix 2): the neutral name
    assert "ИТОГОВАЯ СПРАВКА о реализации персонализированной программы наставничества" in text
    docx = client_as(demo_app, "fedorov").get(f"/programs/{program_id}/final-report.docx")
    assert docx.status_code == 200 and "(003 §7.2)" in docx_text(docx.data)


def test_the_api_gives_the_same_documents(demo_app):
    program_id = program_of(demo_app, *IN_PROGRESS_PAIR)
    report_id = _report_id(demo_app, program_id)
    with _session(demo_app) as s:
        tokens = {login: api_tokens.issue(s, SYSTEM, s.scalar(select(Person.id).where(Person.login == login)),
                                          "документы программы", timedelta(days=1)).token
                  for login in ("volkov", "kozlov")}
        s.commit()
    client = demo_app.test_client()

    def get(path: str, login: str):
        return client.get(path, headers={"Authorization": f"Bearer {tokens[login]}"})

    response = get(f"/api/v1/programs/{program_id}/reports/{report_id}.pdf", "volkov")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Орлова Ирина Сергеевна" in pdf_text(response.data)
    docx = get(f"/api/v1/programs/{program_id}/reports/{report_id}.docx", "volkov")
    assert docx.status_code == 200 and "ИНФОРМАЦИОННАЯ СПРАВКА" in docx_text(docx.data)
    refused = get(f"/api/v1/programs/{program_id}/reports/{report_id}.pdf", "kozlov")
    assert refused.status_code == 403 and "вам не доступна" in refused.get_json()["message"]
    other = program_of(demo_app, "sokolova", "pavlov")
    assert get(f"/api/v1/programs/{other}/reports/{report_id}.pdf", "volkov").status_code == 403  # not his
    finished = program_of(demo_app, "volkov", "novikova")
    missing = get(f"/api/v1/programs/{finished}/reports/{report_id}.pdf", "volkov")
    assert missing.status_code == 404 and "нет отчёта об этапе" in missing.get_json()["message"]
    final = get(f"/api/v1/programs/{finished}/final-report.docx", "volkov")
    assert final.status_code == 200 and "АНАЛИТИЧЕСКАЯ СПРАВКА" in docx_text(final.data)
    early = get(f"/api/v1/programs/{program_id}/final-report.pdf", "volkov")
    assert early.status_code == 409 and "на последнем этапе" in early.get_json()["message"]


def test_the_program_page_lists_the_stage_reports_in_the_order_of_the_stages(demo_app):
    order = ["diagnosis", "consultation", "activity", "reflection"]
    with _session(demo_app) as s:
        programs = [p.id for p in s.scalars(select(Program)) if len({r.stage_id for r in p.reports}) > 1]
    assert programs  # the demo has programs past their first stage
    curator = client_as(demo_app, "curator")
    for program_id in programs:
        stages = re.findall(r'<tr class="report report--\w+" data-stage="(\w+)">', curator.get(f"/programs/{program_id}").text)
        assert len(set(stages)) > 1 and stages == sorted(stages, key=order.index), (program_id, stages)
