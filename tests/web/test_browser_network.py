"""A year of the Yakutsk Coordination Centre in a real browser, on a world built by factories and services
(two network mentors appointed for their directions by the department's order, 004 II.2, III.2) and the
app's domain on a clock the test moves: the specialist enters trainees (004 I.3), a trainee fills the
self-diagnosis and the specialist records the school's monitoring of another (004 III.3), the specialist forms
the group by direction (004 III.4); the network mentor writes the work plan (004 III.5), agrees a trainee's
development plan (004 IV.1, IV.3), records a year of work (004 III.6), writes the reviews at the year's end
(004 IV.1); the year's report with the mentor's indicator (004 III.8). Screenshots network-*.png at 1280 and
390 px."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engine.bootstrap import bootstrap
from engine.db import Base, make_engine
from engine.db.models import NetworkMember
from engine.services.network import year
from engine.services.process import instances
from engine.workflow import FixedClock
from tests.engine.services.network.centre_world import LITERACY, UPBRINGING, build_centre, on
from tests.web.conftest import PASSWORD, _open_page, password_hash, serve


@dataclass
class NetworkServer:
    url: str
    database_url: str
    clock: FixedClock
    department_id: int

    def session(self):
        engine = make_engine(self.database_url)
        return engine, bootstrap(clock=self.clock).session_factory(engine)()

    def at(self, moment: str) -> int:
        """Move the app's clock and fire what is due (the scheduler's job)."""
        engine, session = self.session()
        try:
            self.clock.set(moment)
            return instances.fire_timers(session, clock=self.clock)
        finally:
            session.close()
            engine.dispose()

    def member_id(self, login: str) -> int:
        engine, session = self.session()
        try:
            from engine.db.models import Person

            person = session.scalar(select(Person.id).where(Person.login == login))
            return session.scalars(select(NetworkMember.id).where(NetworkMember.person_id == person)).one()
        finally:
            session.close()
            engine.dispose()


@pytest.fixture(scope="module")
def network_server(tmp_path_factory):
    url = f"sqlite:///{(tmp_path_factory.mktemp('network') / 'network.sqlite3').as_posix()}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with bootstrap().session_factory(engine)() as session:
        world = build_centre(session)
        for person in world.people.values():
            person.password_hash = password_hash()
        session.commit()
        world.appoint("sidorova", LITERACY)
        world.appoint("nikolaev", UPBRINGING)
        department_id = world.department.id
        clock = world.clock
    engine.dispose()
    clock.set(on(date(2025, 9, 22)))
    with serve(url, DOMAIN_CLOCK=clock) as (_app, base):
        yield NetworkServer(base, url, clock, department_id)


@pytest.fixture
def desk(browser, network_server):
    context, wrapped = _open_page(browser, network_server, viewport={"width": 1280, "height": 900})
    yield wrapped
    context.close()


@pytest.fixture
def phone(browser, network_server):
    context, wrapped = _open_page(browser, network_server, viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    yield wrapped
    context.close()


def _as(page, login: str) -> None:
    if page.page.get_by_role("button", name="Выйти").count():
        page.page.get_by_role("button", name="Выйти").click()
    page.login(login, PASSWORD)
    page.page.wait_for_load_state()


def _register(page, name: str, school: str, category: str, direction: str) -> None:
    page.page.get_by_role("link", name="Внести стажёра").click()
    page.page.get_by_label("Педагог (работник образовательной организации)").select_option(label=f"{name} — {school}")
    page.page.get_by_label("Категория стажёра (004 I.3)").select_option(label=category)
    page.page.get_by_label("Направление профессиональной деятельности").fill(direction)
    page.page.get_by_role("button", name="Внести в базу стажёров").click()
    expect(page.page.get_by_text(f"{name} внесён(а) в базу стажёров.")).to_be_visible()


def test_a_year_of_the_coordination_centre_in_the_browser(desk, phone, network_server):
    page = desk.page
    _as(desk, "specialist")
    page.get_by_role("link", name="Сетевое наставничество").click()
    page.get_by_role("link", name="Стажёры, наставники и группы").click()
    expect(page.get_by_role("heading", name="Координационный центр сетевых наставников")).to_be_visible()
    expect(page.get_by_text("Сетевой наставник — назначения на 2025/2026 учебный год")).to_be_visible()  # the pack

    # 004 I.3, III.3: trainees of two categories from two schools, in the direction they need help in
    _register(desk, "Иванова Туйаара Николаевна", "СОШ № 5", "Педагог, впервые принятый по основному месту работы", LITERACY)
    _register(desk, "Попов Артём Сергеевич", "СОШ № 17", "Педагог, испытывающий затруднения в профессиональной деятельности",
              LITERACY)
    literacy = page.locator("article.net-direction").filter(has=page.get_by_role("heading", name=LITERACY))
    expect(literacy.get_by_text("нет диагностики (004 III.3)")).to_have_count(2)

    _as(desk, "ivanova")  # the trainee's own self-diagnosis
    expect(page.get_by_role("heading", name="Сетевое наставничество")).to_be_visible()
    page.get_by_role("link", name="Моё сетевое наставничество").click()
    page.get_by_label("Какие профессиональные компетенции по направлению вызывают затруднения").fill(
        "Формирование читательской грамотности на уроках истории")
    page.get_by_label("Какая методическая помощь нужна").fill("Посещение уроков наставника, консультации")
    page.get_by_label("2", exact=True).check()
    page.get_by_role("button", name="Сохранить самодиагностику").click()
    expect(page.get_by_text("Самодиагностика сохранена (004 III.3).")).to_be_visible()
    phone_page = phone.page
    _as(phone, "ivanova")
    phone_page.goto(network_server.url + "/network/me")
    phone.shot("network-trainee-390")

    _as(desk, "specialist")  # the school's monitoring of the other trainee, then the group by direction
    page.goto(f"{network_server.url}/network/centre/{network_server.department_id}")
    literacy.locator("li").filter(has_text="Попов").get_by_role("link", name="Записать мониторинг").click()
    page.get_by_label("Кто провёл мониторинг").fill("Заместитель директора по УВР МОБУ СОШ № 17")
    page.get_by_label("Выявленные затруднения в профессиональной деятельности").fill("Проектирование урока")
    page.get_by_label("Какая методическая помощь нужна").fill("Мастер-класс и консультации")
    page.get_by_role("button", name="Записать результаты мониторинга").click()
    expect(literacy.get_by_text("мониторинг администрации")).to_be_visible()
    network_server.at(on(date(2025, 10, 1)))
    literacy.get_by_label("Иванова Туйаара Николаевна").check()
    literacy.get_by_label("Попов Артём Сергеевич").check()
    desk.shot("network-centre-1280")
    literacy.get_by_role("button", name="Сформировать группу и передать список наставнику").click()
    expect(page.get_by_text("Группа сформирована, список передан сетевому наставнику (004 III.4).")).to_be_visible()
    group_url = page.url

    _as(desk, "sidorova")  # 004 III.5: the network mentor's work plan; 004 IV.1: the trainee's plan agreed
    page.get_by_role("link", name=re.compile(f"Группа №\\d+: {LITERACY}")).click()
    page.get_by_role("textbox", name="Индивидуальный план работы наставника со стажёрами").fill(
        "Октябрь — консультации по индивидуальным планам.\nНоябрь — мастер-класс «Смысловое чтение».\n"
        "Январь — посещение открытых уроков стажёров.")
    page.get_by_role("button", name="Утвердить план работы").click()
    expect(page.get_by_text("План работы со стажёрами утверждён (004 III.5).")).to_be_visible()

    _as(desk, "ivanova")
    page.goto(f"{network_server.url}/network/me")
    page.get_by_role("link", name="Мой индивидуальный план").click()
    page.get_by_label("Цели профессионального развития по направлению").fill("Освоить приёмы смыслового чтения")
    page.get_by_label("Мероприятия, формы работы с наставником и сроки").fill(
        "До 30.10 — консультация; до 30.11 — мастер-класс; январь — открытый урок")
    page.get_by_role("button", name="Отправить план наставнику").click()
    expect(page.get_by_text("План отправлен наставнику на согласование.")).to_be_visible()
    member_url = page.url

    _as(desk, "sidorova")
    page.goto(member_url)
    page.get_by_label("Комментарий наставника").fill("Согласовано, удачи!")
    page.get_by_role("button", name="Согласовать план").click()
    expect(page.get_by_text("План согласован.")).to_be_visible()
    engine, session = network_server.session()
    try:  # Попов's plan goes the same way, through the services
        popov = network_server.member_id("popov")
        year.submit_plan(session, _actor(session, "popov"), popov, goals="Проектирование урока",
                         actions="Консультации, мастер-класс")
        year.decide_plan(session, _actor(session, "sidorova"), popov, approved=True)
        session.commit()
    finally:
        session.close()
        engine.dispose()

    # 004 III.6: a year of work recorded by the mentor
    network_server.at(on(date(2025, 11, 20)))
    page.goto(group_url)
    page.get_by_label("Форма работы (004 III.6)").select_option(label="Мастер-класс")
    page.get_by_label("Дата").fill("2025-11-15")
    page.get_by_label("Тема").fill("Смысловое чтение на уроках истории")
    page.locator("#records").get_by_label("Иванова Туйаара Николаевна").check()
    page.locator("#records").get_by_label("Попов Артём Сергеевич").check()
    page.get_by_role("button", name="Записать", exact=True).click()
    expect(page.get_by_text("Работа записана.")).to_be_visible()
    page.goto(member_url)
    expect(page.get_by_text("в конце учебного года: с 01.05.2026, срок 31.05.2026")).to_be_visible()

    # 004 IV.1: at the end of the academic year the reviews
    assert network_server.at(on(date(2026, 5, 4))) == 2
    page.goto(group_url)
    desk.shot("network-group-1280")
    page.get_by_role("row").filter(has_text="Иванова").get_by_role("link", name="Написать отзыв").click()
    page.get_by_label("Да, выполнен").check()
    page.get_by_label("О выполнении индивидуального плана профессионального развития").fill(
        "План выполнен полностью: проведён открытый урок со смысловым чтением")
    page.get_by_label("Деловые качества стажёра").fill("Ответственна, открыта к советам")
    page.get_by_label("готов(а) к самостоятельному выполнению должностных обязанностей", exact=True).check()
    page.get_by_role("button", name="Представить отзыв").click()
    expect(page.get_by_text("Отзыв о стажёре представлен (004 IV.1).")).to_be_visible()
    desk.shot("network-review-1280")
    page.goto(group_url)
    page.get_by_role("row").filter(has_text="Попов").get_by_role("link", name="Написать отзыв").click()
    page.get_by_label("Нет, выполнен не полностью").check()
    page.get_by_label("О выполнении индивидуального плана профессионального развития").fill("Выполнена часть плана")
    page.get_by_label("Деловые качества стажёра").fill("Исполнителен")
    page.get_by_label("готов(а) частично: нужна дальнейшая методическая помощь").check()
    page.get_by_role("button", name="Представить отзыв").click()
    expect(page.get_by_text("Отзыв о стажёре представлен (004 IV.1).")).to_be_visible()

    # 004 III.8: the year's report for the department's staff
    _as(desk, "head")
    page.goto(f"{network_server.url}/network")
    page.get_by_role("link", name="Отчёт за учебный год").click()
    expect(page.get_by_role("heading", name="Отчёт за 2025/2026 учебный год")).to_be_visible()
    row = page.locator("#mentors tbody tr").filter(has_text="Сидорова Елена Петровна")
    expect(row).to_contain_text("50 %")
    expect(row).to_contain_text("Мастер-класс: 1")
    expect(page.locator("#total-indicator")).to_have_text("50 %")
    desk.shot("network-report-1280")
    _as(phone, "head")
    phone_page.goto(f"{network_server.url}/network/centre/{network_server.department_id}/report")
    phone.shot("network-report-390")
    _as(phone, "sidorova")
    phone_page.goto(group_url)
    phone.shot("network-group-390")
    assert desk.console_errors == [] and phone.console_errors == []


def _actor(session, login: str):
    from engine.services.people.actor import load_actor

    return load_actor(session, login)
