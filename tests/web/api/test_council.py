"""``/api/v1/council`` (000 §4–5): the curator's council of the department holds a session — through the services, as
the pages do — and its members use the API: a member present votes on an item and sees the tally, a member absent,
the head and a stranger may not vote (403 before the body is read), a wrong choice is refused in Russian; once the
protocol is drawn up and signed, its metadata names the hash and the addresses of the PDF and the DOCX."""
from __future__ import annotations

from datetime import date

from engine.db.models import Organization, Person
from engine.services.council import base, protocol, sessions
from engine.services.people.actor import actor_of


def _held_session(api_world) -> tuple[int, list[int]]:
    """volkov (chair) and novikova (secretary) present, orlova a member who did not come; two items."""
    ids = api_world.ids
    with api_world.session_factory() as s:
        curator = actor_of(s, s.get(Person, ids["curator"]))
        for login in ("volkov", "novikova", "orlova"):
            base.add_member(s, curator, api_world.org_id, ids[login])
        base.set_chair(s, curator, api_world.org_id, ids["volkov"])
        found = sessions.schedule(s, curator, api_world.org_id, held_on=date(2026, 3, 12), place="актовый зал",
                                  agenda=["Итоги полугодия", "План на весну"])
        sessions.hold(s, actor_of(s, s.get(Person, ids["volkov"])), found.id,
                      present=[ids["volkov"], ids["novikova"]], secretary_id=ids["novikova"], votes_for=2)
        s.commit()
        return found.id, [item.id for item in found.items]


def _sign(api_world, session_id: int, items: list[int]) -> None:
    ids = api_world.ids
    with api_world.session_factory() as s:
        secretary = actor_of(s, s.get(Person, ids["novikova"]))
        for item in items:
            sessions.record_item(s, secretary, session_id, item, key_points="Обсудили", proposals="",
                                 decision="Одобрить")
        protocol.draw_up(s, secretary, session_id)
        protocol.sign(s, actor_of(s, s.get(Person, ids["volkov"])), session_id)
        protocol.sign(s, secretary, session_id)
        s.commit()


