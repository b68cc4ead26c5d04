"""The demo data in a real browser: the curator logs in and finds the stage report that waits for them."""
from __future__ import annotations

from engine.demo.world import DEMO_PASSWORD


def test_curator_reaches_the_inbox_with_the_waiting_report(demo_page):
    demo_page.login("curator", DEMO_PASSWORD)
    demo_page.page.wait_for_url("**/inbox")
    assert demo_page.page.get_by_role("heading", name="Входящие").is_visible()
    assert demo_page.page.get_by_text("Рассмотреть отчёт по этапу").first.is_visible()
    demo_page.shot("demo-curator-inbox")
    assert demo_page.console_errors == []
