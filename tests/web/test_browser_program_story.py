"""A new pair's whole program in a real browser (issue 10, «Done means»): the curator proposes a mentor and a
mentee who are in no program, both consent, the head signs the pair order days after it was drafted; the mentor
marks events with the days they took place; the curator petitions for an extension (months and reason), both
participants agree, the head signs; the mentor asks to be released, the head signs, the curator proposes a new
mentor who consents, the head signs the replacement; the curator ends the program early from its page, the head
refuses with a reason the curator then sees, she ends it again and the head signs the completion order.
After each signature the signed order's dates, ground and parties are read from the order page and compared
with the program page. The domain runs on a clock the test moves (``DOMAIN_CLOCK``).

The one step done by a factory: the fresh mentee (there is no page that registers a person), a reservist like
the demo's Белова, with a login of her own. Screenshots at 1280 and 390 px: story-*.png."""
from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engine.db import make_engine
from engine.db.models import Organization, Person
from engine.demo.world import DEMO_PASSWORD
from engine.workflow import FixedClock
from tests.web.conftest import DemoServer, _open_page, serve
from web.auth import hash_password

MENTEE = "Громова Вера Алексеевна"
MENTOR = "Морозова Наталья Ивановна"  # a mentor appointed by order, in no program of the demo's
NEW_MENTOR = "Соколова Анна Дмитриевна"
EXTENSION_REASON = "Длительный больничный наставляемой в период второго этапа"
RELEASE_REASON = "Назначение на должность в другом муниципалитете"
REFUSAL = "Приложите служебную записку куратора о недолжном исполнении"
EARLY_REASON = "Наставляемая не выполняет мероприятия второго этапа, служебная записка от куратора приложена"
START = datetime.now(UTC).replace(hour=3, minute=0, second=0, microsecond=0) - timedelta(days=40)


def dmy(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _add_the_fresh_mentee(url: str, clock: FixedClock) -> None:
    """The one setup step no page offers: a new person, put in the base of mentees by the curator's service."""
    from engine.bootstrap import bootstrap
    from engine.services.mentorship import mentee_registry
    from engine.services.people.actor import load_actor

    engine = make_engine(url)
    try:
        with bootstrap(clock=clock).session_factory(engine)() as session:
            school = session.scalars(select(Organization).where(Organization.name.like("%СОШ № 40%"))).one()
            person = Person(login="gromova", full_name=MENTEE, position="Заместитель директора, резерв "
                            "управленческих кадров", organization=school, is_head=False,
                            in_management_reserve=True, school_low_results=False,
                            password_hash=hash_password(DEMO_PASSWORD))
            session.add(person)
            session.flush()
            mentee_registry.register_mentee(session, load_actor(session, "curator"), school.parent_id, person.id,
                                            clock=clock)
            session.commit()
    finally:
        engine.dispose()


@pytest.fixture
def story(browser, demo_database, tmp_path):
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_database, copy)
    url = f"sqlite:///{copy.as_posix()}"
    clock = FixedClock(START)
    _add_the_fresh_mentee(url, clock)
    with serve(url, DOMAIN_CLOCK=clock) as (app, base):
        context, page = _open_page(browser, DemoServer(base, app, url), viewport={"width": 1280, "height": 800})
        yield page, clock
        context.close()


def _facts(web, program_id: int) -> dict[str, str]:
    """The program page's summary as the curator reads it: label → value."""
    web.goto(f"/programs/{program_id}")
    summary = web.page.locator(".program-summary")
    labels = summary.locator("dt").all_text_contents()
    values = summary.locator("dd").all_text_contents()
    facts = {label.strip(): " ".join(value.split()) for label, value in zip(labels, values, strict=True)}
    assert facts, web.page.content()[:3000]
    return facts


