"""Issue 10 «Events», as the mentor and the mentee see it on a copy of the demo: the stage's events marked
in one form with the days they took place, a day in the future refused naming the event, the mentee
marking and commenting, and the program page and its history telling who marked what."""
from __future__ import annotations

from datetime import date, timedelta

from engine.db.models import RoadmapEventRecord
from tests.web.participants_support import (  # noqa: F401 - fixtures
    demo_app,
    demo_client,
    demo_url,
    engine_session,
    login_demo,
    review_report,
)
from tests.web.test_my import current_events, post_marks, text_of


def test_the_mentor_marks_the_whole_stage_in_one_submit_with_the_days(demo_client, demo_url):
    program_id = review_report(demo_url, approved=True)  # the consultation stage begins
    events = current_events(demo_url)
    login_demo(demo_client, "volkov")
    html = demo_client.get(f"/my/programs/{program_id}").text
    assert html.count('type="date"') == len(events) and html.count("Сохранить отметки") == 1
    today = date.today()
    saved = post_marks(demo_client, program_id, {e.id: (True, today.isoformat(), "") for e in events})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#events")
    with engine_session(demo_url) as session:
        rows = [session.get(RoadmapEventRecord, e.id) for e in events]
        assert {(r.status, r.done_on, r.marked_by.login) for r in rows} == {("done", today, "volkov")}


def test_a_day_not_yet_come_or_missing_is_refused_naming_the_event_and_nothing_is_saved(demo_client, demo_url):
    program_id = review_report(demo_url, approved=True)
    first, second, *_ = current_events(demo_url)
    login_demo(demo_client, "volkov")
    tomorrow = date.today() + timedelta(days=2)
    refused = post_marks(demo_client, program_id, {first.id: (True, date.today().isoformat(), "проведено"),
                                                   second.id: (True, tomorrow.isoformat(), "")})
    page = text_of(refused.text)
    assert refused.status_code == 422
    assert f"Мероприятие {second.number}: дата проведения {tomorrow:%d.%m.%Y} ещё не наступила" in page
    assert "проведено" in refused.text  # what was typed is kept
    missing = post_marks(demo_client, program_id, {first.id: (True, "", "")})
    assert missing.status_code == 422 and f"Мероприятие {first.number}: укажите дату" in text_of(missing.text)
    garbled = post_marks(demo_client, program_id, {first.id: (True, "вчера", "")})
    assert garbled.status_code == 422 and "не распознана" in garbled.text
    with engine_session(demo_url) as session:
        assert session.get(RoadmapEventRecord, first.id).status == "planned"


def test_the_mentee_marks_and_comments_and_the_program_page_tells_who(demo_app, demo_client, demo_url):
    program_id = review_report(demo_url, approved=True)
    first, second, *_ = current_events(demo_url)
    login_demo(demo_client, "orlova")
    html = demo_client.get(f"/my/programs/{program_id}").text
    assert "Сохранить отметки" in html and "Отправить отчёт куратору" not in html
    saved = post_marks(demo_client, program_id, {
        first.id: (True, date.today().isoformat(), "Семинар был полезен"),
        second.id: (False, "", "Предлагаю перенести консультацию на следующую неделю")})
    assert saved.status_code == 302
    mine = text_of(demo_client.get(f"/my/programs/{program_id}").text)
    assert "Предлагаю перенести консультацию на следующую неделю" in mine and "отметка: Орлова" in mine
    curator = demo_app.test_client()
    login_demo(curator, "curator")
    page = text_of(curator.get(f"/programs/{program_id}").text)
    assert "отметка: Орлова Ирина Сергеевна" in page and "Семинар был полезен" in page
    assert f"Мероприятие {first.number} отмечено проведённым {date.today():%d.%m.%Y}" in page
    assert f"Комментарий к мероприятию {second.number}" in page and "roadmap_event" not in page
