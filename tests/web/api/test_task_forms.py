"""A client of the JSON API reads what to send for a task and completes it with that: a form the methodologist
designed in the browser (its key, Russian label, type, required, options and limits — the very version the process
pinned), a system form (the head's signature: without the fields the registers fill) and a diagram's own form
(its ``fields`` declaration). A wrong value is refused 422 naming the field by its Russian label; someone else's
task is 403, a task done is 409."""
from __future__ import annotations

from engine.services.methodology import designed_forms
from engine.services.people.actor import load_actor
from engine.services.process import definitions, instances

SCHEMA = {"type": "default", "components": [
    {"type": "textfield", "key": "topic", "label": "Тема встречи", "validate": {"required": True, "minLength": 5}},
    {"type": "number", "key": "hours", "label": "Сколько часов заняла", "decimalDigits": 0,
     "validate": {"min": 1, "max": 8}},
    {"type": "select", "key": "format", "label": "Формат встречи",
     "values": [{"value": "live", "label": "Очно"}, {"value": "online", "label": "Дистанционно"}]},
    {"type": "text", "text": "# Итоги"},
    {"type": "checklist", "key": "topics", "label": "Что обсуждали", "validate": {"required": True},
     "values": [{"value": "plan", "label": "План"}, {"value": "report", "label": "Отчёт"}]},
    {"type": "datetime", "subtype": "date", "key": "next_on", "label": "Следующая встреча"},
]}


def _task(form_id: str, name: str, extra: str = "") -> str:
    return (f'<bpmn:userTask id="t_{name}" name="Шаг {name}"><bpmn:extensionElements><spiffworkflow:properties>'
            f'<spiffworkflow:property name="form" value="{form_id}"/>{extra}'
            f'</spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>'
            f'<bpmn:endEvent id="e_{name}" name="Конец {name}"/>'
            f'<bpmn:sequenceFlow id="in_{name}" sourceRef="split" targetRef="t_{name}"/>'
            f'<bpmn:sequenceFlow id="out_{name}" sourceRef="t_{name}" targetRef="e_{name}"/>')


def _process() -> bytes:
    """A curator's step on the designed form and one on the diagram's own form (completed through the API)."""
    own = ('<spiffworkflow:property name="fields" value="note: text; visits: int"/>'
           '<spiffworkflow:property name="channel" value="api"/>')
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
            'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs_meeting" '
            'targetNamespace="http://nastavnik.example/bpmn">'
            '<bpmn:process id="meeting_notes_test" name="Итоги встречи (тест)" isExecutable="true">'
            '<bpmn:laneSet id="lanes"><bpmn:lane id="lane_system" name="Система">'
            '<bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>split</bpmn:flowNodeRef>'
            '<bpmn:flowNodeRef>e_designed</bpmn:flowNodeRef><bpmn:flowNodeRef>e_own</bpmn:flowNodeRef></bpmn:lane>'
            '<bpmn:lane id="lane_curator" name="Куратор"><bpmn:flowNodeRef>t_designed</bpmn:flowNodeRef>'
            '<bpmn:flowNodeRef>t_own</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
            '<bpmn:startEvent id="start" name="Старт"/><bpmn:parallelGateway id="split" name="Оба шага"/>'
            '<bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="split"/>'
            + _task("designed:meeting_notes", "designed") + _task("meeting_own", "own", own)
            + '</bpmn:process></bpmn:definitions>').encode()


def _start(w) -> int:
    with w.session_factory() as session:
        methodologist = load_actor(session, "methodologist")
        designed_forms.save_draft(session, methodologist, "meeting_notes", "Итоги встречи куратора", SCHEMA)
        designed_forms.deploy(session, methodologist, "meeting_notes")
        definitions.deploy(session, methodologist, _process(), "meeting_notes_test.bpmn")
        instance = instances.start_instance(session, load_actor(session, "curator"), "meeting_notes_test", "program",
                                            w.org_id, subject={}, data={})
        session.commit()
        return instance.id


def _url(task: dict) -> str:
    return f"/api/v1/tasks/{task['instance_id']}/{task['task_id']}"


