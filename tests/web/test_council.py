"""«Совет наставников» in the browser's terms (000 §4–5): the curator forms the council and schedules a session,
the chair holds it, the members present vote, the secretary records and draws the protocol up, the chair and the
secretary sign, the head agrees the decision; the protocol downloads as PDF and DOCX; a stranger gets 403."""
from __future__ import annotations

from sqlalchemy import select

from engine.db.models import CouncilSession, Organization, Person
from engine.demo.world import DEPARTMENT
from tests.web.conftest import csrf_token
from tests.web.test_programs import _session, client_as, demo_app  # noqa: F401 - fixture


def _ids(app, *logins: str) -> list[int]:
    with _session(app) as s:
        return [s.scalar(select(Person.id).where(Person.login == login)) for login in logins]


def _post(client, page: str, url: str, data: dict):
    token = csrf_token(client.get(page).text)
    return client.post(url, data={"csrf_token": token, **data})


def test_a_council_session_from_agenda_to_the_agreed_decision(demo_app):
    app = demo_app
    with _session(app) as s:
        org = s.scalar(select(Organization.id).where(Organization.name == DEPARTMENT))
    volkov, morozova, head_id = _ids(app, "volkov", "morozova", "head")
    curator = client_as(app, "curator")
    assert "Совет наставников" in curator.get("/council").text
    for person in (volkov, morozova):
        assert _post(curator, "/council", f"/council/{org}/members", {"person_id": person}).status_code == 302
    _post(curator, "/council", f"/council/{org}/chair", {"person_id": volkov})
    response = _post(curator, "/council", f"/council/{org}/sessions",
                     {"held_on": "2026-03-12", "place": "актовый зал", "agenda": "Итоги полугодия\nПлан на весну"})
    assert response.status_code == 302
    with _session(app) as s:
        found = s.scalar(select(CouncilSession))
        session_id, items = found.id, [i.id for i in found.items]
    page = f"/council/sessions/{session_id}"
    chair, secretary = client_as(app, "volkov"), client_as(app, "morozova")
    assert _post(chair, page, f"{page}/hold", {"present": [volkov, morozova], "secretary_id": morozova,
                                              "votes_for": 2}).status_code == 302
    for client in (chair, secretary):
        for item in items:
            _post(client, page, f"{page}/items/{item}/vote", {"choice": "for"})
    for item in items:
        _post(secretary, page, f"{page}/items/{item}/record", {"key_points": "Обсудили", "proposals": "",
                                                               "decision": "Одобрить"})
    _post(secretary, page, f"{page}/protocol", {})
    _post(chair, page, f"{page}/sign", {})
    _post(secretary, page, f"{page}/sign", {})
    html = chair.get(page).text
    assert "протокол подписан" in html and "Присутствовали: 2 из 2" in html and "Я подтверждаю этот документ" in html
    head = client_as(app, "head")
    _post(head, page, f"{page}/items/{items[0]}/agreement", {"agreed": "yes"})
    assert "Согласовано администрацией" in head.get(page).text
    assert head.get(f"{page}/protocol.pdf").data.startswith(b"%PDF")
    assert head.get(f"{page}/protocol.docx").data.startswith(b"PK")
    assert head_id and client_as(app, "orlova").get(page).status_code == 403
    # bad input: a clear Russian message, not a 500
    bad = _post(curator, "/council", f"/council/{org}/sessions", {"held_on": "", "agenda": "Вопрос"})
    assert bad.status_code == 303 and "укажите дату проведения" in curator.get("/council").text
