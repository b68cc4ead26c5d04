"""My programs and the current stage's work (mentor and mentee pages) on a copy of the demo data."""
from __future__ import annotations

import io
import re
from datetime import date

from sqlalchemy import select

from engine.db.models import Attachment, Consent, OpenTask, Person, RoadmapEventRecord, StageReport
from engine.demo.world import DEMO_PASSWORD
from engine.services.mentorship import formation as mentorship
from engine.services.mentorship import mentee_registry
from engine.services.people.accounts import set_password
from engine.services.people.actor import load_actor
from tests.web.conftest import csrf_token
from tests.web.participants_support import (  # noqa: F401 - fixtures
    PDF,
    demo_app,
    demo_client,
    demo_url,
    engine_session,
    in_progress_program,
    let_stage_run_late,
    login_demo,
    review_report,
)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def current_events(url: str) -> list[RoadmapEventRecord]:
    with engine_session(url) as session:
        program = in_progress_program(session)
        return [e for e in program.events if e.stage_id == program.current_stage_id]


def post_event(client, program_id: int, event_id: int, *, done=True, note="", files=()):
    page = client.get(f"/my/programs/{program_id}")
    data = {"csrf_token": csrf_token(page.text), "note": note,
            "files": [(io.BytesIO(content), name) for name, content in files]}
    if done:
        data["done"] = "y"
    return client.post(f"/my/programs/{program_id}/events/{event_id}", data=data,
                       content_type="multipart/form-data")


def post_marks(client, program_id: int, marks: dict, *, shown=None):
    """The stage's events table as one form: ``marks`` = {event_id: (done, "YYYY-MM-DD" or "", comment)}."""
    page = client.get(f"/my/programs/{program_id}")
    data: dict = {"csrf_token": csrf_token(page.text), "event": [str(i) for i in (shown or marks)]}
    for event_id, (done, day, comment) in marks.items():
        if done:
            data[f"done-{event_id}"] = "y"
        data[f"held_on-{event_id}"], data[f"comment-{event_id}"] = day, comment
    return client.post(f"/my/programs/{program_id}/events", data=data)


def post_report(client, program_id: int, report: str, *, files=(), version: str | None = None):
    page = client.get(f"/my/programs/{program_id}")
    found = re.search(r'name="version" type="hidden" value="(\d*)"', page.text)
    data = {"csrf_token": csrf_token(page.text), "report": report,
            "version": version if version is not None else (found.group(1) if found else ""),
            "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/my/programs/{program_id}/report", data=data, content_type="multipart/form-data")


def test_my_programs_list_the_stage_due_date_progress_and_link_the_work(demo_client):
    login_demo(demo_client, "volkov")
    html = demo_client.get("/my").text
    page = text_of(html)
    assert "Мои программы" in page and "1 ЭТАП. ОРГАНИЗАЦИОННЫЙ" in page
    assert "4 из 4 проведено" in page and "на проверке у куратора" in page and "Орлова Ирина Сергеевна" in page
    assert "завершена" in page  # the finished program with novikova is listed too
    assert 'href="/my/programs/' in html
    assert demo_client.get("/").headers["Location"].endswith("/my")  # the start page of a mentor


def test_mentor_tasks_are_listed_and_overdue_is_highlighted(demo_client, demo_url):
    program_id = review_report(demo_url, approved=False, comment="Добавьте выводы по диагностике")
    login_demo(demo_client, "volkov")
    html = demo_client.get("/my").text
    assert "Провести мероприятия этапа и представить отчёт" in html
    assert 'class="my-step is-overdue"' not in html  # the demo's work is not due yet
    let_stage_run_late(demo_url, program_id)
    html = demo_client.get("/my").text
    assert 'class="my-step is-overdue"' in html and "просрочен" in html


def test_only_participants_and_only_their_programs(demo_app, demo_client, demo_url):
    with engine_session(demo_url) as session:
        program_id = in_progress_program(session).id
    assert demo_client.get("/my").status_code == 302  # to the login page
    login_demo(demo_client, "curator")
    assert demo_client.get("/my").status_code == 403
    assert demo_client.get(f"/my/programs/{program_id}").status_code == 403
    demo_client = demo_app.test_client()
    login_demo(demo_client, "morozova")  # another mentor
    assert demo_client.get(f"/my/programs/{program_id}").status_code == 403
    event = current_events(demo_url)[0]
    assert post_event(demo_client, program_id, event.id).status_code == 403
    assert demo_client.get("/my/programs/999999").status_code == 404


