"""``/api/v1/council`` (000 §4–5): the curator's council of the department holds a session — through the services, as
the pages do — and its members use the API: a member present votes on an item and sees the tally, a member absent,
the head and a stranger may not vote (403 before the body is read), a wrong choice is refused in Russian; once the
protocol is drawn up and signed, its metadata names the hash and the addresses of the PDF and the DOCX."""
from __future__ import annotations

from datetime import date

from engine.db.models import Person
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
