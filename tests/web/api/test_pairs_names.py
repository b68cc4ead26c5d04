"""Names do not leak across organizations (issue 11, finding 5): proposing a pair through the API or the page
with the ids of people of another organization says only what the curator may know («человек №N не найден в
вашей организации»), and a refusal that does name a person of her organization is written to the access log
(152-ФЗ) though nothing else of the request is kept."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from engine.db.models import AccessLogEntry, Person
from tests import factories as f
from tests.web.conftest import csrf_token, login

STRANGER = "Посторонний Пётр Петрович"


def _stranger(world) -> int:
    """A person of the other organization the curator has no business with."""
    with world.session_factory() as session:
        person = f.make_person(session, login="stranger", full_name=STRANGER)
        f.make_role(session, person, session.get(Person, world.ids["other_curator"]).roles[0].organization, "mentee")
        session.commit()
        return person.id


def _logged(world, viewer: str, subject: int) -> int:
    with world.session_factory() as session:
        return session.scalar(select(func.count()).select_from(AccessLogEntry).where(
            AccessLogEntry.viewer_id == world.ids[viewer], AccessLogEntry.subject_id == subject))


def test_the_api_names_no_one_of_another_organization(api_world):
    w = api_world
    stranger = _stranger(w)
    body = {"organization_id": w.org_id, "mentor_id": w.ids["volkov"], "mentee_ids": [w.ids["novikova"]]}
    for asked, field in [({"mentor_id": stranger}, "mentor_id"), ({"mentee_ids": [stranger]}, "mentee_ids"),
                         ({"mentor_id": w.ids["other_curator"]}, "mentor_id"), ({"mentor_id": 2_000_000}, "mentor_id")]:
        response = w.post("/api/v1/pairs", "curator", json={**body, **asked})
        problem = response.get_json()
        assert response.status_code == 422, problem
        said = " ".join(problem["errors"][field])
        assert re.search(r"человек №\d+ не найден в вашей организации", said), said
        assert STRANGER not in str(problem) and "Чужой" not in str(problem)
    assert _logged(w, "curator", stranger) == 0  # nothing of theirs was shown


def test_a_refusal_naming_a_person_of_her_organization_is_in_the_access_log(api_world):
    w = api_world
    body = {"organization_id": w.org_id, "mentor_id": w.ids["volkov"], "mentee_ids": [w.ids["head"]]}
    before = _logged(w, "curator", w.ids["head"])
    refused = w.post("/api/v1/pairs", "curator", json=body)
    assert refused.status_code == 422 and "Петрова Ольга Викторовна" in refused.get_json()["message"]
    assert _logged(w, "curator", w.ids["head"]) == before + 1  # kept though the proposal was rolled back


def test_the_page_names_no_one_of_another_organization(api_world):
    w = api_world
    stranger = _stranger(w)
    client = w.app.test_client()
    login(client, "curator")
    checked = client.get(f"/pairs/new?mentor_id={stranger}")
    assert STRANGER not in checked.text
    page = client.get("/pairs/new")
    data = {"csrf_token": csrf_token(page.text), "organization_id": str(w.org_id), "mentor_id": str(stranger),
            "mentee_ids": [str(w.ids["novikova"])], "propose": "1"}
    proposed = client.post("/pairs/new", data=data)
    assert proposed.status_code in (403, 404, 422) and STRANGER not in proposed.text
    checked = client.post("/pairs/new", data={**data, "propose": "", "check": "1"})
    assert checked.status_code in (200, 403, 404, 422) and STRANGER not in checked.text
    assert _logged(w, "curator", stranger) == 0


def test_the_pages_refusal_naming_a_person_of_her_organization_is_in_the_access_log(api_world):
    w = api_world
    client = w.app.test_client()
    login(client, "curator")
    page = client.get("/pairs/new")
    before = _logged(w, "curator", w.ids["orlova"])
    data = {"csrf_token": csrf_token(page.text), "organization_id": str(w.org_id), "mentor_id": str(w.ids["orlova"]),
            "mentee_ids": [str(w.ids["novikova"])], "propose": "1"}  # orlova is no appointed mentor
    refused = client.post("/pairs/new", data=data)
    assert refused.status_code == 422 and "Орлова Ирина Сергеевна" in refused.text
    assert _logged(w, "curator", w.ids["orlova"]) == before + 1
