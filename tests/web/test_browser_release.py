"""A mentor leaves a program in a real browser (003 §4.1): she asks to be released, the curator agrees, the head
signs the order; the program page shows it has no mentor, she no longer sees it, and the curator's step offers a
new mentor, who gives his written consent (003 §3.2, §6.2) before the head signs the replacement. Screenshots at
1280 and 390 px: release-*.png."""
from __future__ import annotations

import re

from engine.demo.world import DEMO_PASSWORD


def _sign_the_waiting_order(demo_page, title: str) -> None:
    page = demo_page.page
    demo_page.login("head", DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    demo_page.goto("/orders")
    page.locator("table.orders-awaiting tbody tr").get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r".*/orders/\d+$"))
    page.get_by_role("button", name="Подписать").click()
    page.wait_for_url(re.compile(r".*/orders/\d+$"))
    assert page.get_by_text(re.compile(r"Приказ подписан: № \S+")).is_visible()
    demo_page.log_out()


def test_a_released_mentor_is_replaced_with_the_new_mentors_consent(demo_page):
    page = demo_page.page
    demo_page.login("volkov", DEMO_PASSWORD)
    page.wait_for_url("**/my")
    link = page.locator("article.my-card h2 a").first
    program_id = int(re.search(r"/my/programs/(\d+)", link.get_attribute("href"))[1])
    demo_page.goto(f"/my/programs/{program_id}/petitions/mentor_release")
    page.get_by_label("Обоснование").fill("Перевод на работу в другой муниципалитет")
    page.get_by_role("button", name="Подать ходатайство").click()
    page.wait_for_url(f"**/my/programs/{program_id}")
    demo_page.log_out()

    demo_page.login("curator", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/inbox$"))
    page.get_by_role("link", name="Рассмотреть заявление наставника о сложении обязанностей").first.click()
    page.wait_for_url(re.compile(r"/tasks/\d+/"))
    page.get_by_role("button", name="Удовлетворить").click()
    page.wait_for_url(re.compile(r"/inbox"))
    demo_page.log_out()
    _sign_the_waiting_order(demo_page, "Об освобождении от обязанностей наставника")

    demo_page.login("volkov", DEMO_PASSWORD)  # released: the program is no longer hers
    page.wait_for_url("**/my")
    assert page.locator(f"#program-{program_id}").count() == 0
    demo_page.log_out()

    demo_page.login("curator", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/inbox$"))
    demo_page.goto(f"/programs/{program_id}")
    assert page.get_by_text("нет наставника").is_visible()
    demo_page.shot_both_widths("release-program-without-mentor")
    demo_page.goto("/inbox")
    page.get_by_role("link", name=re.compile("Программа без наставника")).first.click()
    page.wait_for_url(re.compile(r"/tasks/\d+/"))
    assert page.get_by_text("Перевод на работу в другой муниципалитет").first.is_visible()
    demo_page.shot_both_widths("release-curator-step")
    choice = page.get_by_label("Новый наставник (назначенный приказом, 003 §3.4)")
    assert "Волков" not in choice.inner_text()
    choice.select_option(label="Морозова Наталья Ивановна")
    page.get_by_role("button", name="Предложить наставника").click()
    page.wait_for_url(re.compile(r"/inbox"))
    demo_page.log_out()

    demo_page.login("morozova", DEMO_PASSWORD)
    page.wait_for_url("**/my")
    assert page.get_by_text("вместо прежнего наставника (Волков").first.is_visible()
    page.locator(".my-consents").get_by_role("link", name="Ответить").first.click()
    page.wait_for_url(re.compile(r"/my/consents/"))
    demo_page.shot_both_widths("release-new-mentor-consent")
    page.get_by_label("Согласна", exact=True).check()  # Морозова Наталья Ивановна
    page.get_by_label("Даю согласие на обработку персональных данных").check()
    page.get_by_role("button", name="Отправить ответ").click()
    page.wait_for_url("**/my")
    demo_page.log_out()
    _sign_the_waiting_order(demo_page, "О замене наставника")

    demo_page.login("curator", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/inbox$"))
    demo_page.goto(f"/programs/{program_id}")
    facts = page.locator(".program-summary").inner_text()
    assert "Морозова Наталья Ивановна" in facts and "нет наставника" not in facts
    assert demo_page.console_errors == []
