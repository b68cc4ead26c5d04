"""Tasks through the API on a real workflow: my tasks, completing with a form's data (validated per form:
422 naming the field), someone else's task (403), a task already done (409), a stale version (409)."""
from __future__ import annotations


def _complete(world, login, task, data, **extra):
    return world.post(f"/api/v1/tasks/{task['instance_id']}/{task['task_id']}/complete", login,
                      json={"data": data, **extra})


def test_my_tasks(api_world):
    w = api_world
    head = w.get("/api/v1/tasks", "head")
    assert head.status_code == 200
    [task] = head.get_json()
    assert task["form_id"] == "sign_order" and task["process_id"] == "pair_formation"
    assert task["instance_id"] == w.pair_instance_id and task["kind"] == "pair_formation"
    assert "X-Pagination" in head.headers
    assert w.get("/api/v1/tasks", "other_head").get_json() == []
    assert w.get("/api/v1/tasks?page=0", "head").status_code == 422


def test_program_steps_through_the_api(api_world):
    w = api_world
    sign = w.task("head", "sign_order")
    assert _complete(w, "head", sign, {"signed": "yes"}).status_code == 422
    done = _complete(w, "head", sign, {"signed": True})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["instance_id"] == w.pair_instance_id

    work = w.task("volkov", "stage_work")
    assert _complete(w, "curator", work, {"report": "x"}).status_code == 403  # the mentor's task
    response = _complete(w, "volkov", work, {"events_done": ["1.1"], "report": "Справка: диагностика проведена",
                                             "signature": "В."})
    assert response.status_code == 422
    body = response.get_json()
    assert body["errors"]["json"]["data"] == {"signature": ["неизвестное поле"]}
    assert "«json.data.signature»: неизвестное поле" in body["message"]
    response = _complete(w, "volkov", work, {"events_done": ["1.1"], "report": "Справка: диагностика проведена"})
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert [t["form"] for t in result["ready_tasks"]] == ["review_stage_report"]

    review = w.task("curator", "review_stage_report")
    bad = _complete(w, "curator", review, {"approved": "maybe"})
    assert bad.status_code == 422
    assert bad.get_json()["errors"]["json"]["data"] == {"approved": ["ожидается true или false"]}
    missing = _complete(w, "curator", review, {})
    assert missing.get_json()["errors"]["json"]["data"] == {"approved": ["обязательное поле"]}
    stale = _complete(w, "curator", review, {"approved": True}, expected_version=1)
    assert stale.status_code == 409
    returned = _complete(w, "curator", review, {"approved": False, "comment": "Не отмечены мероприятия этапа"})
    assert returned.status_code == 200, returned.get_json()
    again = _complete(w, "curator", review, {"approved": True})
    assert again.status_code == 409 and "уже выполнена" in again.get_json()["message"]
    assert w.task("volkov", "stage_work")  # the report went back to the mentor


def test_unknown_task_and_domain_refusals(api_world):
    w = api_world
    assert w.post("/api/v1/tasks/999/abc/complete", "head", json={"data": {}}).status_code == 404
    sign = w.task("head", "sign_order")
    refusal = _complete(w, "head", sign, {"signed": False})  # no reason: the orders service refuses
    assert refusal.status_code == 422
    assert refusal.get_json()["errors"] == {"reason": ["укажите причину отказа в подписании приказа"]}
    assert w.task("head", "sign_order")["task_id"] == sign["task_id"]  # nothing was saved
    not_object = w.post(f"/api/v1/tasks/{sign['instance_id']}/{sign['task_id']}/complete", "head", json={"data": []})
    assert not_object.status_code == 422 and "data" in not_object.get_json()["errors"]["json"]
    extra = w.post(f"/api/v1/tasks/{sign['instance_id']}/{sign['task_id']}/complete", "head",
                   json={"data": {"signed": True}, "whatever": 1})
    assert extra.status_code == 422 and "whatever" in extra.get_json()["errors"]["json"]
