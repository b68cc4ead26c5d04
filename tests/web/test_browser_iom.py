"""A teacher's individual educational route (ИОМ, 002 §1.2, §4.2.2) in a real browser, at a college whose regulation
names a tutor: the curator opens a five-year route for the teacher and names his tutor on the «ИОМ» page; the
teacher and the tutor record the seven steps of the algorithm in order, each from the route's page — a required
section left empty is refused, the tutor's stale tab that posts a step already recorded is refused, and a step
posted ahead of its turn is refused, each in Russian on the page; a year on, the worker opens the yearly review and
the tutor holds it (the conclusion and the roadmap's correction, 002 §4.2.2 (6)); the curator attaches the teacher's
personalized program, the route's page lists it and the program's page links back to the route. The domain runs on
a clock the test moves (``DOMAIN_CLOCK``).

The program comes from the pages too: the curator forms the pair (the tutor as the teacher's mentor), both give
their written consent, the director signs the order. The one step done by the services in the setup (as the
registries would): the tutor appointed mentor by order and the teacher put in the base of mentees
(tests/engine/services/pack_world.py). Screenshots at 1280 and 390 px: iom-*.png."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from engine.bootstrap import bootstrap
from engine.db import Base, make_engine, make_session_factory
from engine.services.iom.reviews import open_due_reviews
from tests.engine.services.pack_world import PackWorld
from tests.web.conftest import PASSWORD, DemoServer, _open_page, password_hash, serve

TEACHER, TUTOR = "Кедров Павел Андреевич", "Лесникова Анна Ивановна"
START = datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0) - timedelta(days=3)
IMAGE = "Преподаватель-исследователь, который ведёт студентов к участию в чемпионатах профессионального мастерства"
ROADMAP = {
    "а) График обучения по программам дополнительного профессионального образования *":
        "2026 г. — курсы ДПО «Цифровые инструменты в лесном хозяйстве» (72 ч); 2027 г. — стажировка",
    "г) Комплекс и последовательность конкретных мер и мероприятий *":
        "1. Открытое занятие в семестре\n2. Методическая разработка кейса\n3. Выступление на педсовете",
}


@pytest.fixture
def college(browser, tmp_path):
    """A college (pack ``college``: the regulation names a tutor) with its curator and director, the teacher (in the
    base of mentees) and his tutor (a mentor appointed by order); served on a clock the test moves."""
    url = f"sqlite:///{(tmp_path / 'college.sqlite3').as_posix()}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        world = PackWorld(session, "college", START, kind="college",
                          name="КГБПОУ «Бийский техникум лесного хозяйства»", short_name="БТЛХ")
        world.curator.login, world.curator.password_hash = "kurator", password_hash()
        tutor = world.person(TUTOR, "mentor", login="lesnikova", position="преподаватель",
                             participant_kind="pedagogue", password_hash=password_hash())
        teacher = world.person(TEACHER, "mentee", login="kedrov", position="преподаватель",
                               participant_kind="pedagogue", password_hash=password_hash())
        world.person("Пихтова Мария Олеговна", "mentee", login="pihtova", position="мастер производственного "
                     "обучения", participant_kind="pedagogue", password_hash=password_hash())
        world.head.login, world.head.password_hash = "direktor", password_hash()
        session.commit()
        world.appoint(tutor)
        world.register(teacher, "young_specialist")
    engine.dispose()
    with serve(url, DOMAIN_CLOCK=world.clock) as (app, base):
        yield DemoServer(base, app, url), world.clock


def _the_worker_opens_the_yearly_reviews(url: str, clock: Any) -> int:
    """What the ``iom_reviews`` job does on its day (engine/services/iom/reviews.py); how many it opened."""
    engine = make_engine(url)
    try:
        with bootstrap(clock=clock).session_factory(engine)() as session:
            opened = len(open_due_reviews(session, clock.now()))
            session.commit()
    finally:
        engine.dispose()
    return opened


def _flash(page, text: str) -> None:
    expect(page.locator(".flash, [role=alert], [role=status]").filter(has_text=text).first).to_be_visible()


def _consent(web, login: str) -> None:
    page = web.page
    web.enter(login, PASSWORD)
    page.locator(".my-consents").get_by_role("link", name="Ответить").first.click()
    page.wait_for_url(re.compile(r"/my/consents/"))
    page.locator("input[name=consent][value=yes]").check()
    personal_data = page.get_by_label("Даю согласие на обработку персональных данных")
    if personal_data.count():
        personal_data.check()
    page.get_by_role("button", name="Отправить ответ").click()
    page.wait_for_url("**/my")
    web.log_out()


def _the_pair_is_formed(web) -> int:
    """The curator proposes the tutor as the teacher's mentor (a teacher–teacher pair), both consent in writing,
    the director signs the order (003 §3.2, §6.2); the program the order starts."""
    page = web.page
    web.enter("kurator", PASSWORD)
    web.goto("/pairs/new")
    for label, shown in (("Наставник (назначен приказом, 003 §3.4)", TUTOR),
                         ("Форма наставничества (003 §2.4)", "«педагог – педагог»")):  # the college's form, 002 §4.1.5
        choice = page.get_by_label(label)
        choice.select_option(choice.locator("option", has_text=shown).get_attribute("value"))
    page.get_by_label(re.compile(TEACHER)).check()
    page.get_by_role("button", name="Проверить требования").click()
    expect(page.get_by_role("region", name="Проверка до запуска")).to_be_visible()
    page.get_by_role("button", name="Сформировать пару и запустить процесс").click()
    page.wait_for_url(re.compile(r"/pairs/\d+$"))
    web.log_out()
    _consent(web, "lesnikova")
    _consent(web, "kedrov")
    web.enter("direktor", PASSWORD)
    web.goto("/orders")
    page.locator("table.orders-awaiting tbody tr").get_by_role(
        "link", name="О формировании наставнических пар (групп)").first.click()
    page.get_by_role("button", name="Подписать").click()
    expect(page.get_by_text(re.compile(r"Приказ подписан: № \S+"))).to_be_visible()
    [href] = [a.get_attribute("href") for a in page.locator("a.program-link").all()]
    web.log_out()
    return int(href.rsplit("/", 1)[1])


def _record(page, number: int, sections: dict[str, str]) -> None:
    """Fill the sections of the step the route waits for (by their labels) and record it."""
    step = page.locator(f"[data-waiting='{number}']")
    for label, value in sections.items():
        step.get_by_label(label, exact=True).fill(value)
    step.get_by_role("button", name="Записать шаг").click()
    _flash(page, f"Шаг {number} записан.")


def test_the_curator_opens_a_route_the_teacher_and_tutor_record_seven_steps_a_program_is_attached(browser, college):
    server, clock = college
    context, web = _open_page(browser, server, viewport={"width": 1280, "height": 800})
    page = web.page
    try:
        web.enter("kurator", PASSWORD)
        page.get_by_role("link", name="ИОМ", exact=True).first.click()
        page.wait_for_url(re.compile(r"/iom$"))
        expect(page.get_by_role("heading", name="Мой маршрут")).to_have_count(0)  # she is no teacher with a route
        page.get_by_label("Педагог", exact=True).select_option(label=f"{TEACHER} (преподаватель)")
        page.get_by_label("Тьютор", exact=True).select_option(label=f"{TUTOR} (преподаватель)")
        page.get_by_label("Срок маршрута").select_option(label="5 лет")
        web.shot_both_widths("iom-open")
        page.get_by_role("button", name="Открыть маршрут").click()
        _flash(page, "Индивидуальный образовательный маршрут открыт.")
        page.wait_for_url(re.compile(r"/iom/\d+$"))
        route_path = page.url[len(server.url):]
        route_id = int(route_path.rsplit("/", 1)[1])
        head = page.locator(".page__head").inner_text()
        assert f"ИОМ № {route_id}: {TEACHER}" in head and f"Тьютор ЦНППМ: {TUTOR}" in head, head
        assert START.strftime("%d.%m.%Y") in head, head
        assert "Шаг записывают педагог и тьютор." in page.locator("[data-waiting='1']").inner_text()
        web.log_out()
        program_id = _the_pair_is_formed(web)  # the teacher's personalized program, with the tutor as mentor

        web.enter("kedrov", PASSWORD)  # the teacher finds his route under «Мой маршрут»
        web.goto("/iom")
        page.locator("[data-route]").get_by_role("link", name=f"ИОМ № {route_id}").first.click()
        page.wait_for_url(re.compile(rf"{route_path}$"))
        field = "Описание идеального, желаемого образа самого себя как состоявшегося профессионала *"
        page.locator("[data-waiting='1']").get_by_role("button", name="Записать шаг").click()  # nothing typed
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Шаг 1. Самоопределение (саморефлексия) педагога: заполните поле «Описание")
        _record(page, 1, {field: IMAGE})
        _record(page, 2, {"предметно-профессиональные": "Стаж работы на лесозаготовительной технике 12 лет",
                          "ИКТ-компетенции, цифровизация образования": "Веду электронный курс в Moodle"})
        web.log_out()

        web.enter("lesnikova", PASSWORD)  # the tutor writes the deficits with the teacher
        web.goto("/iom")
        page.locator("[data-route]").get_by_role("link", name=f"ИОМ № {route_id}").first.click()
        page.wait_for_url(re.compile(rf"{route_path}$"))
        _record(page, 3, {"психолого-педагогические (ориентированные на обучающихся и их родителей)":
                          "Трудно удерживать внимание первокурсников на лекции",
                          "методические (содержание образования, методики и технологии обучения)":
                          "Мало активных методов обучения"})
        tutor_tab = context.new_page()  # the tutor also keeps the route open in a second tab, waiting at step 4
        tutor_tab.goto(server.url + route_path)
        expect(tutor_tab.locator("[data-waiting='4']")).to_be_visible()
        _record(page, 4, ROADMAP)
        stale = tutor_tab.locator("[data-waiting='4']")  # the stale tab posts step 4 once more
        stale.get_by_label("г) Комплекс и последовательность конкретных мер и мероприятий *", exact=True).fill("Ещё раз")
        stale.get_by_role("button", name="Записать шаг").click()
        expect(tutor_tab.get_by_role("alert")).to_contain_text(
            "Шаг 4. Составление дорожной карты индивидуального образовательного маршрута уже записан; маршрут — "
            "на шаге 5 «Реализация дорожной карты»")
        expect(tutor_tab.locator("[data-waiting='5']")).to_be_visible()
        tutor_tab.close()
        # a step posted ahead of its turn (the form sent to step 7 while the route waits for step 5) is refused
        waiting = page.locator("[data-waiting='5'] form")
        waiting.evaluate("form => { form.action = form.action.replace(/steps\\/5$/, 'steps/7'); }")
        waiting.get_by_role("button", name="Записать шаг").click()
        expect(page.get_by_role("alert")).to_contain_text(
            "Шаг 7. Рефлексивный анализ эффективности индивидуального образовательного маршрута — не по порядку: "
            "сначала шаг 5 «Реализация дорожной карты» (алгоритм разработки ИОМ, 002 §4.2.2)")
        assert page.locator("[data-step='7']").count() == 0
        web.shot_both_widths("iom-refused")

        clock.advance(timedelta(days=366))  # a year on: the worker opens the review of the 1st year
        assert _the_worker_opens_the_yearly_reviews(server.database_url, clock) == 1
        web.goto(route_path)
        review = page.locator("[data-review='1']")
        expect(review).to_contain_text("Пересмотр за 1-й год открыт")
        review.get_by_role("button", name="Провести пересмотр").click()  # no conclusion written
        expect(page.get_by_role("alert")).to_contain_text("ежегодный пересмотр: напишите вывод о ходе маршрута за год")
        review = page.locator("[data-review='1']")
        review.get_by_label("Вывод о ходе маршрута за год *").fill("Курсы ДПО пройдены, открытое занятие проведено")
        review.get_by_label("Корректировка дорожной карты (002 §4.2.2 (6))").fill("Добавить конкурс вальщиков")
        web.shot_both_widths("iom-review")
        review.get_by_role("button", name="Провести пересмотр").click()
        _flash(page, "Ежегодный пересмотр маршрута проведён.")
        done = page.locator("[data-review-done='1']").inner_text()
        assert "Курсы ДПО пройдены" in done and "Корректировка: Добавить конкурс вальщиков" in done, done
        web.log_out()

        web.enter("kedrov", PASSWORD)
        web.goto(route_path)
        _record(page, 5, {"Достижения по мероприятиям — педагогические продукты (диагностики, методические "
                          "рекомендации, разработки занятий, сценарии мероприятий…) *":
                          "Разработка занятия «Таксация леса» с кейсом; сценарий конкурса вальщиков",
                          "Субъективное отношение к достигнутым результатам": "Доволен кейсом, конкурс — перенести"})
        _record(page, 6, {"Дополнения и изменения, вносимые в дорожную карту *": "Конкурс вальщиков перенесён на май",
                          "Под влиянием каких изменений (в образовании, в запросах и потребностях педагога и "
                          "участников образовательного процесса)": "Новый федеральный стандарт по специальности"})
        _record(page, 7, {"Рефлексия процесса и достигнутых результатов по каждому из дефицитов *":
                          "Внимание первокурсников удерживаю кейсами; активных методов стало три",
                          "Степень приближения к желаемому образу педагога-профессионала *":
                          "Ближе: двое студентов вышли в финал чемпионата"})
        expect(page.get_by_text("Все семь шагов алгоритма записаны.")).to_be_visible()
        assert page.locator("[data-step]").count() == 7 and page.locator("[data-waiting]").count() == 0
        assert IMAGE in page.locator("[data-step='1']").inner_text()
        assert "Мало активных методов обучения" in page.locator("[data-step='3']").inner_text()
        roadmap = page.locator("[data-step='4']").inner_text()
        assert all(text in roadmap for text in ROADMAP.values()) and "Ещё раз" not in roadmap  # its lines kept
        assert f"Записал(а): {TUTOR}" in roadmap
        web.log_out()

        web.enter("kurator", PASSWORD)  # the curator attaches the teacher's personalized program
        web.goto(route_path)
        expect(page.get_by_text("К маршруту не прикреплено программ.")).to_be_visible()
        choice = page.get_by_label("Программа", exact=True)
        label = choice.locator(f"option[value='{program_id}']").inner_text()
        assert label.startswith(f"Программа № {program_id} (") and "—" not in label, label
        choice.select_option(str(program_id))
        page.get_by_label("Примечание").fill("Активные методы обучения первокурсников")
        page.get_by_role("button", name="Прикрепить программу").click()
        _flash(page, "Программа прикреплена к маршруту.")
        attached = page.locator(f"[data-program='{program_id}']")
        expect(attached).to_contain_text(f"Программа № {program_id} — Активные методы обучения первокурсников")
        assert page.get_by_role("button", name="Прикрепить программу").count() == 0  # nothing more to attach
        web.shot_both_widths("iom-route")
        web.goto("/iom")
        row = page.locator(f"tr[data-route='{route_id}']").first
        expect(row).to_contain_text("все семь шагов записаны")
        web.shot_both_widths("iom-index")
        web.goto(route_path)
        attached.get_by_role("link", name=f"Программа № {program_id}").click()
        page.wait_for_url(re.compile(rf"/programs/{program_id}$"))
        link = page.locator(f"[data-iom='{route_id}']")
        expect(link).to_contain_text(f"Часть индивидуального образовательного маршрута педагога: ИОМ № {route_id}")
        assert web.console_errors == [], web.console_errors
    finally:
        context.close()