def _sign(web, title: str, *, refuse: str | None = None) -> tuple[list[int], str]:
    """The head opens the order awaiting her signature and signs it (or refuses with a reason); returns the
    programs the order links to and its text as signed."""
    page = web.page
    web.enter("head", DEMO_PASSWORD)
    web.goto("/orders")
    links = page.locator("table.orders-awaiting tbody tr").get_by_role("link", name=title)
    order_id = max(int(href.rsplit("/", 1)[1]) for href in (link.get_attribute("href") for link in links.all()))
    web.goto(f"/orders/{order_id}")  # the newest: the demo leaves an order of its own waiting
    if refuse:
        page.get_by_label("Причина отказа").fill(refuse)
        page.get_by_role("button", name="Отказать в подписании").click()
        page.wait_for_url(re.compile(rf".*/orders/{order_id}$"))
        expect(page.locator(".order-side")).to_contain_text("отказано в подписании")
    else:
        page.get_by_role("button", name="Подписать").click()
        page.wait_for_url(re.compile(rf".*/orders/{order_id}$"))
        expect(page.get_by_text(re.compile(r"Приказ подписан: № \S+"))).to_be_visible()
    text = " ".join(page.locator("article.document").inner_text().split())
    links = page.locator("a.program-link")
    program_ids = [int(href.rsplit("/", 1)[1]) for href in (a.get_attribute("href") for a in links.all())]
    web.log_out()
    return program_ids, text


def _consent(web, login: str) -> None:
    page = web.page
    web.enter(login, DEMO_PASSWORD)
    page.locator(".my-consents").get_by_role("link", name="Ответить").first.click()
    page.wait_for_url(re.compile(r"/my/consents/"))
    page.locator("input[name=consent][value=yes]").check()  # «Согласна» / «Согласен»: the person's gender
    consent_pd = page.get_by_label("Даю согласие на обработку персональных данных")
    if consent_pd.count():
        consent_pd.check()
    page.get_by_role("button", name="Отправить ответ").click()
    page.wait_for_url("**/my")
    web.log_out()


