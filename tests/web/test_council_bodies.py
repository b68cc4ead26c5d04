"""The pedagogical council in the browser's terms (004 прил. 1 п. 3.1.1): on a department bound to the yakutsk pack
the council page is the pack's only body, «Педагогический совет»; the curator forms it and schedules a meeting with
the pack's question «Рассмотрение плана…», the chair holds it, the members vote, the secretary draws up the protocol
(«ПРОТОКОЛ № 1», «заседания педагогического совета»), the chair and the secretary sign; then «Об утверждении плана…»
offers that protocol and the draft cites its date and number. A body the pack does not list: a Russian message."""
from __future__ import annotations

from sqlalchemy import select

from engine.db.models import CouncilSession, Order, Organization
from tests.web.conftest import csrf_token, login
from tests.web.test_model_orders import _deploy
from web.db import database

PLAN = "Рассмотрение плана реализации целевой модели наставничества"


def _client(app, name: str):
    client = app.test_client()
    login(client, name)
    return client


def _post(client, page: str, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token(client.get(page).text), **data})


def test_the_pedagogical_council_protocol_feeds_the_plan_order(app, seed):
    _deploy(app)
    org, people = seed.org.id, seed.people
    with database(app).session_factory() as s:  # the department is bound to the yakutsk pack for this story
        s.get(Organization, org).regulation = "yakutsk"
        s.commit()
    head_id, mentor_id, methodologist_id = (people[r].id for r in ("head", "mentor", "methodologist"))
    curator = _client(app, "curator")
    page = curator.get(f"/council?org={org}")
    assert page.status_code == 200 and "Педагогический совет" in page.text and "Совет наставников" not in page.text
    assert "Коллегиальные органы" in page.text  # the menu item
    for person in (head_id, mentor_id, methodologist_id):
        assert _post(curator, "/council", f"/council/{org}/members", {"person_id": person,
                                                                     "body": "pedagogical_council"}).status_code == 302
    _post(curator, "/council", f"/council/{org}/chair", {"person_id": head_id, "body": "pedagogical_council"})
    assert PLAN in curator.get(f"/council?org={org}").text  # the pack's question to tick when scheduling
    scheduled = _post(curator, "/council", f"/council/{org}/sessions",
                      {"held_on": "2025-08-29", "place": "актовый зал", "agenda": "", "body": "pedagogical_council",
                       "considers": "implementation_plan"})
    assert scheduled.status_code == 302 and "body=pedagogical_council" in scheduled.headers["Location"]
    with database(app).session_factory() as s:
        found = s.scalar(select(CouncilSession))
        session_id, item = found.id, found.items[0].id
        assert found.council.body == "pedagogical_council" and found.items[0].title == PLAN
    show = f"/council/sessions/{session_id}"
    head, mentor, methodologist = _client(app, "head"), _client(app, "mentor"), _client(app, "methodologist")
    assert _post(head, show, f"{show}/hold", {"present": [head_id, mentor_id, methodologist_id],
                                             "secretary_id": mentor_id, "votes_for": 3}).status_code == 302
    for client in (head, mentor, methodologist):
        _post(client, show, f"{show}/items/{item}/vote", {"choice": "for"})
    _post(mentor, show, f"{show}/items/{item}/record", {"key_points": "План обсуждён", "proposals": "",
                                                         "decision": "Рекомендовать план к утверждению"})
    _post(mentor, show, f"{show}/protocol", {})
    _post(head, show, f"{show}/sign", {})
    _post(mentor, show, f"{show}/sign", {})
    html = head.get(show).text
    assert "Педагогический совет: протокол № 1" in html and "протокол подписан" in html
    assert "Согласовать решение" not in html  # 000 §4.3's agreement is the mentors' council's
    assert head.get(f"{show}/protocol.pdf").data.startswith(b"%PDF")

    form = curator.get("/model-orders/implementation_plan")
    assert form.status_code == 200 and f"Протокол № 1 от 29.08.2025: {PLAN}" in form.text
    sent = curator.post("/model-orders/implementation_plan", data={
        "csrf_token": csrf_token(form.text), "plan_title": "Дорожная карта на 2025/2026 учебный год",
        "starts_on": "2025-09-15", "council_protocol_id": str(session_id)})
    assert sent.status_code == 302
    with database(app).session_factory() as s:
        body = s.scalars(select(Order.body).where(Order.type == "implementation_plan")).one()
    assert "протокол от 29.08.2025 № 1" in " ".join(body.split())

    refused = curator.get(f"/council?org={org}&body=mentors_council", follow_redirects=True)
    assert refused.status_code == 200 and "не предусматривает орган «Совет наставников»" in refused.text


def test_a_member_of_the_pedagogical_council_only_lands_on_it(app, seed):
    """The school pack lists both bodies; a teacher who sits only on the pedagogical council opens «Коллегиальные
    органы» on it, and may switch to the mentors' council."""
    org, people = seed.org.id, seed.people
    with database(app).session_factory() as s:
        s.get(Organization, org).regulation = "school"
        s.commit()
    curator = _client(app, "curator")
    _post(curator, "/council", f"/council/{org}/members", {"person_id": people["mentor"].id,
                                                         "body": "pedagogical_council"})
    page = _client(app, "mentor").get("/council").text
    assert "<h1>Педагогический совет" in page and f'href="/council?org={org}&amp;body=mentors_council"' in page
