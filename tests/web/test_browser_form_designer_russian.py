"""The methodologist's form designer speaks Russian: in a real browser she opens the designer, adds every component
the server supports, opens each one's properties (every group and list entry, every hint on hover), makes the
panel's checks complain (a key with a space, a key another field has, an empty key, a minimum that is not a number)
and nothing the designer shows — texts, hints, placeholders, titles, aria-labels — is English. Only what must stay
Latin is allowed: the field keys (typed or generated) and the form-js brand. Screenshots at 1280 and 390 px."""
from __future__ import annotations

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD

ENGLISH = re.compile(r"[A-Za-z]{3,}")
# what may stay Latin: a component's key or id (generated «textfield_t1yb1», «Form_1d0lscq», or typed), bpmn.io
LATIN = re.compile(r"^([A-Za-z][A-Za-z0-9]*_[a-z0-9]+|[a-z][a-z0-9_]*)$|bpmn\.io|ДД\.ММ\.ГГГГ")

COLLECT = """() => {
  const root = document.getElementById('form-editor'); const out = new Set();
  const shown = (el) => el && el.checkVisibility({visibilityProperty: true});
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue.trim(); if (text && shown(n.parentElement)) { out.add(text); } }
  root.querySelectorAll('[title],[placeholder],[aria-label],[alt]').forEach(function(el) {
    if (!shown(el) && !el.matches('svg *, svg')) { return; }
    ['title', 'placeholder', 'aria-label', 'alt'].forEach(function(name) {
      const value = el.getAttribute(name); if (value) { out.add(value.trim()); } }); });
  return [...out]; }"""

SELECT = """(i) => { const e = window.nastavnikFormEditor;
    e.get('selection').set(e.get('formFieldRegistry').getAll().filter(f => f.type !== 'default')[i]); }"""


def _english(page, typed: set[str]) -> set[str]:
    return {text for text in page.evaluate(COLLECT)
            if ENGLISH.search(text) and text not in typed and not LATIN.search(text)}


def _open_everything(page) -> None:
    """Every group of the properties panel and every list entry opened."""
    for _round in range(3):
        closed = page.locator(".fjs-properties-container .bio-properties-panel-group-header:not(.open)")
        for index in reversed(range(closed.count())):
            closed.nth(index).click()
    entries = page.locator(".fjs-properties-container .bio-properties-panel-collapsible-entry-header")
    for index in range(entries.count()):
        entries.nth(index).click()


def _hints(page, typed: set[str]) -> set[str]:
    """The panel's hints (shown on hover) and what each says."""
    found: set[str] = set()
    wrappers = page.locator(".fjs-properties-container .bio-properties-panel-tooltip-wrapper")
    for index in range(wrappers.count()):
        wrappers.nth(index).hover()
        tooltip = page.locator(".bio-properties-panel-tooltip")
        try:
            tooltip.first.wait_for(state="visible", timeout=1500)
        except PlaywrightTimeout:  # a wrapper without a hint
            continue
        found |= _english(page, typed)
        page.mouse.move(0, 0)
        page.wait_for_timeout(300)
    return found


def test_the_form_designer_shows_no_english(web_page):
    page = web_page.page
    web_page.login("methodologist", PASSWORD)
    web_page.goto("/methodology/forms")
    page.get_by_label("Название").fill("Отчёт о встрече")
    page.get_by_label("Ключ (латиницей)").fill("meeting_report")
    page.get_by_role("button", name="Создать форму").click()
    expect(page.locator("#form-editor")).to_have_attribute("data-ready", "1", timeout=30000)
    typed = {"Отчёт о встрече", "meeting_report"}
    found = _english(page, typed)  # the empty form, the palette, the form's own properties
    _open_everything(page)
    found |= _english(page, typed)
    web_page.shot("form-designer-empty")

    kinds = page.evaluate("""() => [...document.querySelectorAll('.fjs-palette-field[data-field-type]')]
        .filter(e => e.checkVisibility()).map(e => e.dataset.fieldType)""")
    assert set(kinds) == {"textfield", "textarea", "number", "datetime", "checkbox", "checklist", "radio", "select",
                          "text", "spacer", "separator", "group", "button"}  # what the server supports, no more
    search = page.get_by_placeholder("Найти элемент")
    search.fill("Text")  # the palette's search finds nothing English, and finds the Russian names
    found |= _english(page, typed | {"Text"})
    search.fill("текст")
    expect(page.locator(".fjs-palette-field:visible")).to_have_count(3)  # текст, многострочный текст, надпись
    search.fill("")
    page.evaluate("""(kinds) => { const e = window.nastavnikFormEditor; const root = e._getState().schema;
        kinds.forEach((kind) => e.get('modeling').addFormField({type: kind}, root, root.components.length)); }""",
                  kinds)
    found |= _english(page, typed)
    labels = page.evaluate("""() => window.nastavnikFormEditor.saveSchema().components.flatMap(c =>
        [c.label, c.dateLabel, c.text, ...(c.values || []).map(v => v.label)]).filter(Boolean)""")
    assert "Флажок" in labels and "Значение" in labels  # a new field's label and option are Russian, as saved
    found |= {label for label in labels if ENGLISH.search(label)}
    for index in range(len(kinds)):
        page.evaluate(SELECT, index)
        _open_everything(page)
        found |= _english(page, typed)
        found |= _hints(page, typed)

    page.evaluate(SELECT, kinds.index("number"))  # the panel's own checks, in Russian too
    key = page.locator('.fjs-properties-container [data-entry-id="key"] input')
    for wrong in ("two words", "", page.evaluate("() => window.nastavnikFormEditor.saveSchema().components[0].key")):
        key.fill(wrong)
        found |= _english(page, typed | {wrong})
    for entry, wrong in (("decimalDigits", "-1"), ("decimalDigits", "0.5")):
        page.locator(f'.fjs-properties-container [data-entry-id$="{entry}"] input').first.fill(wrong)
        found |= _english(page, typed)
    web_page.shot("form-designer-number-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    found |= _english(page, typed)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the palette above the form, no sideways scroll
    web_page.shot("form-designer-number-390")
    assert sorted(found) == [], "English in the form designer"
    assert web_page.console_errors == []
