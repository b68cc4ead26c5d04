"""«Фонд надбавок наставникам» (003 §9.3; issue 15 item 3) on a copy of the demo: the head opens it from her menu,
sees each head-mentor of the year with the salaries the regulation's table gives (volkov's two pairs: 4 оклада;
one mentee: 3), the programs and mentees behind them and the grounds the rule found for sokolova's early
completion; she revokes it — not without the reason — and the decision is kept and audited; the curator, a mentor
and another organization's head are refused, on the page, the form and the JSON API alike."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.db.models import AccessLogEntry, AuditEntry, MentorBonus, Organization, Person
from engine.demo.world import DEPARTMENT
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests import factories as f
from tests.web.conftest import csrf_token
from tests.web.test_program_bonus import text
from tests.web.test_programs import _session, client_as
from tests.web.test_visible_russian import demo_app  # noqa: F401 - fixture: the demo story on both backends


def demo_year(app) -> int:
    with _session(app) as s:
        return s.scalar(select(MentorBonus.term_starts_on).order_by(MentorBonus.term_starts_on)).year


def record_of(app, login: str) -> int:
    with _session(app) as s:
        return s.scalar(select(MentorBonus.id).join(Person, MentorBonus.mentor_id == Person.id)
                        .where(Person.login == login))


@pytest.fixture
def other_head(demo_app):
    """The head of another department, with the demo head's password."""
    with _session(demo_app) as s:
        other = f.make_department(s, name="Управление образования Окружной администрации г. Якутска")
        head = s.scalar(select(Person).where(Person.login == "head"))
        person = f.make_person(s, login="other_head", full_name="Иванова Светлана Петровна",
                               password_hash=head.password_hash)
        f.make_role(s, person, other, "head")
        s.commit()
    return client_as(demo_app, "other_head")


def test_the_head_sees_the_year_from_her_menu_with_basis_and_grounds(demo_app):
    year = demo_year(demo_app)
    head = client_as(demo_app, "head")
    assert 'href="/bonus-fund"' in head.get("/orders").text  # «Фонд надбавок наставникам» in her menu
    page = text(head.get(f"/bonus-fund?year={year}").text)
    assert "Фонд надбавок наставникам" in page
    assert "Волков Игорь Николаевич — 4 оклада" in page  # two separate pairs are two mentees (003 §9.3)
    assert "Морозова Наталья Ивановна — 3 оклада" in page and "Наставляемых за срок: 1." in page
    assert "Новикова Мария Андреевна" in page and "Орлова Ирина Сергеевна" in page  # the basis: the mentees
    assert "Основание для отмены: невыполнение программы (дорожной карты) (003 §9.3)" in page  # sokolova's grounds
    assert "решает руководитель" in page and "Записать решение" in page
    assert f"За {year - 5} год увеличений премиального фонда наставникам нет." in text(
        head.get(f"/bonus-fund?year={year - 5}").text)
    assert 'href="/bonus-fund"' not in client_as(demo_app, "curator").get("/inbox").text


def test_the_head_revokes_only_with_a_reason_and_the_decision_is_kept(demo_app):
    year, bonus_id = demo_year(demo_app), record_of(demo_app, "sokolova")
    head = client_as(demo_app, "head")
    token = csrf_token(head.get(f"/bonus-fund?year={year}").text)
    url = f"/bonus-fund/{bonus_id}/decision?year={year}"
    missing = head.post(url, data={"csrf_token": token, "revoked": "yes", "reason": " "})
    assert missing.status_code == 422
    assert f'id="reason-{bonus_id}" rows="2" maxlength="2000" aria-invalid="true"' in missing.text
    assert "Основание решения" in missing.text and "укажите основание решения (003 §9.3)" in missing.text
    unchosen = head.post(url, data={"csrf_token": token, "reason": "x"})
    assert unchosen.status_code == 422 and "Выберите: сохранить или отменить увеличение." in unchosen.text
    assert head.post(url, data={"revoked": "yes", "reason": "без токена"}).status_code == 400  # CSRF
    done = head.post(url, data={"csrf_token": token, "revoked": "yes", "reason": "отчёты по этапам не представлены"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"#bonus-{bonus_id}")
    page = text(head.get(done.headers["Location"]).text)
    assert "увеличение отменено — Петрова Ольга Викторовна" in page and "отчёты по этапам не представлены" in page
    with _session(demo_app) as s:
        record = s.get(MentorBonus, bonus_id)
        assert (record.revoked, record.reason) == (True, "отчёты по этапам не представлены")
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "mentor_bonus.decided")
                          .order_by(AuditEntry.id.desc())).first()
        assert entry.object_id == str(bonus_id) and entry.details["revoked"] is True


@pytest.mark.parametrize("who", ["curator", "volkov", "novikova", "methodologist"])
def test_other_roles_are_refused(demo_app, who):
    client = client_as(demo_app, who)
    assert client.get("/bonus-fund").status_code == 403
    token = csrf_token(client.get("/", follow_redirects=True).text)  # the logout form's
    assert client.post(f"/bonus-fund/{record_of(demo_app, 'sokolova')}/decision",
                       data={"csrf_token": token, "revoked": "no"}).status_code == 403


