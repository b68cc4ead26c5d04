"""Orders through the API: the document, signing through the workflow's «sign the order» task (the
programs start), a signed order immutable (409), refusal with a reason back into the workflow."""
from __future__ import annotations

import hashlib

from sqlalchemy import select

from engine.db.models import AuditEntry


def test_awaiting_my_signature(api_world):
    w = api_world
    awaiting = w.get("/api/v1/orders?awaiting_signature=true", "head")
    assert [o["id"] for o in awaiting.get_json()] == [w.order_id]
    assert w.get("/api/v1/orders?awaiting_signature=true", "curator").get_json() == []
    everything = w.get("/api/v1/orders?status=signed", "curator").get_json()
    assert [o["type"] for o in everything] == ["appointment_of_mentors"]
    assert w.get("/api/v1/orders", "other_curator").get_json() == []
    bad = w.get("/api/v1/orders?status=lost", "curator")
    assert bad.status_code == 422 and "status" in bad.get_json()["errors"]["query"]


def test_the_document(api_world):
    order = api_world.get(f"/api/v1/orders/{api_world.order_id}", "curator").get_json()
    assert order["status"] == "awaiting_signature" and order["sha256"] is None and not order["verified"]
    assert "О формировании наставнических пар" in order["text"]
    assert api_world.get("/api/v1/orders/999999", "curator").status_code == 404


def test_sign_through_the_workflow_then_immutable(api_world):
    w = api_world
    assert w.post(f"/api/v1/orders/{w.order_id}/sign", "curator").status_code == 403  # only the head signs
    response = w.post(f"/api/v1/orders/{w.order_id}/sign", "head")
    assert response.status_code == 200, response.get_json()
    order = response.get_json()
    assert order["status"] == "signed" and order["number"] and order["verified"]
    assert order["sha256"] == hashlib.sha256(order["text"].encode("utf-8")).hexdigest()
    assert order["integrity_problems"] == [] and order["signature_cms"]  # issue 11: CMS, chain link checked
    from engine.integrity.cms import signature_problem
    from engine.integrity.keys import organization_certificate
    assert signature_problem(order["text"], order["signature_cms"], organization_certificate()) is None
    assert order["signer_id"] == w.ids["head"]
    # the workflow took the step: the sign task is gone, the program started
    assert [t for t in w.get("/api/v1/tasks", "head").get_json() if t["form_id"] == "sign_order"] == []
    assert len(w.get("/api/v1/programs", "volkov").get_json()) == 1
    with w.session_factory() as session:
        completed = session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "workflow.task_completed", AuditEntry.object_id == str(w.pair_instance_id))).all()
        assert any(d["form"] == "sign_order" for d in completed)

    again = w.post(f"/api/v1/orders/{w.order_id}/sign", "head")
    assert again.status_code == 409 and "уже подписан" in again.get_json()["message"]
    refused = w.post(f"/api/v1/orders/{w.order_id}/refuse", "head", json={"reason": "поздно"})
    assert refused.status_code == 409
    assert w.get(f"/api/v1/orders/{w.order_id}", "head").get_json()["text"] == order["text"]


def test_refuse_with_a_reason_goes_back_to_the_curator(api_world):
    w = api_world
    missing = w.post(f"/api/v1/orders/{w.order_id}/refuse", "head", json={})
    assert missing.status_code == 422
    assert "reason" in missing.get_json()["errors"]["json"] and "«json.reason»" in missing.get_json()["message"]
    blank = w.post(f"/api/v1/orders/{w.order_id}/refuse", "head", json={"reason": "   "})
    assert blank.status_code == 422 and "reason" in blank.get_json()["errors"]
    response = w.post(f"/api/v1/orders/{w.order_id}/refuse", "head",
                      json={"reason": "Не указан срок реализации программы"})
    assert response.status_code == 200, response.get_json()
    order = response.get_json()
    assert order["status"] == "refused" and order["refusal_reason"] == "Не указан срок реализации программы"
    assert w.get("/api/v1/programs", "curator").get_json() == []
    curator_tasks = [t for t in w.get("/api/v1/tasks", "curator").get_json()
                     if t["instance_id"] == w.pair_instance_id]
    assert curator_tasks, "the refused order goes back to the curator"
    assert w.post(f"/api/v1/orders/{w.order_id}/sign", "head").status_code == 409  # not awaiting any more


def test_malformed_json_is_400(api_world):
    response = api_world.post(f"/api/v1/orders/{api_world.order_id}/refuse", "head", data="{reason",
                              content_type="application/json")
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == 400 and "JSON" in body["message"]


def test_a_signed_order_replaced_around_the_application_is_not_verified(api_world, db_url):
    """The audit's attack (issue 11): the text replaced with its SHA-256 recomputed; the API no longer says
    «verified» and names what is broken."""
    from tests.tampering import attacker, forged_order, replace_row, row

    w = api_world
    assert w.post(f"/api/v1/orders/{w.order_id}/sign", "head").status_code == 200
    with attacker(db_url, triggers_off=db_url.startswith("postgresql")) as connection:
        replace_row(connection, "orders", forged_order(row(connection, "orders", w.order_id), "Подменённый приказ"))
    order = w.get(f"/api/v1/orders/{w.order_id}", "head").get_json()
    assert order["text"] == "Подменённый приказ" and order["verified"] is False
    assert order["sha256"] == hashlib.sha256("Подменённый приказ".encode()).hexdigest()
    assert "подпись CMS сделана для другого текста: текст приказа изменён после подписания" in order["integrity_problems"]
