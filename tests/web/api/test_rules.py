"""Rules through the API: the rulesets in service and a decision on facts; a bad fact is a 422 naming it."""
from __future__ import annotations

GOOD = {"years_as_head": 6, "contest_level": "regional", "contest_result": "laureate", "efficiency_percent": 85,
        "has_mentorship_certificate": True}
EVALUATE = "/api/v1/rules/mentor_eligibility_tomsk/evaluate"


def test_rulesets(api_world):
    rows = api_world.get("/api/v1/rules", "methodologist").get_json()
    by_id = {r["id"]: r for r in rows}
    assert {"mentor_eligibility_tomsk", "mentee_category_tomsk", "mentor_bonus_tomsk"} <= set(by_id)
    ruleset = by_id["mentor_eligibility_tomsk"]
    assert ruleset["version"] in ruleset["versions"]
    assert {f["name"] for f in ruleset["facts"]} >= set(GOOD)
    assert api_world.get("/api/v1/rules", "nobody").status_code == 200  # no personal data: any token


def test_a_decision_explained(api_world):
    response = api_world.post(EVALUATE, "curator", json={"facts": GOOD})
    assert response.status_code == 200, response.get_json()
    decision = response.get_json()
    assert decision["verdict"] == "eligible" and decision["ruleset"] == "mentor_eligibility_tomsk"
    assert decision["criteria"] and all(c["passed"] is True and c["source"] for c in decision["criteria"])
    short = api_world.post(EVALUATE, "curator", json={"facts": {**GOOD, "years_as_head": 3}}).get_json()
    assert short["verdict"] == "not_eligible"
    assert api_world.post(EVALUATE, "curator", json={"facts": {}}).get_json()["verdict"] == "insufficient_data"


def test_bad_facts_are_422_naming_the_fact(api_world):
    response = api_world.post(EVALUATE, "curator", json={"facts": {**GOOD, "years_as_head": "шесть"}})
    assert response.status_code == 422
    body = response.get_json()
    assert list(body["errors"]["json"]["facts"]) == ["years_as_head"]
    assert "years_as_head" in body["message"] and "ожидается число" in body["message"]
    unknown = api_world.post(EVALUATE, "curator", json={"facts": {**GOOD, "shoe_size": 42}}).get_json()
    assert "shoe_size" in unknown["errors"]["json"]["facts"]
    out_of_range = api_world.post(EVALUATE, "curator", json={"facts": {**GOOD, "efficiency_percent": 150}})
    assert out_of_range.status_code == 422
    assert "efficiency_percent" in out_of_range.get_json()["errors"]["json"]["facts"]


def test_bad_requests(api_world):
    w = api_world
    assert w.post(EVALUATE, "curator", json={}).get_json()["errors"]["json"] == {"facts": ["обязательное поле"]}
    assert w.post(EVALUATE, "curator", json={"facts": []}).status_code == 422
    assert w.post(EVALUATE, "curator", data="{", content_type="application/json").status_code == 400
    unknown = w.post("/api/v1/rules/no_such_rules/evaluate", "curator", json={"facts": {}})
    assert unknown.status_code == 404 and "no_such_rules" in unknown.get_json()["message"]
    assert w.post(EVALUATE, "volkov", json={"facts": GOOD}).status_code == 200
    wrong_method = w.get(EVALUATE, "curator")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["code"] == 405