@pytest.mark.slow  # about a minute: scheduled among the first files
def test_a_new_pair_from_proposal_to_the_completion_order(story):
    web, clock = story
    page = web.page

    # the curator proposes the pair; the model is the reservist's (003 §2.4), tied to the category
    web.enter("curator", DEMO_PASSWORD)
    web.goto("/pairs/new")
    page.get_by_label("Наставник (назначен приказом, 003 §3.4)").select_option(label=MENTOR)
    page.get_by_label(re.compile(MENTEE)).check()
    page.get_by_role("button", name="Проверить требования").click()
    expect(page.get_by_role("region", name="Проверка до запуска")).to_be_visible()
    page.get_by_role("button", name="Сформировать пару и запустить процесс").click()
    page.wait_for_url(re.compile(r"/pairs/\d+$"))
    web.log_out()
    _consent(web, "morozova")
    _consent(web, "gromova")

    clock.advance(timedelta(days=4))  # the head signs four days after the order was drafted
    signed_on = clock.now().date()
    (program_id,), text = _sign(web, "О формировании наставнических пар (групп)")
    web.enter("curator", DEMO_PASSWORD)
    facts = _facts(web, program_id)
    assert MENTOR in facts["Наставник программы"] and MENTEE in facts["Наставляемые программы"]
    assert facts["Начало"] == dmy(signed_on), "the program starts the day the order is signed"
    assert f"с {facts['Начало']} по {facts['Плановое окончание']}" in text, (text, facts)
    assert "резервист" in facts["Модель (дорожная карта)"].lower()
    web.shot_both_widths("story-program-signed")
    web.log_out()
    planned_end = facts["Плановое окончание"]

    # the mentor marks two events of stage 1 with the days they took place (not today: two days after the start)
    clock.advance(timedelta(days=10))
    held_on = signed_on + timedelta(days=2)
    web.enter("morozova", DEMO_PASSWORD)
    web.goto(f"/my/programs/{program_id}")
    rows = page.locator("tr[id^=event-]")
    for row in (rows.nth(0), rows.nth(1)):
        row.get_by_label("проведено").check()
        row.get_by_label("Дата проведения").fill(held_on.isoformat())
    page.get_by_role("button", name="Сохранить отметки").click()
    expect(page.get_by_text("Отметки мероприятий сохранены.")).to_be_visible()
    expect(page.locator("tr[id^=event-]").nth(0).get_by_label("Дата проведения")).to_have_value(held_on.isoformat())
    web.shot_both_widths("story-mentor-events")
    web.log_out()

    # the curator petitions for an extension (003 §7.2): months and reason; both participants agree; the head signs
    web.enter("curator", DEMO_PASSWORD)
    web.goto(f"/programs/{program_id}")
    page.get_by_role("link", name="Ходатайствовать о продлении срока программы").click()
    page.get_by_label("На сколько месяцев продлить").fill("3")
    page.get_by_label("Обоснование (войдёт в приказ)").fill(EXTENSION_REASON)
    page.get_by_role("button", name="Направить").click()
    page.wait_for_url(re.compile(rf"/programs/{program_id}$"))
    web.log_out()
    for login in ("morozova", "gromova"):
        web.enter(login, DEMO_PASSWORD)
        web.goto(f"/my/programs/{program_id}")
        asked = page.locator("form[action*='/extension']").locator("xpath=..")
        expect(asked).to_contain_text(EXTENSION_REASON)
        expect(asked).to_contain_text("3")
        if login == "gromova":
            web.shot_both_widths("story-mentee-agrees-extension")
        page.locator("input[name=agreed][value=yes]").check()
        page.get_by_role("button", name="Ответить").click()
        page.wait_for_load_state()
        web.log_out()
    _ids, text = _sign(web, "О продлении (изменении) персонализированной программы наставничества")
    web.enter("curator", DEMO_PASSWORD)
    facts = _facts(web, program_id)
    extended_end = facts["Плановое окончание"]
    assert extended_end != planned_end
    assert f"до {extended_end} (ранее – до {planned_end})" in text, (text, facts)
    assert MENTOR in text and MENTEE in text and EXTENSION_REASON in text
    assert facts["Начало"] == dmy(signed_on)
    web.shot_both_widths("story-program-extended")
    web.log_out()

    # the mentor asks to be released (003 §4.1); the curator agrees; the head signs four days later
    clock.advance(timedelta(days=5))
    web.enter("morozova", DEMO_PASSWORD)
    web.goto(f"/my/programs/{program_id}/petitions/mentor_release")
    page.get_by_label("Обоснование").fill(RELEASE_REASON)
    page.get_by_role("button", name="Подать ходатайство").click()
    page.wait_for_url(f"**/my/programs/{program_id}")
    web.log_out()
    web.enter("curator", DEMO_PASSWORD)
    web.goto("/inbox")
    page.get_by_role("row").filter(has_text=MENTEE).get_by_role(
        "link", name="Рассмотреть заявление наставника о сложении обязанностей").click()
    page.wait_for_url(re.compile(r"/tasks/\d+/"))
    page.get_by_role("button", name="Удовлетворить").click()
    page.wait_for_url(re.compile(r"/inbox"))
    web.log_out()
    clock.advance(timedelta(days=4))
    released_on = clock.now().date()
    _ids, text = _sign(web, "Об освобождении от обязанностей наставника")
    web.enter("curator", DEMO_PASSWORD)
    facts = _facts(web, program_id)
    assert "нет наставника" in facts["Наставник программы"], facts
    assert f"освобождение от обязанностей наставника с {dmy(released_on)}" in facts["Наставник программы"]
    assert f"Освободить от обязанностей наставника с {dmy(released_on)}: {MENTOR}" in text, text
    assert f"причина – {RELEASE_REASON}" in text and MENTEE in text, text

    # the curator proposes a new mentor, who consents (003 §3.2, §6.2); the head signs the replacement
    web.goto("/inbox")
    page.get_by_role("row").filter(has_text=MENTEE).get_by_role(
        "link", name=re.compile("Программа без наставника")).click()
    page.wait_for_url(re.compile(r"/tasks/\d+/"))
    page.get_by_label("Новый наставник (назначенный приказом, 003 §3.4)").select_option(label=NEW_MENTOR)
    page.get_by_role("button", name="Предложить наставника").click()
    page.wait_for_url(re.compile(r"/inbox"))
    web.log_out()
    _consent(web, "sokolova")
    clock.advance(timedelta(days=2))
    replaced_on = clock.now().date()
    _ids, text = _sign(web, "О замене наставника")
    web.enter("curator", DEMO_PASSWORD)
    facts = _facts(web, program_id)
    assert NEW_MENTOR in facts["Наставник программы"] and MENTOR not in facts["Наставник программы"]
    assert MENTEE in facts["Наставляемые программы"]
    assert re.search(rf"прежнего наставника – {MENTOR} \([^)]*\) – от обязанностей наставника с "
                     rf"{dmy(released_on)}", text), text
    assert re.search(rf"закрепить наставником с {dmy(replaced_on)}, .*: {NEW_MENTOR} \([^)]*\); "
                     rf"наставляемый – {MENTEE} \(", text), text
    assert facts["Начало"] == dmy(signed_on) and facts["Плановое окончание"] == extended_end
    web.shot_both_widths("story-program-replaced")
    web.log_out()

    # the curator ends the program on her initiative (003 §7.1); the head refuses with a reason the curator sees
    clock.advance(timedelta(days=20))
    web.enter("curator", DEMO_PASSWORD)
    web.goto(f"/programs/{program_id}")
    page.get_by_role("link", name="Завершить программу по инициативе куратора").click()
    page.get_by_label("Обоснование (войдёт в приказ)").fill(EARLY_REASON)
    web.shot_both_widths("story-curator-ends-early")
    page.get_by_role("button", name="Направить").click()
    page.wait_for_url(re.compile(rf"/programs/{program_id}$"))
    web.log_out()
    _sign(web, "О завершении персонализированной программы наставничества", refuse=REFUSAL)
    web.enter("curator", DEMO_PASSWORD)
    web.goto(f"/programs/{program_id}")
    web.shot_both_widths("story-program-after-refusal")
    expect(page.locator("main")).to_contain_text(REFUSAL)

    # she ends it again; the head signs the completion order three days later
    page.get_by_role("link", name="Завершить программу по инициативе куратора").click()
    page.get_by_label("Обоснование (войдёт в приказ)").fill(EARLY_REASON)
    page.get_by_role("button", name="Направить").click()
    page.wait_for_url(re.compile(rf"/programs/{program_id}$"))
    web.log_out()
    clock.advance(timedelta(days=3))
    completed_on = clock.now().date()
    _ids, text = _sign(web, "О завершении персонализированной программы наставничества")
    web.enter("curator", DEMO_PASSWORD)
    facts = _facts(web, program_id)
    assert facts["Завершена"] == dmy(completed_on)
    assert f"Завершить {facts['Завершена']} реализацию" in text, (text, facts)
    assert re.search(rf"наставник – {NEW_MENTOR} \([^)]*\); наставляемый – {MENTEE} \(", text), text
    assert MENTOR not in text
    assert NEW_MENTOR in facts["Наставник программы"] and MENTEE in facts["Наставляемые программы"]
    ground = facts["Основание завершения"]
    assert "по инициативе куратора" in ground and "по инициативе куратора" in text, (ground, text)
    assert "по инициативе куратора (в случае недолжного исполнения персонализированной программы" in text  # 003 §7.1
    assert "в полном объёме" not in text  # not the first ground: the plan was not done
    assert EARLY_REASON in ground and EARLY_REASON in text
    assert facts["Начало"] == dmy(signed_on) and facts["Плановое окончание"] == extended_end
    web.shot_both_widths("story-program-completed")
    assert web.console_errors == []
