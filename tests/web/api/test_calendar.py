"""Another system (a school portal) gives a teacher the address of their calendar of deadlines through the API: the
address comes back once, a new one ends the old, «revoke» switches it off; the state never shows the secret."""
from __future__ import annotations

from icalendar import Calendar


def test_issue_show_and_revoke_ones_own_calendar(api_world):
    assert api_world.get("/api/v1/calendar", "volkov").get_json() == {
        "issued": False, "created_at": None, "last_fetched_at": None}
    first = api_world.post("/api/v1/calendar", "volkov")
    assert first.status_code == 201
    url = first.get_json()["url"]
    assert url.startswith("http://localhost/calendar/nsc_") and url.endswith(".ics")
    assert first.get_json()["webcal_url"] == "webcal://" + url.removeprefix("http://")

    calendar_client = api_world.app.test_client()
    feed = calendar_client.get(url.removeprefix("http://localhost"))
    assert feed.status_code == 200 and Calendar.from_ical(feed.data).calendar_name.startswith("Наставник — сроки (")
    state = api_world.get("/api/v1/calendar", "volkov").get_json()
    assert state["issued"] is True and state["last_fetched_at"] is not None
    assert url.split("/")[-1].removesuffix(".ics") not in str(state)

    second = api_world.post("/api/v1/calendar", "volkov").get_json()["url"]
    assert calendar_client.get(url.removeprefix("http://localhost")).status_code == 404
    assert api_world.post("/api/v1/calendar/revoke", "volkov").get_json() == {"revoked": True}
    assert api_world.post("/api/v1/calendar/revoke", "volkov").get_json() == {"revoked": False}
    assert calendar_client.get(second.removeprefix("http://localhost")).status_code == 404
    assert api_world.get("/api/v1/calendar").status_code == 401


def test_each_person_has_their_own_address(api_world):
    volkov = api_world.post("/api/v1/calendar", "volkov").get_json()["url"]
    api_world.post("/api/v1/calendar/revoke", "curator")  # another person's revoke touches only their own
    assert api_world.app.test_client().get(volkov.removeprefix("http://localhost")).status_code == 200
