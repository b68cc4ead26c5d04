"""BPMN through the API: check (problems with element id and name) in any of the three body forms,
deploy a new version (methodologist), the same bytes again → 200 with the existing version."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PAIR = (ROOT / "workflows" / "pair_formation.bpmn").read_bytes()
FORM = b'<spiffworkflow:property name="form" value="sign_order" />'
BROKEN = PAIR.replace(FORM, b"")
CHANGED = PAIR.replace(b"</bpmn:definitions>", b"<!-- v2 -->\n</bpmn:definitions>")


def _bodies(data: bytes) -> dict:
    return {
        "xml": {"data": data, "content_type": "application/xml", "query_string": {"filename": "pairs.bpmn"}},
        "multipart": {"data": {"file": (io.BytesIO(data), "pairs.bpmn")}, "content_type": "multipart/form-data"},
        "json": {"json": {"bpmn": data.decode("utf-8"), "filename": "pairs.bpmn"}},
    }


@pytest.mark.parametrize("form", ["xml", "multipart", "json"])
def test_check(api_world, form):
    ok = api_world.post("/api/v1/workflows/check", "methodologist", **_bodies(PAIR)[form])
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json() == {"ok": True, "problems": []}
    broken = api_world.post("/api/v1/workflows/check", "methodologist", **_bodies(BROKEN)[form]).get_json()
    assert broken["ok"] is False
    assert any(p["element_id"] == "Task_sign_pairs_order" and p["element_name"] and p["message"]
               for p in broken["problems"]), broken


def test_check_refusals(api_world):
    w = api_world
    # checking stores nothing and reads nobody's data: any token; deploying is the methodologist's
    assert w.post("/api/v1/workflows/check", "head", data=PAIR, content_type="application/xml").status_code == 200
    plain = w.post("/api/v1/workflows/check", "methodologist", data=PAIR, content_type="text/plain")
    assert plain.status_code == 415 and plain.get_json()["code"] == 415
    empty = w.post("/api/v1/workflows/check", "methodologist", data=b"", content_type="application/xml")
    assert empty.status_code == 422
    no_file = w.post("/api/v1/workflows/check", "methodologist", data={}, content_type="multipart/form-data")
    assert no_file.status_code == 422 and "file" in no_file.get_json()["errors"]["files"]
    no_bpmn = w.post("/api/v1/workflows/check", "methodologist", json={"xml": "x"})
    assert no_bpmn.status_code == 422 and set(no_bpmn.get_json()["errors"]["json"]) == {"bpmn", "xml"}
    garbage = w.post("/api/v1/workflows/check", "methodologist", data=b"<not bpmn", content_type="application/xml")
    assert garbage.status_code == 200 and garbage.get_json()["ok"] is False


def test_deploy(api_world):
    w = api_world
    assert w.post("/api/v1/workflows/deploy", "curator", data=CHANGED,
                  content_type="application/xml").status_code == 403
    created = w.post("/api/v1/workflows/deploy", "methodologist", data=CHANGED, content_type="application/xml")
    assert created.status_code == 201, created.get_json()
    definition = created.get_json()
    assert definition["process_id"] == "pair_formation" and definition["version"] == 2 and definition["created"]
    same = w.post("/api/v1/workflows/deploy", "methodologist", **_bodies(CHANGED)["json"])
    assert same.status_code == 200
    assert {**same.get_json(), "created": True} == definition
    shipped = w.post("/api/v1/workflows/deploy", "methodologist", data=PAIR, content_type="application/xml")
    assert shipped.status_code == 200 and shipped.get_json()["version"] == 1


def test_deploying_a_draft(api_world):
    from engine.services.people.actor import load_actor
    from engine.services.process import definitions

    with api_world.session_factory() as session:
        saved = definitions.save_draft(session, load_actor(session, "methodologist"), CHANGED, "pairs.bpmn")
        session.commit()
        draft_id = saved.definition.id
    response = api_world.post("/api/v1/workflows/deploy", "methodologist", data=CHANGED, content_type="application/xml")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["id"] == draft_id and response.get_json()["status"] == "deployed"


def test_deploy_broken_lists_the_problems(api_world):
    response = api_world.post("/api/v1/workflows/deploy", "methodologist", data=BROKEN,
                              content_type="application/xml")
    assert response.status_code == 422
    problems = response.get_json()["errors"]["problems"]
    assert any(p["element_id"] == "Task_sign_pairs_order" for p in problems), problems


def test_too_large(api_world):
    big = PAIR + b" " * (5 * 1024 * 1024)
    response = api_world.post("/api/v1/workflows/check", "methodologist", data=big, content_type="application/xml")
    assert response.status_code == 413 and response.get_json()["code"] == 413
    api_world.app.config["MAX_CONTENT_LENGTH"] = 1024
    response = api_world.post("/api/v1/rules/mentor_eligibility_tomsk/evaluate", "curator",
                              json={"facts": {"x": "y" * 2000}})
    assert response.status_code == 413 and set(response.get_json()) == {"code", "status", "message"}


def test_a_hook_nobody_registered_is_refused_naming_the_element(api_world):
    unknown = PAIR.replace(b'name="hook" value="sign_order"', b'name="hook" value="sign_decree"')
    checked = api_world.post("/api/v1/workflows/check", "methodologist", data=unknown,
                             content_type="application/xml").get_json()
    assert checked["ok"] is False
    # the task names the unknown hook; the process (of kind pair_formation) then lacks the one its kind requires
    assert [p["element_id"] for p in checked["problems"]] == ["Task_sign_pairs_order", "pair_formation"]
    assert "обработчик «sign_decree»" in checked["problems"][0]["message"]
    response = api_world.post("/api/v1/workflows/deploy", "methodologist", data=unknown,
                              content_type="application/xml")
    assert response.status_code == 422
    assert [p["element_id"] for p in response.get_json()["errors"]["problems"]] == ["Task_sign_pairs_order",
                                                                                     "pair_formation"]


def test_deploying_what_the_engine_runs_wrongly_is_refused_naming_the_element(api_world):
    """A link event (the path after it would never run) refused through the API, as by the check everywhere."""
    diagram = (ROOT / "tests/engine/workflow/unsupported/link_events.bpmn").read_bytes()
    checked = api_world.post("/api/v1/workflows/check", "methodologist", data=diagram,
                             content_type="application/xml").get_json()
    assert checked["ok"] is False
    assert {(p["element_id"], p["element_name"]) for p in checked["problems"]} == {
        ("Link_throw", "К проверке"), ("Link_catch", "Проверка")}
    assert all(p["message"].startswith("событие-ссылка (link) не поддерживается") for p in checked["problems"])
    deployed = api_world.post("/api/v1/workflows/deploy", "methodologist", data=diagram,
                              content_type="application/xml")
    assert deployed.status_code == 422, deployed.get_json()
