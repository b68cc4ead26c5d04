"""The pages of a school bound to the pack «school» (001), on the test's clock: the mentee's petition shows who
decides and on what grounds (001 §6.2), the head decides it on the head's page and the order waits for the
head's signature; the curator starts the calendar, files the monitoring report by its date (001 §2.4) and
reviews the base entry by entry (001 §4.2); the regulation page lists who does what and where."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from engine.db.models import CalendarReport, Mentee, Order
from engine.forms import FormId
from tests.engine.services.pack_world import PackWorld
from tests.web.conftest import app_on_clock, csrf_token, login, password_hash

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])
START = datetime(2025, 9, 16, 9, 0, tzinfo=UTC)


@pytest.fixture
def school(db_session_factory):
    """A school on the pack «school» with a teacher pair running; the logins use the seed's password."""
    session = db_session_factory()
    world = PackWorld(session, "school", START, name="МАОУ Кунарская СОШ", short_name="Кунарская СОШ")
    for person in (world.curator, world.head):
        person.password_hash = password_hash()
    people = {
        "mentor": world.person("Петрова Анна Ивановна", participant_kind="pedagogue", password_hash=password_hash()),
        "other": world.person("Орлов Игорь Петрович", participant_kind="pedagogue", password_hash=password_hash()),
        "mentee": world.person("Белова Дарья Сергеевна", participant_kind="pedagogue", password_hash=password_hash()),
        "student": world.person("Зайцева Полина", participant_kind="student", birth_date=date(2014, 2, 1),
                                password_hash=password_hash()),
    }
    session.commit()
    world.appoint(people["mentor"])
    world.appoint(people["other"])
    world.register(people["mentee"], "young_specialist")
    world.register(people["student"], "student")
    [program] = world.pair(people["mentor"], [people["mentee"]], "teacher_teacher")
    yield world, people, program
    session.close()


@pytest.fixture
def app(db_url, db_engine, seed, school):
    """The app on the school's clock (its domain: the world's FixedClock)."""
    with app_on_clock(db_url, school[0].clock) as application:
        yield application


