"""``/api/v1/programs/{id}/plan`` (003 §7.2, §4.2, §5.1): once the head signs the pair's order, the mentor proposes a
correction moving an event — a date outside the program and a missing reason are refused naming the change —, the
mentee returns it and then agrees, the curator approves it and the event moves; outsiders are refused before the
body is read."""
from __future__ import annotations

from datetime import date, timedelta

from engine.db.models import Program, RoadmapEventRecord
from engine.services.mentorship import plan_changes


def _movable(api_world, program_id: int) -> tuple[int, str, date]:
    """A planned event of an open stage and a day inside its stage's window to move it to."""
    today = date.today()
    with api_world.session_factory() as s:
        program = s.get(Program, program_id)
        for event in program.events:
            if event.status == "planned" and event.due_on and event.due_on > today + timedelta(days=2) \
                    and not plan_changes.closed_stage(program, event.stage_id):
                first, _last = plan_changes.stage_window(program, event.stage_id)
                day = max(today + timedelta(days=1), first or today)
                if day < event.due_on:
                    return event.id, event.number, day
    raise AssertionError("no event to move")


def test_a_correction_from_the_mentor_to_the_curators_approval(api_world):
    program_id = api_world.sign_pair_order()
    event_id, number, day = _movable(api_world, program_id)
    url = f"/api/v1/programs/{program_id}/plan"
    ids = api_world.ids

    shown = api_world.get(url, "volkov")
    assert shown.status_code == 200 and shown.json["role"] == "mentor" and shown.json["current"] is None
    assert any(e["id"] == event_id and e["changeable"] for e in shown.json["events"])
    assert shown.json["open_stages"]
    assert api_world.get(url, "curator").json["curator"] is True
    assert api_world.get(url, "other_curator").status_code == 403

    move = {"op": "move", "event_id": event_id, "due_on": day.isoformat(), "reason": "совпадает с педсоветом"}
    late = api_world.post(f"{url}/corrections", "volkov", json={"changes": [{**move, "due_on": "2099-01-01"}]})
    assert late.status_code == 422 and f"мероприятие {number}" in late.json["message"]
    assert "вне срока реализации программы" in late.json["errors"]["changes"][0]
    no_reason = api_world.post(f"{url}/corrections", "volkov", json={"changes": [{**move, "reason": " "}]})
    assert no_reason.status_code == 422 and "Причина" in no_reason.json["message"]
    unknown = api_world.post(f"{url}/corrections", "volkov", json={"changes": [{**move, "op": "swap"}]})
    assert unknown.status_code == 422 and "допустимые значения" in unknown.json["message"]
    assert api_world.post(f"{url}/corrections", "volkov", json={"changes": []}).status_code == 422
    # an outsider is refused before the body is read; another program's event is named, not trusted
    assert api_world.post(f"{url}/corrections", "other_curator", json={"changes": "x"}).status_code == 403
    assert api_world.post(f"{url}/corrections", "curator", json={"changes": [move]}).status_code == 403
    foreign = api_world.post(f"{url}/corrections", "volkov", json={"changes": [{**move, "event_id": 2147483647}]})
    assert foreign.status_code == 422 and "нет мероприятия №2147483647" in foreign.json["message"]

    proposed = api_world.post(f"{url}/corrections", "volkov", json={"changes": [move]})
    assert proposed.status_code == 201, proposed.json
    current = proposed.json["current"]
    assert current["status"] == "proposed" and current["waiting_for"] == [ids["orlova"]]
    assert current["changes"][0]["text"].startswith(f"перенести {number}")
    correction = current["id"]
    busy = api_world.post(f"{url}/corrections", "orlova", json={"changes": [move]})
    assert busy.status_code == 409 and "другого участника ещё не решена" in busy.json["message"]

    agree = f"{url}/corrections/{correction}/agree"
    assert api_world.post(agree, "volkov", json={"agreed": True}).status_code == 409  # the proposer agreed already
    no_why = api_world.post(agree, "orlova", json={"agreed": False})
    assert no_why.status_code == 422 and "укажите причину возврата" in no_why.json["message"]
    returned = api_world.post(agree, "orlova", json={"agreed": False, "reason": "в этот день экзамен"})
    assert returned.json["current"]["status"] == "returned"
    assert returned.json["current"]["return_reason"] == "в этот день экзамен"
    again = api_world.post(f"{url}/corrections", "volkov", json={"changes": [move]})
    assert again.status_code == 201 and again.json["current"]["attempt"] == 2
    assert api_world.post(agree, "orlova", json={"agreed": True}).json["current"]["status"] == "agreed"

    decide = f"{url}/corrections/{correction}/decide"
    assert api_world.post(decide, "volkov", json={"approved": True}).status_code == 403
    assert api_world.post(decide, "other_curator", json={"approved": "нет"}).status_code == 403
    assert api_world.post(f"{url}/corrections/999999/decide", "curator", json={"approved": True}).status_code == 404
    assert api_world.post(decide, "curator", json={"approved": False}).status_code == 422
    approved = api_world.post(decide, "curator", json={"approved": True})
    assert approved.status_code == 200 and approved.json["current"] is None
    [done] = approved.json["past"]
    assert done["status"] == "approved" and done["applied"][0]["becomes"] == f"срок — {day:%d.%m.%Y}"
    with api_world.session_factory() as s:
        assert s.get(RoadmapEventRecord, event_id).due_on == day
    assert api_world.post(f"{url}/corrections/{correction}/withdraw", "volkov").status_code == 409
