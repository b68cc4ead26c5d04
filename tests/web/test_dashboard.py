"""«Панель мониторинга» (issue 15 item 2) on a copy of the demo: the head opens it from her menu, sees the coverage
with its denominator stated and a chart per figure followed by its table, opens the list behind a figure, filters
by organization and period, downloads the tables as XLSX and PDF; a bad date is a Russian 422, another
organization a Russian 403; the curator sees it too, a mentor does not; the JSON API gives the same figures."""
from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from engine.db.models import Organization, Person
from engine.demo.world import DEPARTMENT
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests import factories as f
from tests.web.conftest import make_test_app
from tests.web.test_program_bonus import text
from tests.web.test_programs import _session, client_as, demo_app  # noqa: F401 - fixture
from web.db import database

PERIOD = f"from={date.today() - timedelta(days=1000):%Y-%m-%d}&to={date.today() + timedelta(days=30):%Y-%m-%d}"


def test_the_head_opens_the_dashboard_from_her_menu(demo_app):
    head = client_as(demo_app, "head")
    assert 'href="/dashboard"' in head.get("/orders").text
    response = head.get(f"/dashboard?{PERIOD}")
    assert response.status_code == 200
    html = response.text
    page = text(html)
    assert "Панель мониторинга" in page and "Охват наставничеством (цель — не менее 70 %)" in page
    assert "Знаменатель — активные учётные записи реестра людей" in page and "004 прил. 1 преамбула" in page
    assert 'data-chart="doughnut"' in html and "vendor/chart.js/chart.umd.min.js" in html and "<caption>" in html
    assert 'scope="row"' in html and "<script>" not in html  # no inline script under the CSP
    assert "Программы по статусам" in page and "завершена досрочно" in page
    assert 'href="/dashboard.xlsx?' in html and 'href="/dashboard.pdf?' in html


def test_the_head_narrows_to_one_school(demo_app):
    with _session(demo_app) as s:
        school = s.scalar(select(Organization).where(Organization.name == "МАОУ СОШ № 8 г. Томска"))
        school_id = school.id
    head = client_as(demo_app, "head")
    html = head.get(f"/dashboard?org={school_id}&{PERIOD}").text
    assert f'<option value="{school_id}" selected>— МАОУ СОШ № 8 г. Томска</option>' in html
    assert 'data-figure="status" data-total="0"' in html  # the department runs the pairs, not the school
    assert 'href="/dashboard/involved?from=' in html and f"org={school_id}" in html


def test_each_figure_opens_its_list(demo_app):
    head = client_as(demo_app, "head")
    listing = head.get(f"/dashboard/status?{PERIOD}")
    assert listing.status_code == 200
    page = text(listing.text)
    assert "Программы по статусам" in page and "Новикова Мария Андреевна" in page and "Всего: 5" in page
    early = text(head.get(f"/dashboard/status-completed_early?{PERIOD}").text)
    assert "Программы по статусам: завершена досрочно" in early and "Павлов Константин Игоревич" in early
    assert "Всего: 1" in early
    missing = head.get("/dashboard/nonsense")
    assert missing.status_code == 404 and "нет показателя «nonsense»" in missing.text


def test_bad_filters_are_russian_errors_not_500(demo_app):
    head = client_as(demo_app, "head")
    bad = head.get("/dashboard?from=31.12.2025")
    assert bad.status_code == 422 and "Период с: ожидается дата в виде ГГГГ-ММ-ДД" in bad.text
    reversed_period = head.get("/dashboard?from=2025-06-01&to=2025-01-01")
    assert reversed_period.status_code == 422 and "позже конца" in reversed_period.text
    with _session(demo_app) as s:
        other = f.make_department(s, name="Управление образования Окружной администрации г. Якутска")
        s.commit()
        other_id = other.id
    foreign = head.get(f"/dashboard?org={other_id}")
    assert foreign.status_code == 403 and "мониторинг этой организации вам не доступен" in foreign.text


def test_the_curator_sees_it_a_mentor_does_not(demo_app):
    curator = client_as(demo_app, "curator")
    assert curator.get(f"/dashboard?{PERIOD}").status_code == 200
    assert 'href="/dashboard"' in curator.get("/inbox").text
    mentor = client_as(demo_app, "volkov")
    assert mentor.get("/dashboard").status_code == 403
    assert mentor.get("/dashboard.xlsx").status_code == 403