@SQLITE
def test_the_mentee_petitions_and_the_head_decides(client, school):
    world, people, program = school
    login(client, people["mentee"].login)
    page = client.get(f"/my/programs/{program.id}")
    assert "001 §6.2 · решает руководитель" in page.text
    assert "«при невозможности установления личного контакта с наставником»" in page.text
    assert "Досрочное завершение" not in page.text  # 001 lists one petition
    form = client.get(f"/my/programs/{program.id}/petitions/mentor_replacement")
    assert "Ходатайство рассматривает: руководитель." in form.text
    assert client.get(f"/my/programs/{program.id}/petitions/extension").status_code == 403
    sent = client.post(f"/my/programs/{program.id}/petitions/mentor_replacement",
                       data={"csrf_token": csrf_token(form.text), "reason": "Наставник не выходит на связь."})
    assert sent.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/my").text)})

    login(client, world.curator.login)
    assert client.get("/decisions").status_code == 403  # the head's, not the curator's (001 §6.2)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/inbox").text)})

    login(client, world.head.login)
    listing = client.get("/decisions")
    assert "Ходатайства" in listing.text and "Белова Дарья Сергеевна" in listing.text
    task = world.task(world.head, FormId.DECIDE_PETITION)
    path = f"/decisions/{task.instance_id}/{task.task_id}"
    page = client.get(path)
    assert "Наставник не выходит на связь." in page.text and "001 §6.2" in page.text
    assert "Орлов Игорь Петрович" in page.text  # the other appointed mentor is the choice
    token = csrf_token(page.text)
    refused = client.post(path, data={"csrf_token": token, "reject": "1", "comment": "", "new_mentor_id": "0"})
    assert refused.status_code == 422 and "При отказе укажите причину." in refused.text
    no_mentor = client.post(path, data={"csrf_token": token, "approve": "1", "new_mentor_id": "0"})
    assert no_mentor.status_code == 422 and "Выберите нового наставника из назначенных приказом." in no_mentor.text
    done = client.post(path, data={"csrf_token": token, "approve": "1", "new_mentor_id": str(people["other"].id),
                                   "comment": "Удовлетворить"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/orders")
    assert "О замене наставника" not in client.get("/orders").text  # the new mentor consents first
    world.complete(people["other"], FormId.GIVE_CONSENT, {"consent": True}, task.instance_id)
    orders = client.get("/orders")
    assert "О замене наставника" in orders.text
    world.session.expire_all()
    assert world.session.scalar(select(Order.status).where(Order.type == "mentor_replacement")) == \
        "awaiting_signature"


@SQLITE
def test_the_curator_starts_the_calendar_files_monitoring_and_reviews_the_base(client, school):
    world, people, program = school
    login(client, world.curator.login)
    page = client.get("/monitoring")
    assert "Мониторинг и оценка результатов" in page.text and "календарь не запущен" in page.text
    assert "«учитель – учитель»: <strong>1</strong>" in page.text
    started = client.post(f"/monitoring/{world.organization.id}/calendar", data={"csrf_token": csrf_token(page.text)})
    assert started.status_code == 302
    page = client.get("/monitoring")
    assert "20.12.2025" in page.text and "20.05.2026" in page.text and "15.09.2026" in page.text

    world.session.expunge_all()  # the app changed the rows (a task done, its id free again): read them anew
    world.advance_to(date(2025, 12, 6))
    inbox = client.get("/inbox")
    task = world.task(world.curator, FormId.MONITORING_REPORT)
    path = f"/monitoring/tasks/{task.instance_id}/{task.task_id}"
    assert path in inbox.text  # the inbox links the calendar task
    form = client.get(path)
    assert "до 20.12.2025 (001 §2.4)" in form.text
    empty = client.post(path, data={"csrf_token": csrf_token(form.text), "conclusions": ""})
    assert empty.status_code == 422 and "Напишите выводы мониторинга" in empty.text
    filed = client.post(path, data={"csrf_token": csrf_token(form.text), "conclusions": "Пара работает по плану."})
    assert filed.status_code == 302
    report = world.session.scalar(select(CalendarReport))
    shown = client.get(f"/monitoring/reports/{report.id}")
    assert "Пара работает по плану." in shown.text and "«учитель – учитель»" in shown.text

    world.session.expunge_all()
    world.advance_to(date(2026, 9, 1))
    task = world.task(world.curator, FormId.BASE_REVIEW)
    path = f"/monitoring/tasks/{task.instance_id}/{task.task_id}"
    form = client.get(path)
    student = world.session.scalar(select(Mentee).where(Mentee.person_id == people["student"].id))
    entries = [line for line in form.text.split('name="entry" value="')[1:]]
    keys = [entry.split('"', 1)[0] for entry in entries]
    assert f"mentee:{student.id}" in keys and len(keys) == 4  # two mentors, two mentees
    data = {"csrf_token": csrf_token(form.text), "entry": keys, "comment": "Сверка перед учебным годом."}
    data.update({f"action-{key}": "confirm" for key in keys})
    data[f"action-mentee:{student.id}"] = "update"
    missing_note = client.post(path, data=data)
    assert missing_note.status_code == 422 and "укажите, что исправлено" in missing_note.text
    data[f"withdraw-mentee:{student.id}"] = "1"
    assert client.post(path, data=data).status_code == 302
    world.session.expire_all()
    assert world.session.get(Mentee, student.id).status == "withdrawn"
    review = world.session.scalar(select(CalendarReport).where(CalendarReport.kind == "base_review"))
    assert (review.body["confirmed"], review.body["updated"]) == (3, 1)


@SQLITE
def test_the_regulation_page_says_who_does_what_and_where(client, school):
    world, _people, _program = school
    login(client, world.head.login)
    page = client.get("/monitoring/regulation")
    assert "Положение о наставничестве МАОУ Кунарской СОШ" in page.text
    assert "«формирование наставнических пар и групп»" in page.text and "Рабочая группа" in page.text
    assert "вне системы" in page.text and "001 не задаёт" in page.text
    assert "Замена наставника — решает Руководитель образовательной организации (директор) (001 §6.2)" in page.text