def test_mentee_sees_the_stage_under_review_and_sends_no_report(demo_client, demo_url):
    with engine_session(demo_url) as session:
        program_id = in_progress_program(session).id
    login_demo(demo_client, "orlova")
    html = demo_client.get(f"/my/programs/{program_id}").text
    assert "Вы — наставляемый." in html and "Волков Игорь Николаевич" in html
    assert "Сохранить отметки" not in html and "Отправить отчёт куратору" not in html  # the report is on review
    assert "Замена наставника" in html and "Освобождение наставника" not in html
    event = current_events(demo_url)[0]
    locked = post_event(demo_client, program_id, event.id)
    assert locked.status_code == 409 and "на проверке" in locked.text
    assert post_report(demo_client, program_id, "справка").status_code == 403


def test_events_marked_with_notes_and_files_then_the_report(demo_client, demo_url):
    program_id = review_report(demo_url, approved=True)
    events = current_events(demo_url)
    assert events[0].stage_id == "consultation"
    login_demo(demo_client, "volkov")
    html = demo_client.get(f"/my/programs/{program_id}").text
    assert "2. ЭТАП. КОНСУЛЬТАЦИОННЫЙ" in html and events[0].name in html and "Информационная справка" in html
    response = post_event(demo_client, program_id, events[0].id, note="Семинар проведён 10.12",
                          files=[("протокол.pdf", PDF)])
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#event-{events[0].id}")
    html = demo_client.get(f"/my/programs/{program_id}").text
    assert "Семинар проведён 10.12" in html and "протокол.pdf" in html
    refused = post_event(demo_client, program_id, events[1].id, note="не сохранится",
                         files=[("setup.exe", b"MZ\x90\x00" + b"\x00" * 40)])
    assert refused.status_code == 422 and "setup.exe" in refused.text and "не сохранится" in refused.text
    with engine_session(demo_url) as session:
        assert session.get(RoadmapEventRecord, events[1].id).status == "planned"
        assert session.get(RoadmapEventRecord, events[1].id).note is None
        assert [a.file_name for a in session.scalars(select(Attachment))] == ["протокол.pdf"]
    today = date.today().isoformat()
    assert post_marks(demo_client, program_id, {events[0].id: (True, today, "")}).status_code == 302
    empty = post_report(demo_client, program_id, "   ")
    assert empty.status_code == 422 and "Напишите текст отчёта" in empty.text
    stale = post_report(demo_client, program_id, "справка", version="1")
    assert stale.status_code == 409 and "справка" in stale.text
    done = post_report(demo_client, program_id, "Информационная справка: семинар 2.1 проведён.",
                       files=[("справка.pdf", PDF)])
    assert done.status_code == 302
    with engine_session(demo_url) as session:
        program = in_progress_program(session)
        [report] = [r for r in program.reports if r.stage_id == "consultation"]
        assert (report.status, report.attempt) == ("submitted", 1)
        [annex] = session.scalars(select(Attachment).where(Attachment.stage_report_id == report.id)).all()
        assert annex.file_name == "справка.pdf"
        assert session.scalar(select(OpenTask).where(OpenTask.instance_id == program.workflow_instance_id,
                                                     OpenTask.form_id == "review_stage_report")) is not None
        assert session.get(RoadmapEventRecord, events[0].id).status == "done"
    locked = post_event(demo_client, program_id, events[1].id)
    assert locked.status_code == 409 and "на проверке" in locked.text


def test_returned_report_is_shown_edited_and_resubmitted(demo_client, demo_url):
    program_id = review_report(demo_url, approved=False, comment="Опишите итоги мониторинга запросов")
    login_demo(demo_client, "volkov")
    html = demo_client.get(f"/my/programs/{program_id}").text
    assert "Отчёт возвращён куратором на доработку" in html and "Опишите итоги мониторинга запросов" in html
    assert "диагностика затруднений проведена" in html  # the returned text is there to edit
    assert "Отправить исправленный отчёт" in html
    assert post_report(demo_client, program_id, "Исправлено: итоги мониторинга описаны.").status_code == 302
    with engine_session(demo_url) as session:
        reports = [(r.attempt, r.status) for r in in_progress_program(session).reports]
    assert reports == [(1, "returned"), (2, "submitted")]


