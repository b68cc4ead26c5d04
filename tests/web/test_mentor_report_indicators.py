"""The mentor's period report where the regulation names indicators (002 §5: the monitoring of the program's process
and of its impact), the reminder of the date and the curator's choice of the period:

- an organization whose pack declares the 002 indicators (tests/packs/report_indicators_002.yaml) gets a field per
  indicator in every program of the report — percents 0–100, counts, texts; a percent of 120 or a count in words is
  named under its field, nothing stored; what is filed is kept with the report and the curator reads it on the
  monitoring page; an organization whose pack names none gets no such field and the engine refuses them;
- three days before the date the reminder is on the report's page with a button that hides it; the mentor's /my
  page lists the report with its date; filing the report closes the reminder;
- the curator chooses the date whose reports she reads (web/views/my_reports.py, web/views/monitoring.py)."""
from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from engine.db.models import MentorPeriodReport, OpenTask
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.regulations import install_pack, pack
from engine.services.curation import mentor_reports
from tests.engine.services.mentorship.test_petition_packs import NEW_HEAD, TOMSK_MENTOR
from tests.engine.services.pack_world import PackWorld
from tests.packs import indicators_002
from tests.web.conftest import app_on_clock, csrf_token, login, password_hash

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])
BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


@pytest.fixture
def pack_002():
    """The organization's pack declares the indicators of 002 §5; the shipped pack comes back afterwards."""
    shipped = pack("tomsk")
    install_pack(dataclasses.replace(shipped, report_indicators=indicators_002()))
    yield
    install_pack(shipped)


def build_world(session) -> tuple[PackWorld, object, object, object]:
    """Two appointed mentors, one in a running program; the report tasks for 10 June opened on 27 May."""
    world = PackWorld(session, "tomsk", datetime(2025, 1, 15, 9, 0, tzinfo=UTC))
    world.curator.password_hash = world.head.password_hash = password_hash()
    volkov = world.person("Волков Андрей Николаевич", position="директор гимназии", password_hash=password_hash(),
                          **TOMSK_MENTOR)
    orlov = world.person("Орлов Пётр Ильич", position="директор лицея", password_hash=password_hash(), **TOMSK_MENTOR)
    mentee = world.person("Новикова Елена Павловна", position="директор школы", **NEW_HEAD)
    world.appoint(volkov)
    world.appoint(orlov)
    world.register(mentee)
    [program] = world.pair(volkov, [mentee], "head_head")
    world.advance_to(date(2025, 5, 27))
    assert mentor_reports.open_due_reports(session, world.clock.now()) == 2
    session.commit()
    return world, volkov, orlov, program


@pytest.fixture
def world(db_session_factory, request):
    session = db_session_factory()
    yield build_world(session)
    session.close()


@pytest.fixture
def app(db_url, db_engine, seed, world):
    with app_on_clock(db_url, world[0].clock) as application:
        yield application


def report_path(world, person) -> str:
    task = world.task(person, FormId.MENTOR_PERIOD_REPORT)
    return f"/my/reports/{task.instance_id}/{task.task_id}"


@BOTH
@pytest.mark.usefixtures("pack_002")
def test_the_mentor_gives_the_002_indicators_and_the_curator_reads_them(client, world):
    world, volkov, orlov, program = world
    path = report_path(world, volkov)
    login(client, volkov.login)
    page = client.get(path)
    assert page.status_code == 200
    assert "Мониторинг процесса реализации программы" in page.text and "Мониторинг влияния программы" in page.text
    assert "Обучающиеся наставляемого, успешно прошедшие ВПР/ГИА, %" in page.text and "002 §5" in page.text
    entry = {"csrf_token": csrf_token(page.text), "programs-0-program_id": str(program.id),
             "programs-0-results": "Составлен план развития школы"}
    wrong = client.post(path, data={**entry, "programs-0-indicator_exam_pass_share": "120",
                                    "programs-0-indicator_joint_projects": "два"})
    assert wrong.status_code == 422
    share = wrong.text.split('data-indicator="exam_pass_share"')[1].split("</div>")[0]
    assert "«Обучающиеся наставляемого, успешно прошедшие ВПР/ГИА» — процент от 0 до 100" in share
    projects = wrong.text.split('data-indicator="joint_projects"')[1].split("</div>")[0]
    assert "ожидается число, получено «два»" in projects
    filed = client.post(path, data={**entry, "programs-0-indicator_exam_pass_share": "85,5",
                                    "programs-0-indicator_joint_projects": "2",
                                    "programs-0-indicator_future_participants": "3",
                                    "programs-0-indicator_motivation": "Наставляемая сама ведёт семинары"})
    assert filed.status_code == 302, filed.text
    row = world.session.scalar(select(MentorPeriodReport).where(MentorPeriodReport.mentor_id == volkov.id)
                               .execution_options(populate_existing=True))
    [kept] = row.body["programs"]
    assert kept["indicators"] == {"joint_projects": 2, "exam_pass_share": 85.5, "future_participants": 3,
                                  "motivation": "Наставляемая сама ведёт семинары"}
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/my").text)})

    login(client, world.curator.login)
    monitoring = client.get(f"/monitoring?org={world.organization.id}")
    shown = monitoring.text.split(f'data-mentor-report="{row.id}"')[1].split("</tr>")[0]
    assert "Составлен план развития школы" in shown
    assert 'data-indicator-value="exam_pass_share">85.5 %' in shown
    assert "Педагоги, планирующие стать наставниками или наставляемыми" in shown


