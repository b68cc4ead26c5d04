"""``/api/v1/registries/…xlsx``: the registries and the statistical form as the pages give them — the curator's
organizations only, typed cells, the people in a file in the access log; others get 403, errors in Russian."""
from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from engine.db.models import AccessLogEntry
from engine.documents.xlsx import MIMETYPE


def _rows(response, sheet: str) -> list[tuple]:
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == MIMETYPE and "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    assert book[sheet].freeze_panes == "A2"
    return list(book[sheet].iter_rows(min_row=2, values_only=True))


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_the_curator_downloads_her_registries_and_the_form(api_world):
    [mentor] = _rows(api_world.get("/api/v1/registries/mentors.xlsx", "curator"), "Наставники")
    assert mentor[0].startswith("Волков") and isinstance(mentor[10], int)
    mentees = _rows(api_world.get("/api/v1/registries/mentees.xlsx?q=орлова", "curator"), "Наставляемые")
    assert [row[0] for row in mentees] == ["Орлова Ирина Сергеевна"]
    [pair] = _rows(api_world.get("/api/v1/registries/pairs.xlsx", "curator"), "Пары и группы")
    assert isinstance(pair[0], int) and pair[3].startswith("Орлова") and pair[11] == "формируется"
    assert _rows(api_world.get("/api/v1/registries/programs.xlsx", "curator"), "Программы") == []  # not signed yet
    form = {row[0]: row[2] for row in _rows(api_world.get("/api/v1/registries/statistical-form.xlsx", "curator"),
                                            "Форма 003 п. 3.3")}
    assert form["1"] == 0 and form["5"] == 1 and form["6"] == 2  # no program yet; the banks have volkov, 2 mentees
    with api_world.session_factory() as session:
        logged = set(session.scalars(select(AccessLogEntry.subject_id).where(
            AccessLogEntry.viewer_id == api_world.ids["curator"],
            AccessLogEntry.purpose == "выгрузка реестра пар и групп")))
    assert logged == {api_world.ids["volkov"], api_world.ids["orlova"]}


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_others_get_nothing_of_hers(api_world):
    assert _rows(api_world.get("/api/v1/registries/mentors.xlsx", "other_curator"), "Наставники") == []
    refused = api_world.get(f"/api/v1/registries/statistical-form.xlsx?organization_id={api_world.org_id}",
                            "other_curator")
    assert refused.status_code == 403 and "куратор" in refused.get_json()["message"]
    for login in ("head", "volkov", "orlova"):
        assert api_world.get("/api/v1/registries/mentors.xlsx", login).status_code == 403
    assert api_world.get("/api/v1/registries/mentors.xlsx").status_code == 401
    unknown = api_world.get("/api/v1/registries/orders.xlsx", "curator")
    assert unknown.status_code == 404 and "нет реестра «orders»" in unknown.get_json()["message"]
    bad = api_world.get("/api/v1/registries/statistical-form.xlsx?on=01.06.2025", "curator")
    assert bad.status_code == 422 and "ожидается дата" in bad.get_json()["message"]
    late = api_world.get("/api/v1/registries/statistical-form.xlsx?on=2025-06-01&since=2025-07-01", "curator")
    assert late.status_code == 422 and "начало периода позже даты формы" in late.get_json()["message"]
