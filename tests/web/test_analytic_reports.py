"""«Аналитический отчёт» (003 §3.3; issue 15, items 4 and 6) on a copy of the demo: the curator opens it from her
menu, picks the department or a school, the kind and the period, sees the tables, writes the conclusions and
downloads the report — the workbook and the PDF show the page's figures; the head reads it and cannot write; a bad
period or organization is a Russian error, never a 500; a mentor is refused."""
from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from engine.db.models import AnalyticReport, AuditEntry, Organization, Person
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.web.conftest import csrf_token
from tests.web.test_program_bonus import text
from tests.web.test_programs import _session, client_as, demo_app  # noqa: F401 - fixture


def page_rows(html: str, table: str) -> dict[str, list[str]]:
    """{row key: [cells as shown]} of the page's table ``table``."""
    body = html.split(f'id="table-{table}"', 1)[1].split("</table>", 1)[0]
    return {key: [text(cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for key, row in re.findall(r'<tr data-row="([^"]+)">(.*?)</tr>', body, re.S)}


def test_the_curator_reads_writes_and_downloads_the_report(demo_app):
    curator = client_as(demo_app, "curator")
    assert 'href="/reports/analytic"' in curator.get("/inbox").text  # «Аналитический отчёт» in her menu
    html = curator.get("/reports/analytic?kind=semiannual&year=2026&half=2").text
    assert "Полугодовой аналитический отчёт о реализации системы наставничества за II полугодие 2026 года" in html
    assert "Сформировано:" in html and "<caption" in html
    programs, participants = page_rows(html, "programs"), page_rows(html, "participants")
    assert programs["completed"][0] == "Завершены в периоде — всего" and int(programs["completed"][1]) >= 1

    response = curator.post("/reports/analytic/conclusions?kind=semiannual&year=2026&half=2",
                            data={"csrf_token": csrf_token(html), "conclusions": "Программы выполняются в срок."})
    assert response.status_code == 302 and response.headers["Location"].endswith("#conclusions")
    assert "Программы выполняются в срок." in curator.get("/reports/analytic?kind=semiannual&year=2026&half=2").text
    with _session(demo_app) as s:
        row = s.scalar(select(AnalyticReport))
        assert (row.kind, row.period, row.conclusions) == ("semiannual", "2026-2", "Программы выполняются в срок.")
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "analytic_report.conclusions")) is not None

    workbook = curator.get("/reports/analytic/report.xlsx?kind=semiannual&year=2026&half=2")
    assert workbook.status_code == 200 and "attachment" in workbook.headers["Content-Disposition"]
    book = load_workbook(BytesIO(workbook.data))
    sheet = {row[0]: row[1] for row in book["Программы"].iter_rows(min_row=2, values_only=True)}
    assert sheet["Завершены в периоде — всего"] == int(programs["completed"][1])
    people = {row[0]: row[1] for row in book["Участники"].iter_rows(min_row=2, values_only=True)}
    assert people["Наставники"] == int(participants["mentors"][1])
    assert book["Выводы"]["A2"].value == "Программы выполняются в срок."

    document = curator.get("/reports/analytic/report.pdf?kind=semiannual&year=2026&half=2")
    assert document.status_code == 200 and document.mimetype == "application/pdf"
    content = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(BytesIO(document.data)).pages)
    for key, cells in programs.items():
        assert " ".join(cells) in content, key
    assert f"Наставники {participants['mentors'][1]}" in content and "Программы выполняются в срок." in content


def test_the_head_reads_the_schools_report_and_cannot_write(demo_app):
    with _session(demo_app) as s:
        school = s.scalar(select(Organization).where(Organization.parent_id.is_not(None)).order_by(Organization.id))
        school_id = school.id
    head = client_as(demo_app, "head")
    html = head.get(f"/reports/analytic?org={school_id}&kind=final&year=2026").text
    assert "Итоговый аналитический отчёт о реализации системы наставничества за 2026 год" in html
    assert "Куратор ещё не записал выводы." in html and 'name="conclusions"' not in html
    assert head.post(f"/reports/analytic/conclusions?org={school_id}&kind=final&year=2026",
                     data={"csrf_token": csrf_token(html), "conclusions": "Мои выводы"}).status_code == 403


def test_bad_periods_and_organizations_are_russian_errors(demo_app):
    curator = client_as(demo_app, "curator")
    for query, status, message in (("year=abc", 422, "Год: ожидается число"), ("half=3", 422, "полугодие — 1 или 2"),
                                   ("kind=monthly", 422, "вид отчёта «monthly» неизвестен"),
                                   ("year=2090", 422, "ещё не начался"), ("year=1900", 422, "год отчёта — от 2000"),
                                   ("org=99999", 404, "нет организации №99999")):
        for path in ("/reports/analytic", "/reports/analytic/report.xlsx", "/reports/analytic/report.pdf"):
            response = curator.get(f"{path}?{query}")
            assert response.status_code == status and message in response.text, (path, query)
    assert client_as(demo_app, "volkov").get("/reports/analytic").status_code == 403
    too_long = curator.post("/reports/analytic/conclusions?kind=final&year=2026", data={
        "csrf_token": csrf_token(curator.get("/reports/analytic").text), "conclusions": "я" * 20_001})
    assert too_long.status_code == 422 and "не длиннее 20000 знаков" in too_long.text


def test_the_api_gives_the_pages_figures_and_files(demo_app):
    with _session(demo_app) as s:
        curator_id = s.scalar(select(Person.id).where(Person.login == "curator"))
        token = api_tokens.issue(s, SYSTEM, curator_id, "отчёт", timedelta(days=1)).token
        s.commit()
    api = demo_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    found = api.get("/api/v1/reports/analytic?kind=semiannual&year=2026&half=2", headers=headers)
    assert found.status_code == 200
    body = found.get_json()
    assert (body["kind"], body["period"], body["period_from"], body["period_to"]) == (
        "semiannual", "2026-2", "2026-07-01", "2026-12-31")
    html = client_as(demo_app, "curator").get("/reports/analytic?kind=semiannual&year=2026&half=2").text
    programs = {row["key"]: row["cells"] for table in body["tables"] if table["key"] == "programs"
                for row in table["rows"]}
    assert {key: [cells[0], str(cells[1])] for key, cells in programs.items()} == page_rows(html, "programs")
    assert body["figures"]["programs"]["completed_total"] == programs["completed"][1]
    assert api.get("/api/v1/reports/analytic?half=5", headers=headers).status_code == 422
    assert api.get("/api/v1/reports/analytic?organization=99999", headers=headers).status_code == 404
    workbook = api.get("/api/v1/reports/analytic.xlsx?kind=final&year=2026", headers=headers)
    assert workbook.status_code == 200 and load_workbook(BytesIO(workbook.data)).sheetnames[0] == "Участники"
    document = api.get("/api/v1/reports/analytic.pdf?kind=final&year=2026", headers=headers)
    assert document.status_code == 200 and document.data.startswith(b"%PDF")
    assert api.get("/api/v1/reports/analytic").status_code == 401