def test_another_organizations_head_sees_none_and_decides_nothing(demo_app, other_head):
    year = demo_year(demo_app)
    page = other_head.get(f"/bonus-fund?year={year}")
    assert page.status_code == 200 and "Волков" not in page.text
    with _session(demo_app) as s:
        department = s.scalar(select(Organization.id).where(Organization.name == DEPARTMENT))
    assert other_head.get(f"/bonus-fund?year={year}&org={department}").status_code == 403
    assert other_head.post(f"/bonus-fund/{record_of(demo_app, 'sokolova')}/decision",
                           data={"csrf_token": csrf_token(page.text), "revoked": "no"}).status_code == 403


def test_the_api_gives_the_same_ledger_with_the_same_scope(demo_app, other_head):
    year = demo_year(demo_app)
    with _session(demo_app) as s:
        tokens = {login: api_tokens.issue(s, SYSTEM, s.scalar(select(Person.id).where(Person.login == login)),
                                          "учёт", timedelta(days=1)).token for login in ("head", "curator", "other_head")}
        department = s.scalar(select(Organization.id).where(Organization.name == DEPARTMENT))
        s.commit()
    client = demo_app.test_client()

    def get(login: str, query: str):
        return client.get(f"/api/v1/bonus-fund?{query}", headers={"Authorization": f"Bearer {tokens[login]}"})

    found = get("head", f"year={year}").get_json()
    rows = {row["mentor"]: row for row in found["rows"]}
    assert rows["Волков Игорь Николаевич"]["salaries"] == 4 and rows["Морозова Наталья Ивановна"]["salaries"] == 3
    sokolova = rows["Соколова Анна Дмитриевна"]
    assert sokolova["state"] == "undecided" and sokolova["verdict"] == "revocation_possible"
    assert any(g["source"] == "003 §9.3" and "невыполнение программы" in g["message"] for g in sokolova["grounds"])
    assert sokolova["programs"][0]["mentees"] == ["Павлов Константин Игоревич"]
    assert get("curator", f"year={year}").status_code == 403
    assert get("other_head", f"year={year}&organization_id={department}").status_code == 403
    assert get("other_head", f"year={year}").get_json()["rows"] == []
    made = client.get(f"/api/v1/bonus-fund/export.xlsx?year={year}", headers={"Authorization": f"Bearer {tokens['head']}"})
    assert made.status_code == 200 and {row[1] for row in _sheets(made.data)["Фонд надбавок"][1:]} == set(rows)
    assert client.get(f"/api/v1/bonus-fund/export.xlsx?year={year}&organization_id={department}",
                      headers={"Authorization": f"Bearer {tokens['other_head']}"}).status_code == 403


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_ledger_downloads_as_xlsx_with_decisions_and_basis_the_page_shows(demo_app, other_head):
    year, bonus_id = demo_year(demo_app), record_of(demo_app, "sokolova")
    head = client_as(demo_app, "head")
    page = head.get(f"/bonus-fund?year={year}").text
    assert f'href="/bonus-fund/export.xlsx?year={year}"' in page
    head.post(f"/bonus-fund/{bonus_id}/decision?year={year}",
              data={"csrf_token": csrf_token(page), "revoked": "yes", "reason": "отчёты по этапам не представлены"})
    with _session(demo_app) as s:
        logged_before = s.scalar(select(func.count()).select_from(AccessLogEntry))
    made = head.get(f"/bonus-fund/export.xlsx?year={year}")
    assert made.status_code == 200 and made.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in made.headers["Content-Disposition"] and f"{year}.xlsx" in made.headers["Content-Disposition"]
    sheets = _sheets(made.data)
    assert list(sheets) == ["Фонд надбавок", "Основание", "Сведения"]
    heading, *rows = sheets["Фонд надбавок"]
    assert heading[1] == "Руководитель-наставник" and heading[5] == "Увеличение, окладов (003 §9.3)"
    by_mentor = {row[1]: row for row in rows}
    volkov, sokolova = by_mentor["Волков Игорь Николаевич"], by_mentor["Соколова Анна Дмитриевна"]
    assert (volkov[4], volkov[5], volkov[6], volkov[7]) == (2, 4, 4, "решение не принято")  # typed numbers
    assert isinstance(volkov[2], datetime)  # a date cell, not text
    assert (sokolova[6], sokolova[7], sokolova[9]) == (0, "увеличение отменено", "отчёты по этапам не представлены")
    assert "невыполнение программы" in sokolova[8] and sokolova[10] == "Петрова Ольга Викторовна"
    page_total = text(head.get(f"/bonus-fund?year={year}").text)
    about = dict(sheets["Сведения"][1:])
    assert f"с учётом решений: {about['Итого окладов с учётом решений']} оклад" in page_total
    basis = {(row[0], row[5]) for row in sheets["Основание"][1:]}
    assert ("Соколова Анна Дмитриевна", "Павлов Константин Игоревич") in basis
    with _session(demo_app) as s:  # the mentors in the file are in the access log (152-ФЗ)
        assert s.scalar(select(func.count()).select_from(AccessLogEntry)) >= logged_before + len(rows)
    with _session(demo_app) as s:
        department = s.scalar(select(Organization.id).where(Organization.name == DEPARTMENT))
    assert other_head.get(f"/bonus-fund/export.xlsx?year={year}&org={department}").status_code == 403
    assert _sheets(other_head.get(f"/bonus-fund/export.xlsx?year={year}").data)["Фонд надбавок"][1:] == []
    assert client_as(demo_app, "curator").get(f"/bonus-fund/export.xlsx?year={year}").status_code == 403