def test_consent_to_a_new_pair_with_the_personal_data_consent(demo_client, demo_url):
    with engine_session(demo_url) as session:
        department = in_progress_program(session).group.organization
        newcomer = Person(login="gromova", full_name="Громова Вера Павловна", position="Директор", is_head=True,
                          months_as_head=3, efficiency_percent=70, school_low_results=False,
                          in_management_reserve=False, organization=department)
        set_password(newcomer, DEMO_PASSWORD)
        session.add(newcomer)
        session.commit()
        curator = load_actor(session, "curator")
        mentee_registry.register_mentee(session, curator, department.id, newcomer.id)
        session.commit()
        volkov = session.scalar(select(Person).where(Person.login == "volkov"))
        mentorship.propose_pair(session, curator, department.id, volkov.id, [newcomer.id])
        session.commit()
    login_demo(demo_client, "volkov")
    html = demo_client.get("/my").text
    assert "Ждут вашего согласия" in html and "Громова Вера Павловна" in html
    link = re.search(r'href="(/my/consents/[^"]+)"', html).group(1)
    page = demo_client.get(link)
    assert page.status_code == 200 and "152-ФЗ" in page.text
    # the written consent 003 §3.2 names, in its words; the answer agrees with the person (Волков Игорь Николаевич)
    assert ("на возложение на меня дополнительных обязанностей, связанных с наставнической деятельностью"
            in page.text)
    assert "> Согласен</label>" in page.text and "Согласен(на)" not in page.text
    refused = demo_client.post(link, data={"csrf_token": csrf_token(page.text), "consent": "yes", "comment": ""})
    assert refused.status_code == 422 and "персональных данных" in refused.text
    given = demo_client.post(link, data={"csrf_token": csrf_token(page.text), "consent": "yes",
                                         "personal_data": "y", "comment": ""})
    assert given.status_code == 302
    assert demo_client.get(link).status_code == 404  # answered
    with engine_session(demo_url) as session:
        kinds = sorted(c.kind for c in session.scalars(select(Consent).join(Person, Consent.person_id == Person.id)
                                                       .where(Person.login == "volkov", Consent.group_id.is_not(None)))
                       if c.group.members[0].person.login == "gromova")
    assert kinds == ["participation", "personal_data"]
    demo_client.post("/logout", data={"csrf_token": csrf_token(demo_client.get("/my").text)})
    login_demo(demo_client, "gromova")
    hers = re.search(r'href="(/my/consents/[^"]+)"', demo_client.get("/my").text).group(1)
    assert "> Согласна</label>" in demo_client.get(hers).text  # Громова Вера Павловна


def test_reminder_acknowledged_from_the_page(demo_client, demo_url):
    program_id = review_report(demo_url, approved=True)
    from engine.services.process import instances
    with engine_session(demo_url) as session:
        program = in_progress_program(session)
        due = max(e.due_on for e in program.events if e.stage_id == program.current_stage_id)
        instances.fire_timers(session, f"{due.isoformat()}T00:00:00+00:00")
        reminder = session.scalar(select(OpenTask).where(OpenTask.instance_id == program.workflow_instance_id,
                                                         OpenTask.form_id == "acknowledge_reminder"))
        assert reminder is not None
    login_demo(demo_client, "volkov")
    html = demo_client.get(f"/my/programs/{program_id}").text
    assert "Напоминание: срок этапа истекает" in html
    action = re.search(r'action="([^"]+/reminder)"', html).group(1)
    response = demo_client.post(action, data={"csrf_token": csrf_token(html), "comment": "Готовлю справку"})
    assert response.status_code == 302
    assert demo_client.post(action, data={"csrf_token": csrf_token(html)}).status_code == 404  # done already


def test_english_labels(demo_client):
    login_demo(demo_client, "volkov")
    html = demo_client.get("/my?lang=en").text
    assert "My programs" in html and "Current stage" in html


def test_stage_report_rows_exist_only_through_the_workflow(demo_client, demo_url):
    with engine_session(demo_url) as session:
        before = len(session.scalars(select(StageReport)).all())
    login_demo(demo_client, "volkov")
    with engine_session(demo_url) as session:
        program_id = in_progress_program(session).id
    response = post_report(demo_client, program_id, "вторая справка")  # the first one is under review
    assert response.status_code == 409
    with engine_session(demo_url) as session:
        assert len(session.scalars(select(StageReport)).all()) == before