def test_a_member_present_votes_and_the_protocol_is_downloaded(api_world):
    session_id, items = _held_session(api_world)
    url = f"/api/v1/council/sessions/{session_id}"

    councils = api_world.get("/api/v1/council", "head")
    assert councils.status_code == 200
    [council] = councils.json
    assert council["organization_id"] == api_world.org_id and council["chair_id"] == api_world.ids["volkov"]
    assert [s["id"] for s in council["sessions"]] == [session_id]
    assert council["sessions"][0]["status_label"] == "проведена, идёт голосование"
    assert api_world.get("/api/v1/council", "nobody").json == []
    assert api_world.get(f"/api/v1/council?organization_id={api_world.org_id}", "other_curator").status_code == 403

    cast = api_world.post(f"{url}/items/{items[0]}/vote", "volkov", json={"choice": "for"})
    assert cast.status_code == 200, cast.json
    item = cast.json["agenda"][0]
    assert item["mine"] == "for" and item["tally"]["votes_for"] == 1 and item["tally"]["present"] == 2
    assert item["tally"]["members"] == 3 and item["tally"]["quorum"] is True
    assert cast.json["present"] == sorted([api_world.ids["volkov"], api_world.ids["novikova"]])
    assert cast.json["may"]["vote"] is True and cast.json["protocol"]["drawn_up"] is False
    again = api_world.post(f"{url}/items/{items[0]}/vote", "volkov", json={"choice": "against"})
    assert again.json["agenda"][0]["tally"]["votes_for"] == 0 and again.json["agenda"][0]["tally"]["against"] == 1
    api_world.post(f"{url}/items/{items[0]}/vote", "novikova", json={"choice": "for"})
    api_world.post(f"{url}/items/{items[1]}/vote", "novikova", json={"choice": "against"})
    back = api_world.post(f"{url}/items/{items[0]}/vote", "volkov", json={"choice": "for"}).json["agenda"]
    assert back[0]["tally"]["words"] == "решение принято" and back[1]["tally"]["words"] == "решение не принято"

    # only the members present vote, checked before the body is read; the answer is Russian
    for login in ("orlova", "head"):
        refused = api_world.post(f"{url}/items/{items[0]}/vote", login, json={"choice": "maybe"})
        assert refused.status_code == 403 and "голосуют только присутствующие" in refused.json["message"]
    assert api_world.post(f"{url}/items/{items[0]}/vote", "other_curator", json={"choice": "for"}).status_code == 403
    assert api_world.get(url, "other_curator").status_code == 403
    assert api_world.get("/api/v1/council/sessions/999999", "head").status_code == 404
    bad = api_world.post(f"{url}/items/{items[0]}/vote", "volkov", json={"choice": "maybe"})
    assert bad.status_code == 422 and "допустимые значения" in bad.json["message"]
    stranger_item = api_world.post(f"{url}/items/999999/vote", "volkov", json={"choice": "for"})
    assert stranger_item.status_code == 422 and "нет вопроса № 999999" in stranger_item.json["message"]
    assert api_world.post(f"{url}/items/{items[0]}/vote", "volkov").status_code == 422  # no body

    draft = api_world.get(f"{url}/protocol", "head")
    assert draft.status_code == 200 and draft.json["drawn_up"] is False and draft.json["pdf"] is None
    not_yet = api_world.get(f"{url}/protocol.pdf", "head")
    assert not_yet.status_code == 409 and "ещё не оформлен" in not_yet.json["message"]

    _sign(api_world, session_id, items)
    meta = api_world.get(f"{url}/protocol", "head").json
    assert meta["drawn_up"] and meta["signed"] and meta["verified"] and len(meta["sha256"]) == 64
    assert len(meta["stamps"]) == 2 and meta["kept_until"] is not None
    assert meta["pdf"] == f"{url}/protocol.pdf" and meta["docx"] == f"{url}/protocol.docx"
    pdf = api_world.get(meta["pdf"], "orlova")  # a member who did not come still sees the protocol
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert api_world.get(meta["docx"], "head").data.startswith(b"PK")
    shown = api_world.get(url, "head").json
    assert shown["status"] == "signed" and [i["result"] for i in shown["agenda"]] == ["adopted", "rejected"]
    assert shown["may"]["agree"] is True and shown["may"]["vote"] is False
    late = api_world.post(f"{url}/items/{items[1]}/vote", "volkov", json={"choice": "for"})
    assert late.status_code == 409 and "голосование" in late.json["message"]


PLAN = "Рассмотрение плана реализации целевой модели наставничества"


def _school(api_world) -> None:
    """The department is bound to the school pack for the story: both its collegial bodies (the mentors' council,
    the pedagogical council; rules/school/pack.yaml ``council_bodies``)."""
    with api_world.session_factory() as s:
        s.get(Organization, api_world.org_id).regulation = "school"
        s.commit()


def _ok(response, status: int = 200):
    assert response.status_code == status, response.json
    return response.json


def _refused(response, status: int, field: str | None = None, words: str = "") -> None:
    assert response.status_code == status, response.json
    assert words in response.json["message"], response.json["message"]
    if field is not None:
        errors = response.json["errors"]
        assert field in errors or field in errors.get("json", {}), errors


