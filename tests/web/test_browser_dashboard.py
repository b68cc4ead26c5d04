"""Issue 15, «Done means»: the head opens the dashboard on the demo, sees the coverage figure and a chart drawn
under the CSP (no console errors), drills down to the overdue programs, downloads the XLSX and the PDF and finds
the page's figures in them (openpyxl reads the cells, pypdf the text). Screenshots at 1280 and 390 px; on the phone
the page does not scroll sideways and the figure cards stack."""
from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from engine.demo.world import DEMO_PASSWORD
from tests.web.conftest import DemoServer, _open_page, serve


@pytest.fixture
def late_demo(browser, demo_database, tmp_path):
    """A server over a copy of the demo where the running program's current stage was due a week ago (its mentor
    is late), so the dashboard has an overdue program to drill down to."""
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_database, copy)
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE roadmap_events SET due_on = ? WHERE id IN (SELECT e.id FROM roadmap_events e JOIN programs p "
                   "ON p.id = e.program_id AND e.stage_id = p.current_stage_id WHERE p.status = 'active')",
                   ((date.today() - timedelta(days=7)).isoformat(),))
    url = f"sqlite:///{copy.as_posix()}"
    with serve(url) as (app, base):
        yield DemoServer(base, app, url)


def _download(page, link: str) -> bytes:
    with page.expect_download() as download:
        page.locator(link).click()
    return Path(download.value.path()).read_bytes()


def test_the_head_reads_the_dashboard_drills_down_and_downloads_its_tables(browser, late_demo):
    context, head = _open_page(browser, late_demo, viewport={"width": 1280, "height": 900})
    page = head.page
    head.login("head", DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    page.get_by_role("link", name="Панель мониторинга").click()
    page.wait_for_url(re.compile(r".*/dashboard$"))

    coverage = page.locator("#figure-coverage .figure__value")
    expect(coverage).to_have_text(re.compile(r"^\d+,\d %$"))
    percent = coverage.get_attribute("data-percent")
    expect(page.locator("#chart-status[data-rendered=yes]")).to_have_count(1)  # Chart.js drew it
    drawn = page.locator("#chart-status").evaluate(
        "canvas => canvas.width > 0 && canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height)"
        ".data.some(value => value !== 0)")
    assert drawn, "the status chart's canvas is blank"
    assert page.locator("#status table caption").inner_text().startswith("Программы по статусам")
    status_total = int(page.locator("#status").get_attribute("data-total"))
    overdue = int(page.locator("#figure-overdue .figure__value").inner_text())
    assert overdue >= 1
    head.shot("dashboard-1280")

    with page.expect_download() as download:
        page.locator("#download-xlsx").click()
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    covered = list(book["Охват (цель 70 %)"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert f"{covered[3]:.1f}" == percent
    statuses = {row[0]: row[1] for row in book["Программы по статусам"].iter_rows(min_row=2, values_only=True)}
    assert statuses["Всего"] == status_total
    late = {row[0]: row[1] for row in book["Сроки и просрочки"].iter_rows(min_row=2, values_only=True)}
    assert late["Программы с просроченным этапом"] == overdue

    with page.expect_download() as download:
        page.locator("#download-pdf").click()
    pdf = PdfReader(BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Мониторинг программ наставничества" in text and percent.replace(".", ",") in text
    assert re.search(rf"Программы с просроченным этапом\s+{overdue}\b", text)

    page.locator("#figure-overdue").click()
    page.wait_for_url(re.compile(r".*/dashboard/overdue\?"))
    expect(page.get_by_role("heading", name="Программы с просроченным этапом")).to_be_visible()
    assert page.locator("#list-total").get_attribute("data-total") == str(overdue)
    rows = page.locator("#figure-list tbody tr")
    assert rows.count() == overdue and "Орлова Ирина Сергеевна" in rows.first.inner_text()
    head.shot("dashboard-overdue-1280")
    rows.first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/programs/\d+$"))

    page.set_viewport_size({"width": 390, "height": 844})
    head.goto("/dashboard")
    expect(page.locator("#chart-status[data-rendered=yes]")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing pushes the page sideways
    cards = page.locator(".figures .figure")
    first, third = cards.nth(0).bounding_box(), cards.nth(2).bounding_box()
    assert first and third and third["y"] > first["y"]  # the cards wrap into rows
    assert cards.nth(0).bounding_box()["width"] <= 390
    head.shot("dashboard-390")
    assert head.console_errors == []
    context.close()