@SQLITE
def test_a_regulation_without_indicators_asks_none(client, world):
    world, volkov, orlov, program = world
    path = report_path(world, volkov)
    login(client, volkov.login)
    page = client.get(path)
    assert "Мониторинг процесса реализации программы" not in page.text and "indicator_" not in page.text
    with pytest.raises(NastavnikError, match="нет показателя «exam_pass_share»; есть: положение организации"):
        world.complete(volkov, FormId.MENTOR_PERIOD_REPORT, {"programs": [{
            "program_id": str(program.id), "results": "План составлен", "indicators": {"exam_pass_share": 90}}]})


@SQLITE
def test_the_reminder_is_on_the_page_hidden_by_a_click_and_closed_by_the_report(client, world):
    world, volkov, orlov, program = world
    world.advance_to(date(2025, 6, 7))  # three days before 10 June
    login(client, volkov.login)
    home = client.get("/my")
    listed = home.text.split("data-period-reports")[1].split("</section>")[0]
    assert "Отчёт наставника за период" in listed and "срок 10.06.2025" in listed and "скоро срок" in listed
    path = report_path(world, volkov)
    assert f'href="{path}"' in listed
    page = client.get(path)
    assert "Напоминание: срок отчёта наставника истекает" in page.text and "Скрыть напоминание" in page.text
    reminder = page.text.split('data-reminder="')[1].split('"')[0]  # the form of the banner
    assert world.task(volkov, FormId.ACKNOWLEDGE_REMINDER, int(path.split("/")[3])).task_id == reminder
    hidden = client.post(f"{path.rsplit('/', 1)[0]}/{reminder}/reminder",
                         data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
    assert hidden.status_code == 200 and "Напоминание скрыто." in hidden.text
    assert "Скрыть напоминание" not in hidden.text and "Отчёт наставника за период" in hidden.text
    client.post("/logout", data={"csrf_token": csrf_token(hidden.text)})

    login(client, orlov.login)  # he files with the reminder open: it closes with the report
    orlov_path = report_path(world, orlov)
    page = client.get(orlov_path)
    assert "Скрыть напоминание" in page.text
    filed = client.post(orlov_path, data={"csrf_token": csrf_token(page.text), "comment": "Программ нет, "
                                          "провёл два семинара для директоров"})
    assert filed.status_code == 302
    world.session.expire_all()
    assert world.session.scalars(select(OpenTask).where(OpenTask.assignee_id == orlov.id)).all() == []
    assert "data-period-reports" not in client.get("/my").text


@SQLITE
def test_the_curator_chooses_the_date_whose_reports_she_reads(client, world):
    world, volkov, orlov, program = world
    world.advance_to(date(2025, 11, 26))
    assert mentor_reports.open_due_reports(world.session, world.clock.now()) == 2  # 10 December
    world.session.commit()
    login(client, world.curator.login)
    page = client.get(f"/monitoring?org={world.organization.id}")
    assert '<option value="2025-12-10" selected>10.12.2025</option>' in page.text
    assert '<option value="2025-06-10">10.06.2025</option>' in page.text
    assert "Срок — 10.12.2025" in page.text
    june = client.get(f"/monitoring?org={world.organization.id}&period=2025-06-10")
    assert "Срок — 10.06.2025" in june.text and june.text.count('data-state="overdue"') == 2
    wrong = client.get(f"/monitoring?org={world.organization.id}&period=10.06")
    assert wrong.status_code == 422 and "Период отчётов наставников: ожидается дата" in wrong.text