def test_the_mentors_council_works_through_the_api_from_forming_to_the_heads_agreement(api_world):
    """000 §4–5 through the API only, on the school pack: the curator forms the council and names the chair, the chair
    schedules a session, the curator adds a question, the chair holds it (the secretary elected), the members present
    vote, the secretary records both items and draws the protocol up, the chair and the secretary sign it, the head
    agrees the adopted decision (000 §4.3) and cannot agree the rejected one. Outsiders are refused before the body is
    read; bad input is a 422 in Russian naming the field."""
    _school(api_world)
    ids, org = api_world.ids, api_world.org_id
    base_url = f"/api/v1/council/{org}"
    mine = _ok(api_world.get(f"/api/v1/council?organization_id={org}", "curator"))
    assert [(c["body"], c["body_label"]) for c in mine] == [("mentors_council", "Совет наставников"),
                                                             ("pedagogical_council", "Педагогический совет")]
    assert mine[0]["may"] == {"form": True, "schedule": False} and ids["volkov"] in {c["id"] for c in mine[0]["candidates"]}
    assert _ok(api_world.get("/api/v1/council?body=pedagogical_council", "head"))[0]["body"] == "pedagogical_council"

    # the curator alone forms the council: others are refused whatever they send
    for login in ("head", "volkov", "other_curator", "nobody"):
        _refused(api_world.post(f"{base_url}/members", login, json={"person_id": "x"}), 403)
    assert api_world.post(f"{base_url}/members", json={"person_id": ids["volkov"]}).status_code == 401
    _refused(api_world.post(f"{base_url}/members", "curator", json={"person_id": "x"}), 422, "person_id",
             "ожидается целое число")
    _refused(api_world.post(f"{base_url}/members", "curator", json={"person_id": ids["volkov"], "body": "duma"}), 422,
             "body", "допустимые значения")
    for login in ("volkov", "novikova", "orlova", "head", "methodologist"):
        council = _ok(api_world.post(f"{base_url}/members", "curator", json={"person_id": ids[login]}), 201)
    assert len(council["members"]) == 5 and council["body"] == "mentors_council"
    _refused(api_world.post(f"{base_url}/members", "curator", json={"person_id": ids["volkov"]}), 422, "person_id",
             "уже в составе совета")
    council = _ok(api_world.post(f"{base_url}/members/{ids['methodologist']}/remove", "curator"))  # no body
    assert ids["methodologist"] not in {m["id"] for m in council["members"]}
    _refused(api_world.post(f"{base_url}/members/{ids['methodologist']}/remove", "curator", json={}), 404)
    _refused(api_world.post(f"{base_url}/chair", "curator", json={"person_id": ids["methodologist"]}), 422,
             "person_id", "только член совета")
    assert _ok(api_world.post(f"{base_url}/chair", "curator", json={"person_id": ids["volkov"]}))["chair_id"] \
        == ids["volkov"]

    # the chair schedules, the curator adds a question; a member who is not the chair may not
    _refused(api_world.post(f"{base_url}/sessions", "novikova", json={}), 403, words="куратор или председатель")
    _refused(api_world.post(f"{base_url}/sessions", "volkov", json={"agenda": ["Итоги полугодия"]}), 422, "held_on",
             "обязательное поле")
    _refused(api_world.post(f"{base_url}/sessions", "volkov", json={"held_on": "2026-03-12", "agenda": []}), 422,
             "agenda", "хотя бы один вопрос")
    planned = _ok(api_world.post(f"{base_url}/sessions", "volkov", json={
        "held_on": "2026-03-12", "place": "актовый зал", "agenda": ["Итоги полугодия"]}), 201)
    assert (planned["status"], planned["number"], planned["may"]["hold"]) == ("planned", 1, True)
    url = f"/api/v1/council/sessions/{planned['id']}"
    _refused(api_world.post(f"{url}/items", "novikova", json={"title": ""}), 403)
    _refused(api_world.post(f"{url}/items", "curator", json={"title": "  "}), 422, "title", "Вопрос повестки")
    items = [i["id"] for i in _ok(api_world.post(f"{url}/items", "curator", json={"title": "План на весну"}),
                                  201)["agenda"]]
    assert len(items) == 2

    # the chair holds it: who came, the secretary elected among them
    hold = {"present": [ids["volkov"], ids["novikova"], ids["head"]], "secretary_id": ids["novikova"], "votes_for": 3}
    _refused(api_world.post(f"{url}/hold", "orlova", json={}), 403)
    _refused(api_world.post(f"{url}/hold", "volkov", json={**hold, "secretary_id": ids["orlova"]}), 422,
             "secretary_id", "из присутствующих")
    _refused(api_world.post(f"{url}/hold", "volkov", json={**hold, "present": [ids["curator"]]}), 422, "present",
             "не из состава совета")
    _refused(api_world.post(f"{url}/hold", "volkov", json={**hold, "votes_for": -1}), 422, "votes_for")
    held = _ok(api_world.post(f"{url}/hold", "volkov", json=hold))
    assert held["status"] == "held" and held["secretary_id"] == ids["novikova"] and held["members_total"] == 4
    _refused(api_world.post(f"{url}/items", "curator", json={"title": "Поздно"}), 409)

    for login, choices in (("volkov", ("for", "against")), ("novikova", ("for", "against")), ("head", ("for", "for"))):
        for item, choice in zip(items, choices, strict=True):
            _ok(api_world.post(f"{url}/items/{item}/vote", login, json={"choice": choice}))

    # the secretary records and draws up; others are refused before the body is read
    record = {"key_points": "Итоги подведены", "proposals": "Провести семинар", "decision": "Одобрить",
              "responsible": "Волков"}
    _refused(api_world.post(f"{url}/items/{items[0]}/record", "volkov", json={"decision": 1}), 403,
             words="секретарь сессии")
    _refused(api_world.post(f"{url}/items/{items[0]}/record", "novikova", json={"decision": "  "}), 422, "decision",
             "заполните поле «Решение»")
    recorded = _ok(api_world.post(f"{url}/items/{items[0]}/record", "novikova", json=record))
    assert recorded["agenda"][0]["key_points"] == "Итоги подведены" and recorded["may"]["record"] is True
    _refused(api_world.post(f"{url}/protocol", "novikova"), 422, "decision", "№ 2")
    _ok(api_world.post(f"{url}/items/{items[1]}/record", "novikova", json={**record, "decision": "Перенести"}))
    _refused(api_world.post(f"{url}/protocol", "volkov"), 403)
    drawn = _ok(api_world.post(f"{url}/protocol", "novikova"))
    assert drawn["status"] == "signing" and drawn["protocol"]["drawn_up"] is True
    assert [i["result"] for i in drawn["agenda"]] == ["adopted", "rejected"]

    # the chair and the secretary sign, each once; the head may not
    _refused(api_world.post(f"{url}/sign", "head"), 403, words="председатель совета и секретарь")
    assert _ok(api_world.post(f"{url}/sign", "volkov"))["status"] == "signing"
    _refused(api_world.post(f"{url}/sign", "volkov"), 403)
    signed = _ok(api_world.post(f"{url}/sign", "novikova"))
    assert signed["status"] == "signed" and signed["protocol"]["signed"] and len(signed["protocol"]["stamps"]) == 2

    # the head agrees the adopted decision (000 §4.3); a refusal needs a note; the rejected one has nothing to agree
    for login in ("volkov", "curator", "other_head"):
        _refused(api_world.post(f"{url}/items/{items[0]}/agreement", login, json={"agreed": "maybe"}), 403)
    _refused(api_world.post(f"{url}/items/{items[0]}/agreement", "head", json={"agreed": "maybe"}), 422, "agreed")
    _refused(api_world.post(f"{url}/items/{items[0]}/agreement", "head", json={"agreed": False}), 422, "note",
             "Замечание")
    agreed = _ok(api_world.post(f"{url}/items/{items[0]}/agreement", "head", json={"agreed": True}))
    assert agreed["agenda"][0]["agreement"] == "agreed"
    _refused(api_world.post(f"{url}/items/{items[0]}/agreement", "head", json={"agreed": True}), 409,
             words="уже рассмотрено")
    _refused(api_world.post(f"{url}/items/{items[1]}/agreement", "head", json={"agreed": True}), 409,
             words="решение не принято")
    assert api_world.get(f"{url}/protocol.pdf", "orlova").data.startswith(b"%PDF")  # a member who stayed away
    assert api_world.get(url, "other_curator").status_code == 403