def test_a_client_reads_a_designed_form_and_completes_the_task_with_it(api_world):
    w = api_world
    instance_id = _start(w)
    [task] = [t for t in w.get("/api/v1/tasks", "curator").get_json() if t["form_id"] == "designed:meeting_notes"]
    assert task["instance_id"] == instance_id
    response = w.get(_url(task), "curator")
    assert response.status_code == 200, response.get_json()
    described = response.get_json()
    assert described["task"]["task_id"] == task["task_id"] and described["form_title"] == "Итоги встречи куратора"
    fields = {f["key"]: f for f in described["fields"]}
    assert list(fields) == ["topic", "hours", "format", "topics", "next_on"]  # the text view asks nothing
    assert (fields["topic"]["label"], fields["topic"]["type"], fields["topic"]["required"],
            fields["topic"]["min_length"]) == ("Тема встречи", "string", True, 5)
    assert (fields["hours"]["type"], fields["hours"]["minimum"], fields["hours"]["maximum"]) == ("integer", 1, 8)
    assert fields["format"]["options"] == [{"value": "live", "label": "Очно"},
                                           {"value": "online", "label": "Дистанционно"}]
    assert (fields["topics"]["type"], fields["topics"]["items"], fields["topics"]["required"]) == ("list", "string",
                                                                                                  True)
    assert fields["next_on"]["type"] == "date" and fields["next_on"]["required"] is False

    assert w.get(_url(task), "other_curator").status_code == 403  # not hers
    assert w.get(_url(task), "volkov").status_code == 403
    assert w.get(f"/api/v1/tasks/{instance_id}/nope", "curator").status_code == 404

    def complete(data: dict):
        return w.post(_url(task) + "/complete", "curator", json={"data": data})

    # the client fills the form from the description: every value by its field's type and limits
    answers = {"topic": "Итоги первого этапа", "hours": fields["hours"]["maximum"] + 1,
               "format": fields["format"]["options"][1]["value"], "topics": ["plan"], "next_on": "2026-12-20"}
    refused = complete(answers)
    assert refused.status_code == 422
    body = refused.get_json()
    assert body["errors"]["json"]["data"] == {"hours": ["не больше 8"]}
    assert "Поле «Сколько часов заняла»: не больше 8" in body["message"]
    wrong_option = complete({**answers, "hours": 2, "format": "zoom"})
    assert wrong_option.status_code == 422
    assert "«Формат встречи»: выберите один из вариантов: Очно, Дистанционно" in wrong_option.get_json()["message"]
    done = complete({**answers, "hours": 2})
    assert done.status_code == 200, done.get_json()
    assert w.get(_url(task), "curator").status_code == 409  # done already


def test_a_system_form_and_a_diagrams_own_form_are_described_too(api_world):
    w = api_world
    instance_id = _start(w)
    sign = w.task("head", "sign_order")
    described = w.get(_url(sign), "head").get_json()
    assert described["form_title"] == "Подписать приказ"
    fields = {f["key"]: f for f in described["fields"]}
    assert list(fields) == ["signed", "refusal_reason", "order_number", "order_date"]
    assert (fields["signed"]["label"], fields["signed"]["type"], fields["signed"]["required"]) == (
        "Приказ подписан", "boolean", True)
    assert fields["order_number"]["max_length"] == 32 and fields["order_date"]["type"] == "date"
    signed = w.post(_url(sign) + "/complete", "head", json={"data": {"signed": True}})
    assert signed.status_code == 200, signed.get_json()

    proposal = w.get("/api/v1/tasks", "curator").get_json()
    own = next(t for t in proposal if t["form_id"] == "meeting_own" and t["instance_id"] == instance_id)
    fields = {f["key"]: f for f in w.get(_url(own), "curator").get_json()["fields"]}
    assert {k: f["type"] for k, f in fields.items()} == {"note": "string", "visits": "integer"}
    refused = w.post(_url(own) + "/complete", "curator", json={"data": {"note": "Был", "visits": "два"}})
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["json"]["data"] == {"visits": ["ожидается целое число"]}
    done = w.post(_url(own) + "/complete", "curator", json={"data": {"note": "Был", "visits": 2}})
    assert done.status_code == 200, done.get_json()
