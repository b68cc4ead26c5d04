"""«План мероприятий» pages (issue 18 item 3, 003 §7.2): the mentor proposes a correction, the mentee agrees,
the curator returns and then approves it; a stranger gets 403, bad input a 422 naming the change and the field."""
from __future__ import annotations

from datetime import date, timedelta

from engine.services.mentorship import plan_changes
from tests.web.conftest import csrf_token
from tests.web.participants_support import (  # noqa: F401 - fixtures
    demo_app,
    demo_client,
    demo_url,
    engine_session,
    in_progress_program,
    login_demo,
)


def _target(url: str) -> tuple[int, int, str, date]:
    """The demo program, one planned event of an open stage due after tomorrow and a day to move it to."""
    today = date.today()
    with engine_session(url) as session:
        program = in_progress_program(session)
        for event in program.events:
            if event.status == "planned" and event.due_on and event.due_on > today + timedelta(days=2) \
                    and not plan_changes.closed_stage(program, event.stage_id):
                first, _last = plan_changes.stage_window(program, event.stage_id)
                day = max(today + timedelta(days=1), first or today)
                if day < event.due_on:
                    return program.id, event.id, event.number, day
    raise AssertionError("no event to move in the demo program")


def _post(client, url: str, **data):
    page = client.get(url.split("/plan")[0] + "/plan")
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data})


def test_a_correction_through_the_pages(demo_app, demo_client, demo_url):
    program_id, event_id, number, day = _target(demo_url)
    base = f"/programs/{program_id}/plan"
    login_demo(demo_client, "volkov")
    page = demo_client.get(base)
    assert page.status_code == 200 and "План мероприятий" in page.text and "003 §7.2" in page.text
    assert f"/programs/{program_id}/plan" in demo_client.get(f"/programs/{program_id}").text
    bad = _post(demo_client, base + "/changes", op="move", event_id=str(event_id), due_on="2099-01-01", reason="педсовет")
    assert bad.status_code == 422 and f"мероприятие {number}" in bad.text and "вне срока реализации программы" in bad.text
    noreason = _post(demo_client, base + "/changes", op="move", event_id=str(event_id), due_on=day.isoformat(), reason=" ")
    assert noreason.status_code == 422 and "Причина" in noreason.text
    assert _post(demo_client, base + "/changes", op="move", event_id=str(event_id), due_on=day.isoformat(),
                 reason="совпадает с педсоветом").status_code == 302
    assert _post(demo_client, base + "/propose").status_code == 302
    assert "Ждёт согласия" in demo_client.get(base).text

    stranger = demo_app.test_client()
    login_demo(stranger, "morozova")
    assert stranger.get(base).status_code == 403
    assert _post(demo_client, base + "/changes", op="move", reason="x").status_code == 409  # proposed: no more edits

    mentee = demo_app.test_client()
    login_demo(mentee, "orlova")
    html = mentee.get(base).text
    correction_id = int(html.split('data-correction="')[1].split('"')[0])
    assert _post(mentee, f"{base}/{correction_id}/agree", decision="agree").status_code == 302

    curator = demo_app.test_client()
    login_demo(curator, "curator")
    inbox = curator.get("/inbox").text
    assert "Корректировки плана мероприятий на утверждение" in inbox and base in inbox
    refused = _post(curator, f"{base}/{correction_id}/decide", decision="return", reason="")
    assert refused.status_code == 422 and "причину возврата" in refused.text
    assert _post(mentee, f"{base}/{correction_id}/decide", decision="approve").status_code == 403
    assert _post(curator, f"{base}/{correction_id}/decide", decision="approve").status_code == 302
    done = curator.get(base).text
    assert "утверждена" in done and f"{number} «" in done and day.strftime("%d.%m.%Y") in done
    history = curator.get(f"/programs/{program_id}").text
    assert "утвердил корректировку плана" in history
