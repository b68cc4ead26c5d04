"""In a real browser (Debian's chromium, headless): log in through the form, see the right sections,
log out. The live server has its own SQLite file. Screenshots go to tests/web/screenshots/ (not committed)."""
from __future__ import annotations

import re


def test_curator_logs_in_sees_the_inbox_and_logs_out(web_page):
    page = web_page.page
    web_page.goto("/")
    assert page.url.endswith("/login")
    assert page.get_by_role("heading", name="Вход в систему").is_visible()
    web_page.shot("01-login")

    web_page.login("curator", "не тот пароль")
    assert page.get_by_text("Неверный логин или пароль.").is_visible()
    web_page.shot("02-login-wrong-password")

    web_page.login("curator")
    page.wait_for_url(re.compile(r"/inbox$"))
    assert page.get_by_role("heading", name="Входящие").is_visible()
    assert page.get_by_role("link", name="Входящие").get_attribute("aria-current") == "page"
    row = page.get_by_role("row").filter(has_text="Согласовать наставническую пару")
    assert row.count() == 1 and "Формирование пар" in row.inner_text()
    assert page.get_by_text("Проверить отчёт чужой организации").count() == 0
    assert page.get_by_text("Кузнецова Анна Сергеевна").is_visible()
    web_page.shot("03-curator-inbox")

    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url(re.compile(r"/login$"))
    assert page.get_by_text("Вы вышли из системы.").is_visible()
    web_page.shot("04-logged-out")
    web_page.goto("/inbox")
    assert "/login?next=/inbox" in page.url
    assert page.get_by_text("Войдите, чтобы продолжить.").is_visible()
    assert web_page.console_errors == []


def test_mentor_does_not_see_the_inbox(web_page):
    page = web_page.page
    web_page.login("mentor")
    page.wait_for_url(re.compile(r"/my$"))  # the start page of a mentor is «Мои программы»
    assert page.get_by_role("link", name="Мои программы").is_visible()
    assert page.get_by_role("link", name="Входящие").count() == 0
    web_page.shot("05-mentor-home")

    response = web_page.goto("/inbox")
    assert response.status == 403
    assert page.get_by_role("heading", name="Доступ запрещён").is_visible()
    web_page.shot("06-mentor-forbidden")
    assert web_page.console_errors == []


def test_english_login_page(web_page):
    page = web_page.page
    web_page.goto("/login?lang=en")
    assert page.get_by_role("heading", name="Log in").is_visible()
    web_page.shot("07-login-english")
    page.get_by_label("Login").fill("curator")
    page.get_by_label("Password").fill("Секрет-2024!")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/inbox$"))
    assert page.get_by_role("heading", name="Inbox").is_visible()
    web_page.shot("08-curator-inbox-english")
    page.get_by_role("link", name="Русский").click()
    assert page.get_by_role("heading", name="Входящие").is_visible()


def test_inbox_on_a_phone(phone_page):
    page = phone_page.page
    phone_page.login("curator")
    page.wait_for_url(re.compile(r"/inbox$"))
    assert page.get_by_text("Согласовать наставническую пару").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    phone_page.shot("09-curator-inbox-phone")


def test_not_found_page(web_page):
    response = web_page.goto("/no-such-page")
    assert response.status == 404
    assert web_page.page.get_by_role("heading", name="Страница не найдена").is_visible()
    web_page.shot("10-not-found")
