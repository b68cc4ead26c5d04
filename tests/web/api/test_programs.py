"""Programs through the API: who sees which, the whole picture of one, pagination, the access log."""
from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from engine.db import paging
from engine.db.models import AccessLogEntry


def test_list_and_details(api_world):
    w = api_world
    assert w.get("/api/v1/programs", "curator").get_json() == []
    program_id = w.sign_pair_order()
    for login in ("curator", "head", "methodologist", "volkov", "orlova"):
        rows = w.get("/api/v1/programs", login).get_json()
        assert [r["id"] for r in rows] == [program_id], login
    for login in ("other_curator", "novikova", "nobody"):
        assert w.get("/api/v1/programs", login).get_json() == [], login
    [row] = w.get("/api/v1/programs", "orlova").get_json()
    assert row["mentor"] == "Волков Игорь Николаевич" and row["mentees"] == ["Орлова Ирина Сергеевна"]
    assert row["status"] == "active" and row["organization_id"] == w.org_id

    response = w.get(f"/api/v1/programs/{program_id}", "curator")
    assert response.status_code == 200
    details = response.get_json()
    assert details["events"] and details["events"][0]["status"]
    assert details["process"]["ready_tasks"][0]["form"] == "stage_work"
    assert [o["type"] for o in details["orders"]] == ["pair_formation"]
    assert details["decisions"] and details["history"]
    with w.session_factory() as session:
        logged = session.scalars(select(AccessLogEntry.subject_id).where(
            AccessLogEntry.viewer_id == w.ids["curator"])).all()
    assert set(logged) == {w.ids["volkov"], w.ids["orlova"]}

    for login, status in [("other_curator", 403), ("novikova", 403), ("volkov", 200)]:
        assert w.get(f"/api/v1/programs/{program_id}", login).status_code == status, login
    missing = w.get("/api/v1/programs/999999", "curator")
    assert missing.status_code == 404 and missing.get_json()["code"] == 404


def test_pagination(api_world):
    w = api_world
    w.sign_pair_order()
    page = w.get("/api/v1/programs?page=1&page_size=1", "curator")
    assert len(page.get_json()) == 1
    meta = json.loads(page.headers["X-Pagination"])
    assert meta["total"] == 1 and meta["total_pages"] == 1
    assert w.get("/api/v1/programs?page=2&page_size=1", "curator").get_json() == []
    too_big = w.get("/api/v1/programs?page_size=1000", "curator")
    assert too_big.status_code == 422 and "page_size" in too_big.get_json()["errors"]["query"]
    assert "не больше 100" in too_big.get_json()["message"]


def test_the_mentee_marks_events_with_their_days_and_a_future_day_is_refused(api_world):
    """Issue 10 «Events»: a participant marks several events at once with the days they took place."""
    w = api_world
    program_id = w.sign_pair_order()
    details = w.get(f"/api/v1/programs/{program_id}", "orlova").get_json()
    first, second = [e for e in details["events"] if e["stage_id"] == details["events"][0]["stage_id"]][:2]
    started = date.fromisoformat(details["started_on"])
    today = started if started >= date.today() else date.today()
    future = w.post(f"/api/v1/programs/{program_id}/events", "orlova", json={"marks": [
        {"event_id": first["id"], "done": True, "held_on": started.isoformat()},
        {"event_id": second["id"], "done": True, "held_on": (today + timedelta(days=400)).isoformat()}]})
    assert future.status_code == 422 and f"Мероприятие {second['number']}: дата проведения" in future.get_json()["message"]
    saved = w.post(f"/api/v1/programs/{program_id}/events", "orlova", json={"marks": [
        {"event_id": first["id"], "done": True, "held_on": started.isoformat(), "comment": "Анкета заполнена"}]})
    assert saved.status_code == 200, saved.get_json()
    [event] = [e for e in saved.get_json()["events"] if e["id"] == first["id"]]
    assert (event["status"], event["done_on"], event["marked_by"]) == ("done", started.isoformat(),
                                                                       "Орлова Ирина Сергеевна")
    assert event["comments"][0]["body"] == "Анкета заполнена"
    assert w.post(f"/api/v1/programs/{program_id}/events", "curator", json={"marks": [
        {"event_id": first["id"], "done": False}]}).status_code == 403


def test_a_list_longer_than_its_count_says_at_least_in_the_pagination_header(api_world, monkeypatch):
    w = api_world
    w.sign_pair_order()
    orders = w.get("/api/v1/orders", "curator").get_json()
    assert len(orders) >= 2  # the mentors' appointment and the pair's formation
    monkeypatch.setattr(paging, "LIST_BOUND", 1)  # a region's thousands: counted up to the page's offset + the bound
    first = w.get("/api/v1/orders?page=1&page_size=1", "curator")
    assert [o["id"] for o in first.get_json()] == [orders[0]["id"]]
    assert json.loads(first.headers["X-Pagination"]) == {"total_at_least": 2, "first_page": 1, "page": 1,
                                                         "next_page": 2}
    second = w.get("/api/v1/orders?page=2&page_size=1", "curator")  # counted up to 1 + 1: exact again
    assert [o["id"] for o in second.get_json()] == [orders[1]["id"]]
    assert json.loads(second.headers["X-Pagination"])["total"] == len(orders) == 2
    monkeypatch.setattr(paging, "LIST_BOUND", 1000)
    exact = json.loads(w.get("/api/v1/orders?page=1&page_size=1", "curator").headers["X-Pagination"])
    assert exact["total"] == len(orders) and exact["last_page"] == len(orders)
