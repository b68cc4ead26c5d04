"""«Выгрузить в Excel» on the curator's registries and the statistical form on their overview: the file comes under
its Russian name and MIME type, holds the registry's rows (the search kept), typed; a mentor gets 403."""
from __future__ import annotations

from datetime import datetime
from io import BytesIO
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from engine.db.models import AccessLogEntry
from engine.documents.xlsx import MIMETYPE
from tests.web.curator_world import curator_app, curator_client, log_in, world  # noqa: F401

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def _book(response):
    assert response.status_code == 200 and response.mimetype == MIMETYPE
    return load_workbook(BytesIO(response.data))


@BOTH
def test_each_registry_page_offers_its_excel_file_with_the_search_kept(curator_client, world, db_session_factory):
    page = curator_client.get("/registries/mentees?q=орлова").text
    link = "/registries/mentees.xlsx?q=" + quote("орлова")
    assert f'href="{link}"' in page and "Выгрузить в Excel" in page
    response = curator_client.get(link)
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''" + quote("реестр-наставляемых-") in disposition and disposition.endswith(".xlsx")
    sheet = _book(response)["Наставляемые"]
    assert sheet.freeze_panes == "A2"
    [row] = list(sheet.iter_rows(min_row=2, values_only=True))  # the search's one row, not the registry
    assert row[0] == "Орлова Ирина Сергеевна" and isinstance(row[5], datetime)

    mentors = _book(curator_client.get("/registries/mentors.xlsx"))["Наставники"]
    names = sorted(row[0] for row in mentors.iter_rows(min_row=2, values_only=True))
    assert names == ["Волков Игорь Николаевич", "Морозова Наталья Ивановна"]
    assert mentors["G2"].value.date() == world.started_on  # the term's start: a date cell
    programs = _book(curator_client.get("/registries/programs.xlsx"))["Программы"]
    assert {row[0] for row in programs.iter_rows(min_row=2, values_only=True)} >= {world.program_id}
    assert 'href="/registries/pairs.xlsx"' in curator_client.get("/registries/pairs").text
    with db_session_factory() as session:
        logged = set(session.scalars(select(AccessLogEntry.subject_id).where(
            AccessLogEntry.viewer_id == world.ids["curator"],
            AccessLogEntry.purpose == "выгрузка реестра наставников")))
    assert logged == {world.ids["volkov"], world.ids["morozova"]}


@SQLITE
def test_the_overview_offers_the_statistical_form_on_a_date(curator_client, world):
    index = curator_client.get("/registries").text
    assert 'action="/registries/statistical-form.xlsx"' in index and 'name="on"' in index
    response = curator_client.get("/registries/statistical-form.xlsx?on=" + datetime.now().date().isoformat())
    assert "filename*=UTF-8''" + quote("статистическая-форма-") in response.headers["Content-Disposition"]
    rows = {row[0]: row for row in _book(response)["Форма 003 п. 3.3"].iter_rows(min_row=2, values_only=True)}
    assert rows["1.1"][1] == "из них наставники" and rows["1.1"][2] == 2  # volkov and morozova lead a pair each
    assert rows["1.2"][2] == 2 and rows["2.1"][2] == 2 and rows["5"][2] == 2
    refused = curator_client.get("/registries/statistical-form.xlsx?on=01.06.2025")
    assert refused.status_code == 422 and "ожидается дата в виде ГГГГ-ММ-ДД" in refused.text


@SQLITE
@pytest.mark.parametrize("path", ["/registries/mentors.xlsx", "/registries/pairs.xlsx",
                                  "/registries/statistical-form.xlsx"])
def test_only_curators_download(curator_app, world, path):
    client = curator_app.test_client()
    log_in(client, "volkov")
    assert client.get(path).status_code == 403


@SQLITE
def test_a_curator_of_two_organizations_picks_whose_form_to_file(curator_client, world, db_session_factory):
    from engine.db.models import Organization, Person
    from tests import factories as f

    with db_session_factory() as session:
        curator = session.get(Person, world.ids["curator"])
        first = session.get(Organization, curator.organization_id)
        second = f.make_organization(session, parent=first, name="МАОУ СОШ № 7 г. Томска", short_name="СОШ № 7")
        f.make_role(session, curator, second, "curator")
        session.commit()
        second_id = second.id
    index = curator_client.get("/registries").text
    assert 'name="organization_id"' in index and f'<option value="{second_id}">СОШ № 7</option>' in index
    assert 'name="since"' in index
    response = curator_client.get(f"/registries/statistical-form.xlsx?organization_id={second_id}")
    book = _book(response)
    about = {row[0]: row[1] for row in book["Сведения"].iter_rows(min_row=2, values_only=True)}
    assert about["Организация"] == "СОШ № 7"
    rows = {row[0]: row for row in book["Форма 003 п. 3.3"].iter_rows(min_row=2, values_only=True)}
    assert rows["1.1"][2] == 0  # the new school has no mentors of its own
