"""Moving running instances through the API: the methodologist deploys a version 2 of pair formation, lists the
running pair-formation instance as movable, moves it; it then finishes on version 2 (the head signs the order)."""
from __future__ import annotations

from pathlib import Path

from engine.db.models import WorkflowInstance

ROOT = Path(__file__).resolve().parents[3]
PAIR = (ROOT / "workflows" / "pair_formation.bpmn").read_bytes()
CHANGED = PAIR.replace(b"</bpmn:definitions>", b"<!-- v2 -->\n</bpmn:definitions>")


def test_list_move_and_finish_on_version_2(api_world):
    w = api_world
    deployed = w.post("/api/v1/workflows/deploy", "methodologist", data=CHANGED, content_type="application/xml")
    assert deployed.status_code == 201, deployed.get_json()
    listed = w.get("/api/v1/workflows/pair_formation/migration", "methodologist").get_json()
    assert listed["total"] == 1 and listed["more"] is False
    [item] = listed["instances"]
    assert (item["instance_id"], item["from_version"], item["to_version"], item["movable"], item["reasons"]) == (
        w.pair_instance_id, 1, 2, True, [])
    moved = w.post("/api/v1/workflows/pair_formation/migration", "methodologist",
                   json={"instances": [w.pair_instance_id]})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json() == {"moved": [{"instance_id": w.pair_instance_id, "from_version": 1, "to_version": 2}],
                                "refused": []}
    again = w.post("/api/v1/workflows/pair_formation/migration", "methodologist",
                   json={"instances": [w.pair_instance_id]}).get_json()
    assert again["moved"] == [] and "новее нет" in again["refused"][0]["reason"]
    w.sign_pair_order()
    with w.session_factory() as session:
        instance = session.get(WorkflowInstance, w.pair_instance_id)
        assert (instance.definition.version, instance.status) == (2, "completed")


def test_refusals(api_world):
    w = api_world
    assert w.get("/api/v1/workflows/pair_formation/migration", "curator").status_code == 403
    assert w.post("/api/v1/workflows/pair_formation/migration", "head", json={"instances": [1]}).status_code == 403
    assert w.get("/api/v1/workflows/no_such/migration", "methodologist").status_code == 404
    bad = w.post("/api/v1/workflows/pair_formation/migration", "methodologist", json={"instances": []})
    assert bad.status_code == 422
