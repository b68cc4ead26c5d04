"""``/api/v1/incidents`` (issue 13): the same list, retry and skip as the page, for the administrators and curators of
the job's organization; another organization's curator sees none of it and is refused by name."""
from __future__ import annotations

from engine.db.models import Job, JobStatus
from tests.web.incidents_support import make_incident


def test_the_curator_lists_retries_and_skips_through_the_api(api_world):
    with api_world.session_factory() as session:
        first = make_incident(session, api_world.org_id, "api:first")
        second = make_incident(session, api_world.org_id, "api:second")
        theirs = make_incident(session, api_world.other_org_id, "api:theirs")
    listed = api_world.get("/api/v1/incidents", "curator")
    assert listed.status_code == 200
    assert {item["id"] for item in listed.json} == {first, second}
    item = next(i for i in listed.json if i["id"] == first)
    assert item["status"] == "incident" and item["attempts"] == 1
    assert item["error"] == "smtp: почтовый сервер отклонил письмо: 554 отказ"
    assert [i["id"] for i in api_world.get("/api/v1/incidents", "other_curator").json] == [theirs]
    assert api_world.get("/api/v1/incidents", "volkov").status_code == 403

    refused = api_world.post(f"/api/v1/incidents/{first}/retry", "other_curator")
    assert refused.status_code == 403 and "«администратор» и «куратор»" in refused.json["message"]
    retried = api_world.post(f"/api/v1/incidents/{first}/retry", "admin")
    assert retried.status_code == 200 and retried.json["status"] == "waiting" and retried.json["attempts"] == 0
    assert api_world.post(f"/api/v1/incidents/{first}/retry", "curator").status_code == 409

    no_reason = api_world.post(f"/api/v1/incidents/{second}/skip", "curator", json={"reason": ""})
    assert no_reason.status_code == 422
    skipped = api_world.post(f"/api/v1/incidents/{second}/skip", "curator", json={"reason": "Письмо устарело"})
    assert skipped.status_code == 200 and skipped.json["status"] == "skipped"
    assert api_world.get("/api/v1/incidents", "curator").json == []
    assert api_world.post("/api/v1/incidents/999999/skip", "curator", json={"reason": "x"}).status_code == 404
    with api_world.session_factory() as session:
        assert session.get(Job, second).status == JobStatus.SKIPPED.value
