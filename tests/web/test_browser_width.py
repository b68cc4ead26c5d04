"""No page scrolls sideways: on the demo, at 1280 px (a laptop) and 390 px (a phone), the curator's pages —
the person card with its column of rule facts first — fit the window; a long value wraps instead of running off
the screen."""
from __future__ import annotations

import re

import pytest

from engine.demo.world import DEMO_PASSWORD
from tests.web.conftest import _open_page

WIDTHS = {"laptop": {"viewport": {"width": 1280, "height": 800}},
          "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
                    "has_touch": True}}
PAGES = ("/registries/people/{volkov}", "/registries/people/{novikova}", "/registries/mentors", "/registries/mentees",
         "/inbox", "/registries/programs", "/programs/1", "/dashboard", "/dashboard/status")


def _overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _widest(page) -> list[str]:
    """The deepest elements reaching past the window's right edge (to name in the failure)."""
    return page.evaluate("""() => { const w = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1
            && ![...e.children].some(c => c.getBoundingClientRect().right > w + 1))
          .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')); }""")


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_the_curators_pages_fit_the_window(browser, demo_server, width):
    context, wrapped = _open_page(browser, demo_server, **WIDTHS[width])
    try:
        wrapped.login("curator", DEMO_PASSWORD)
        wrapped.page.wait_for_url(re.compile(r"/inbox$"))
        people = {}
        for login in ("volkov", "novikova"):
            wrapped.goto("/registries/mentors" if login == "volkov" else "/registries/mentees")
            link = wrapped.page.get_by_role("link", name=re.compile(
                {"volkov": "Волков", "novikova": "Новикова"}[login])).first.get_attribute("href")
            people[login] = int(re.search(r"/registries/people/(\d+)", link).group(1))
        wide = {}
        for template in PAGES:
            path = template.format(**people)
            wrapped.goto(path)
            if (extra := _overflow(wrapped.page)) > 1:
                wide[path] = (extra, _widest(wrapped.page))
        wrapped.goto(f"/registries/people/{people['volkov']}")
        wrapped.shot(f"person-card-{width}")
        assert wide == {}, f"страницы шире окна на столько пикселей: {wide}"
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_the_heads_integrity_and_the_methodologists_incidents_fit_the_window(browser, demo_server, width):
    """The pages issue 11 added: the order with its signature and chain checked, the integrity page of the
    journals and orders (the head), the scripts stopped at a bound (the methodologist)."""
    wide = {}
    for login, paths in (("head", ("/orders?tab=decided", "/orders/integrity")), ("methodologist", ("/methodology",))):
        context, wrapped = _open_page(browser, demo_server, **WIDTHS[width])
        try:
            wrapped.login(login, DEMO_PASSWORD)
            wrapped.page.wait_for_load_state()
            for path in paths:
                wrapped.goto(path)
                if path.startswith("/orders?"):  # the first signed order's own page: its signature and chain checked
                    hrefs = wrapped.page.evaluate("""() => [...document.querySelectorAll('a')].map(a => a.href)
                        .filter(h => /\\/orders\\/\\d+$/.test(h))""")
                    for href in hrefs:
                        wrapped.page.goto(href)
                        if wrapped.page.locator("[data-verified]").count():
                            break
                    assert wrapped.page.locator("[data-verified]").get_attribute("data-verified") == "true"
                    path = "order"
                if (extra := _overflow(wrapped.page)) > 1:
                    wide[path] = (extra, _widest(wrapped.page))
                wrapped.shot(f"{login}-{path.strip('/').replace('/', '-').replace('?tab=decided', '')}-{width}")
        finally:
            context.close()
    assert wide == {}, f"страницы шире окна на столько пикселей: {wide}"
