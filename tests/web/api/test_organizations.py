"""``/api/v1/organizations``: the department's administrator lists its tree, creates a school with document
settings (a wrong ИНН named by field, 422), edits it (changes old → new), gives a role and takes it back; the last
administrator of the root cannot remove their own role (409); staff and another department get 403."""
from __future__ import annotations

BASE = "/api/v1/organizations"


def test_the_administrator_manages_the_tree_and_roles(api_world):
    tree = api_world.get(BASE, "admin")
    assert tree.status_code == 200
    rows = tree.get_json()
    assert rows[0]["id"] == api_world.org_id and rows[0]["depth"] == 0 and rows[0]["regulation"] == "tomsk"
    assert {row["depth"] for row in rows[1:]} == {1} and len(rows) == 6  # the five demo schools

    refused = api_world.post(BASE, "admin", json={"parent_id": api_world.org_id, "name": "МАОУ СОШ № 50",
                                                  "kind": "school", "inn": "7707083894"})
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["problems"][0]["element_name"] == "inn"
    created = api_world.post(BASE, "admin", json={
        "parent_id": api_world.org_id, "name": "МАОУ СОШ № 50 г. Томска", "kind": "school", "inn": "7707083893",
        "document_settings": {"kind": "РАСПОРЯЖЕНИЕ", "number_suffix": "р"}})
    assert created.status_code == 201, created.get_json()
    school = created.get_json()
    assert school["regulation"] == "tomsk" and school["heading_example"] == "РАСПОРЯЖЕНИЕ № 1р"
    assert school["effective_document_settings"]["time_zone"] == "Asia/Tomsk"

    patched = api_world.call("PATCH", f"{BASE}/{school['id']}", "admin", json={"short_name": "СОШ № 50"})
    assert patched.status_code == 200
    assert patched.get_json()["changes"] == [{"field": "short_name", "label": "Краткое наименование", "old": "—",
                                              "new": "СОШ № 50"}]
    assert api_world.get(f"{BASE}/{school['id']}", "admin").get_json()["short_name"] == "СОШ № 50"

    granted = api_world.post(f"{BASE}/{api_world.org_id}/roles", "admin",
                             json={"person_id": api_world.ids["volkov"], "role": "methodologist"})
    assert granted.status_code == 201 and granted.get_json()["label"] == "Методист"
    assert api_world.post(f"{BASE}/{api_world.org_id}/roles", "admin",
                          json={"person_id": api_world.ids["volkov"], "role": "methodologist"}).status_code == 409
    holders = {g["role"]: g for g in api_world.get(f"{BASE}/{api_world.org_id}/roles", "admin").get_json()}
    assert [h["full_name"] for h in holders["admin"]["holders"]] == ["Захарова Вера Николаевна"]
    assignment = granted.get_json()["assignment_id"]
    revoked = api_world.post(f"{BASE}/{api_world.org_id}/roles/{assignment}/revoke", "admin")
    assert revoked.status_code == 200 and revoked.get_json()["active"] is False
    own = holders["admin"]["holders"][0]["assignment_id"]
    locked = api_world.post(f"{BASE}/{api_world.org_id}/roles/{own}/revoke", "admin")
    assert locked.status_code == 409 and "последняя роль администратора" in locked.get_json()["message"]


def test_nobody_else(api_world):
    for login in ("curator", "head", "volkov", "nobody", "other_curator"):
        assert api_world.get(BASE, login).status_code == 403
        assert api_world.post(BASE, login, json={}).status_code == 403
        assert api_world.call("PATCH", f"{BASE}/{api_world.org_id}", login, json={}).status_code == 403
    assert api_world.get(f"{BASE}/{api_world.other_org_id}", "admin").status_code == 403
    assert api_world.get(BASE).status_code == 401


def test_the_administrator_sets_the_mentors_report_dates(api_world):
    """003 п. 3: the pack's 10 June and 10 December, replaced by the organization's own; 31 February refused."""
    path = f"{BASE}/{api_world.org_id}"
    shown = api_world.get(path, "admin").get_json()
    assert shown["report_dates"] is None and shown["effective_report_dates"] == ["06-10", "12-10"]
    wrong = api_world.call("PATCH", path, "admin", json={"report_dates": ["10.06", "31.02"]})
    assert wrong.status_code == 422
    [problem] = wrong.get_json()["errors"]["problems"]
    assert problem["element_name"] == "report_dates" and "в феврале 28 дней" in problem["message"]
    patched = api_world.call("PATCH", path, "admin", json={"report_dates": ["15.06", "10.12"]})
    assert patched.status_code == 200
    assert patched.get_json()["changes"] == [{"field": "report_dates", "label": "Даты отчётов наставников",
                                              "old": "—", "new": "15.06, 10.12"}]
    assert api_world.get(path, "admin").get_json()["effective_report_dates"] == ["06-15", "12-10"]
    assert api_world.call("PATCH", path, "admin", json={"report_dates": None}).get_json()["report_dates"] is None
