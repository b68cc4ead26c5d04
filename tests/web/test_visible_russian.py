"""Every page each role reaches on the demo reads in Russian: a crawler logs in as the curator, the head, the
methodologist, a mentor and a mentee of the demo (the whole story, on SQLite and PostgreSQL), follows every
link the pages offer from the landing page, and reads the visible text for Latin-letter identifiers
(``roadmap_event.marked``, ``new_head``, ``winner``), English phrases and unfilled ``{placeholders}``
(tests/web/visible_text.py). What is meant — file names, abbreviations, the «English» switch, the logins the
account pages show — passes; nothing else is allow-listed here."""
from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from engine.demo import world as demo_data
from engine.demo.story import Demo, demo_start
from engine.demo.world import DEMO_PASSWORD, PEOPLE
from engine.services.people.accounts import hash_password
from engine.services.process import definitions
from tests.web.conftest import csrf_token, make_test_app
from tests.web.visible_text import leaks, visible_text
from web.db import database

WALKERS = ("curator", "head", "methodologist", "volkov", "orlova", "admin")
LOGINS = frozenset(login for login, *_ in PEOPLE)
NOT_PAGES = re.compile(r"^/(?:logout|static/|api/)|/(?:download|export|raw|docx|csv|text)(?:/|$)|\.(?:docx|txt|csv|"
                       r"pdf|bpmn|ya?ml|zip|json|png|jpe?g)$")
PER_PATTERN = 2  # pages of one kind (same path with the numbers taken out, same query keys) read per person
MAX_PAGES = 120


@lru_cache(maxsize=1)
def _demo_hash() -> str:
    return hash_password(DEMO_PASSWORD)


def build_story(session) -> None:
    demo = Demo(session, say=lambda line: None, start=demo_start(datetime.now(UTC)))
    demo.run()
    demo.leave_work_in_progress()
    session.commit()


@pytest.fixture
def demo_app(db_url, db_engine, demo_worlds, monkeypatch):
    monkeypatch.setattr(demo_data, "set_password", lambda person, plain: setattr(person, "password_hash", _demo_hash()))
    definitions.clear_cache()
    demo_worlds.copy("demo-story", build_story, db_url, db_engine)
    app = make_test_app(db_url)
    yield app
    database(app).dispose()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and "download" not in dict(attrs):
            self.hrefs.append(href)


def _links(path: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(f"http://localhost{path}", href))
        if parts.netloc != "localhost" or NOT_PAGES.search(parts.path) or "lang=" in parts.query:
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _pattern(link: str) -> str:
    parts = urlsplit(link)
    keys = sorted(pair.split("=")[0] for pair in parts.query.split("&") if pair)
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _context(text: str, item: str) -> str:
    at = text.find(item)
    return "…" + text[max(0, at - 40):at + len(item) + 20] + "…"


def walk(client, login: str) -> dict[str, list[str]]:
    """Every page ``login`` reaches by links from the landing page → what on it is not Russian."""
    page = client.get("/login")
    landing = client.post("/login", data={"login": login, "password": DEMO_PASSWORD,
                                          "csrf_token": csrf_token(page.text)})
    assert landing.status_code == 302, login
    queue, seen, per_pattern = [landing.headers["Location"]], set(), Counter()
    found: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        link = queue.pop(0)
        if link in seen or per_pattern[_pattern(link)] >= PER_PATTERN:
            continue
        seen.add(link)
        per_pattern[_pattern(link)] += 1
        response = client.get(link, follow_redirects=True)
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        html = response.get_data(as_text=True)
        text = visible_text(html)
        bad = leaks(text, LOGINS)
        if bad:
            found[link] = [f"{item} ({_context(text, item)})" for item in bad]
        queue += [next_link for next_link in _links(response.request.path, html) if next_link not in seen]
    assert len(seen) > 3, f"{login}: обход не нашёл страниц ({seen})"
    return found


@pytest.mark.parametrize("login", WALKERS)
def test_every_page_a_role_reaches_on_the_demo_reads_in_russian(demo_app, login):
    found = walk(demo_app.test_client(), login)
    assert not found, "\n".join(f"{link}: {', '.join(items)}" for link, items in found.items())