def test_the_pedagogical_council_considers_the_plan_and_its_protocol_is_offered_to_the_order(api_world):
    """004 прил. 1 п. 3.1.1 through the API only: the curator forms the school pack's pedagogical council with the
    head as its chair; the head schedules a meeting with the pack's question on the plan, holds it, the members vote,
    the secretary records and draws up the protocol, both sign; no head's agreement for this body; the signed protocol
    is offered to the curator's order approving the plan (not to the regulation's, not to the head)."""
    _school(api_world)
    ids, org = api_world.ids, api_world.org_id
    body = {"body": "pedagogical_council"}
    for login in ("head", "volkov", "novikova"):
        _ok(api_world.post(f"/api/v1/council/{org}/members", "curator", json={"person_id": ids[login], **body}), 201)
    council = _ok(api_world.post(f"/api/v1/council/{org}/chair", "curator", json={"person_id": ids["head"], **body}))
    assert council["body_label"] == "Педагогический совет" and council["retention_months"] == 60
    assert {"order": "implementation_plan", "title": PLAN} in council["topics"]
    # the mentors' council is another body: nobody sits on it, so it may not be scheduled
    _refused(api_world.post(f"/api/v1/council/{org}/sessions", "curator", json={"held_on": "2026-03-12",
                                                                              "agenda": ["Вопрос"]}), 409,
             words="нет членов")
    _refused(api_world.post(f"/api/v1/council/{org}/sessions", "volkov", json={}), 403)
    _refused(api_world.post(f"/api/v1/council/{org}/sessions", "head", json={
        "held_on": "2026-03-12", "considers": ["budget"], **body}), 422, "considers", "допустимые значения")
    found = _ok(api_world.post(f"/api/v1/council/{org}/sessions", "head", json={
        "held_on": "2026-03-12", "place": "актовый зал", "considers": ["implementation_plan"], **body}), 201)
    assert (found["body"], found["number"]) == ("pedagogical_council", 1)
    assert [(i["title"], i["considers"]) for i in found["agenda"]] == [(PLAN, "implementation_plan")]
    url, item = f"/api/v1/council/sessions/{found['id']}", found["agenda"][0]["id"]
    present = [ids["head"], ids["volkov"], ids["novikova"]]
    _ok(api_world.post(f"{url}/hold", "head", json={"present": present, "secretary_id": ids["volkov"],
                                                    "votes_for": 3}))
    for login in ("head", "volkov", "novikova"):
        _ok(api_world.post(f"{url}/items/{item}/vote", login, json={"choice": "for"}))
    _ok(api_world.post(f"{url}/items/{item}/record", "volkov", json={
        "key_points": "План обсуждён", "decision": "Рекомендовать план к утверждению"}))
    protocols = f"/api/v1/council/{org}/order-protocols"
    assert _ok(api_world.get(f"{protocols}/implementation_plan", "curator")) == []  # not signed yet
    _ok(api_world.post(f"{url}/protocol", "volkov"))
    _ok(api_world.post(f"{url}/sign", "head"))
    signed = _ok(api_world.post(f"{url}/sign", "volkov"))
    assert signed["status"] == "signed" and signed["may"]["agree"] is False
    _refused(api_world.post(f"{url}/items/{item}/agreement", "head", json={"agreed": True}), 409,
             words="для решений совета наставников")

    offered = _ok(api_world.get(f"{protocols}/implementation_plan", "curator"))
    assert offered == [{"id": found["id"], "number": 1, "held_on": "2026-03-12",
                        "label": f"Протокол № 1 от 12.03.2026: {PLAN}"}]
    assert _ok(api_world.get(f"{protocols}/regulation", "curator")) == []
    for login in ("head", "other_curator"):
        _refused(api_world.get(f"{protocols}/implementation_plan", login), 403)
    assert api_world.get(f"{protocols}/budget", "curator").status_code == 404
    assert api_world.get(f"{url}/protocol.docx", "novikova").data.startswith(b"PK")