def test_the_workbook_and_pdf_hold_the_page_figures(demo_app):
    head = client_as(demo_app, "head")
    html = head.get(f"/dashboard?{PERIOD}").text
    made = head.get(f"/dashboard.xlsx?{PERIOD}")
    assert made.status_code == 200 and "attachment" in made.headers["Content-Disposition"]
    book = load_workbook(BytesIO(made.data))
    statuses = {row[0]: row[1] for row in book["Программы по статусам"].iter_rows(min_row=2, values_only=True)}
    assert f'data-figure="status" data-total="{statuses["Всего"]}"' in html
    pdf = head.get(f"/dashboard.pdf?{PERIOD}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_api_gives_the_same_figures_with_the_same_scope(demo_app):
    with _session(demo_app) as s:
        tokens = {login: api_tokens.issue(s, SYSTEM, s.scalar(select(Person.id).where(Person.login == login)),
                                          "панель", timedelta(days=1)).token for login in ("head", "volkov")}
        department = s.scalar(select(Organization.id).where(Organization.name == DEPARTMENT))
        other = f.make_department(s, name="Управление образования Окружной администрации г. Якутска").id
        s.commit()
    client = demo_app.test_client()
    api_period = PERIOD.replace("from=", "period_from=").replace("to=", "period_to=")

    def get(login: str, path: str):
        return client.get(path, headers={"Authorization": f"Bearer {tokens[login]}"})

    found = get("head", f"/api/v1/dashboard?{api_period}").get_json()
    assert found["target_percent"] == 70 and found["figures"]["status"]["total"] == 5
    assert found["coverage"]["staff"] > 0 and department in [o["id"] for o in found["organizations"]]
    page = get("head", f"/api/v1/dashboard/status?{api_period}&page_size=2")
    assert page.status_code == 200 and len(page.get_json()) == 2 and '"total": 5' in page.headers["X-Pagination"]
    assert get("head", f"/api/v1/dashboard/status?{api_period}&page=9").get_json() == []
    assert get("head", f"/api/v1/dashboard?organization_id={other}").status_code == 403
    assert get("volkov", "/api/v1/dashboard").status_code == 403
    assert get("head", "/api/v1/dashboard?period_from=вчера").status_code == 422
    workbook = get("head", f"/api/v1/dashboard.xlsx?{api_period}")
    assert workbook.status_code == 200 and workbook.data[:2] == b"PK"


def staff_shown(html: str) -> int:
    """The coverage's denominator as the page shows it («N человек вовлечены из M»)."""
    note = html.split('id="figure-coverage"', 1)[1].split('class="figure__note">', 1)[1].split("</span>", 1)[0]
    return int(re.search(r"из (\d+)", note).group(1))


def test_the_head_sees_when_the_figures_were_counted_and_recounts_them(demo_database, tmp_path):
    """As deployed (the worker's refresh period of 10 minutes): the page says when its figures were counted, serves
    them as counted to the next request, and «Пересчитать сейчас» counts them anew; the API says when, too."""
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_database, copy)
    app = make_test_app(f"sqlite:///{copy.as_posix()}", MONITORING_REFRESH_MINUTES=10)
    try:
        head = client_as(app, "head")
        html = head.get(f"/dashboard?{PERIOD}").text
        assert "Показатели подсчитаны" in text(html) and "списки по ссылкам — всегда на сейчас" in text(html)
        before = staff_shown(html)
        with _session(app) as s:
            department = s.scalar(select(Organization).where(Organization.name == DEPARTMENT))
            f.make_person(s, organization_id=department.id, participant_kind="pedagogue")
            s.commit()
        served = head.get(f"/dashboard?{PERIOD}").text
        assert staff_shown(served) == before  # as counted a moment ago
        recount = re.search(r'<a href="([^"]+)" id="recount">Пересчитать сейчас</a>', served).group(1)
        assert "fresh=1" in recount and "from=" in recount
        assert staff_shown(head.get(recount.replace("&amp;", "&")).text) == before + 1
        assert staff_shown(head.get(f"/dashboard?{PERIOD}").text) == before + 1  # and kept so
        with _session(app) as s:
            token = api_tokens.issue(s, SYSTEM, s.scalar(select(Person.id).where(Person.login == "head")),
                                     "панель", timedelta(days=1)).token
            s.commit()
        found = app.test_client().get("/api/v1/dashboard?fresh=true",
                                      headers={"Authorization": f"Bearer {token}"}).json
        assert found["counted_at"] and found["coverage"]["staff"] >= before + 1
    finally:
        database(app).dispose()
