"""Pairs (list, propose with the eligibility decision) and people (staff only, access logged)."""
from __future__ import annotations

from sqlalchemy import func, select

from engine.db.models import AccessLogEntry


def test_pairs_visible_to_me(api_world):
    w = api_world
    [pair] = w.get("/api/v1/pairs", "curator").get_json()
    assert pair["mentor"]["id"] == w.ids["volkov"] and [m["id"] for m in pair["mentees"]] == [w.ids["orlova"]]
    assert [p["id"] for p in w.get("/api/v1/pairs", "orlova").get_json()] == [pair["id"]]
    assert w.get("/api/v1/pairs", "novikova").get_json() == []
    assert w.get("/api/v1/pairs", "other_curator").get_json() == []


def test_propose_a_pair(api_world):
    w = api_world
    body = {"organization_id": w.org_id, "mentor_id": w.ids["volkov"], "mentee_ids": [w.ids["novikova"]]}
    assert w.post("/api/v1/pairs", "head", json=body).status_code == 403  # the curator proposes
    response = w.post("/api/v1/pairs", "curator", json=body)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["decision"]["verdict"] == "eligible"
    assert all(c["source"] for c in created["decision"]["criteria"])  # every criterion cites its clause
    assert created["mentee_decisions"][0]["verdict"] == "categorized"
    assert {t["form"] for t in created["ready_tasks"]} == {"give_consent"}
    assert len(w.get("/api/v1/pairs", "curator").get_json()) == 2

    unregistered = w.post("/api/v1/pairs", "curator", json={**body, "mentee_ids": [w.ids["head"]]})
    assert unregistered.status_code == 422
    problem = unregistered.get_json()
    assert problem["message"] == "mentee_ids: " + problem["errors"]["mentee_ids"][0]
    assert "нет в базе наставляемых" in problem["message"]
    not_mentor = w.post("/api/v1/pairs", "curator", json={**body, "mentor_id": w.ids["orlova"]})
    assert not_mentor.status_code == 422 and "mentor_id" in not_mentor.get_json()["errors"]
    bad = w.post("/api/v1/pairs", "curator", json={"organization_id": "x", "mentee_ids": []})
    assert bad.status_code == 422
    fields = bad.get_json()["errors"]["json"]
    assert set(fields) == {"organization_id", "mentor_id", "mentee_ids"}


def test_people_for_staff_only(api_world):
    w = api_world
    response = w.get("/api/v1/people?page_size=5", "curator")
    assert response.status_code == 200
    people = response.get_json()
    assert len(people) == 5 and set(people[0]) == {"id", "full_name", "position", "organization_id", "is_active",
                                                   "roles"}
    with w.session_factory() as session:
        logged = session.scalar(select(func.count()).select_from(AccessLogEntry)
                                .where(AccessLogEntry.viewer_id == w.ids["curator"],
                                       AccessLogEntry.purpose == "список людей (API)"))
    assert logged == 5  # the page shown, not the whole registry
    found = w.get("/api/v1/people?q=волков", "curator").get_json()
    assert [p["id"] for p in found] == [w.ids["volkov"]]
    assert w.get("/api/v1/people", "volkov").status_code == 403
    others = w.get("/api/v1/people", "other_curator").get_json()
    assert w.ids["volkov"] not in [p["id"] for p in others]


def test_one_person(api_world):
    w = api_world
    volkov = w.get(f"/api/v1/people/{w.ids['volkov']}", "head").get_json()
    assert volkov["mentor_appointments"][0]["status"] == "active" and volkov["mentor_appointments"][0]["ends_on"]
    orlova = w.get(f"/api/v1/people/{w.ids['orlova']}", "curator").get_json()
    assert orlova["mentee_entries"][0]["category"] == "new_head"
    assert w.get(f"/api/v1/people/{w.ids['volkov']}", "other_curator").status_code == 403
    assert w.get(f"/api/v1/people/{w.ids['curator']}", "orlova").status_code == 403
    assert w.get("/api/v1/people/999999", "curator").status_code == 404
