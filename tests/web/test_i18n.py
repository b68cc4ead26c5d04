"""Russian by default, English on request (kept in the session)."""
from __future__ import annotations

from tests.web.conftest import login
from web.i18n import compiled_translations


def test_russian_is_the_default(client):
    html = client.get("/login").text
    assert '<html lang="ru">' in html and "Вход в систему" in html and ">English<" in html


def test_english_switch_is_remembered(client):
    html = client.get("/login?lang=en").text
    assert '<html lang="en">' in html and "Log in" in html and "Password" in html and ">Русский<" in html
    assert "Вход в систему" not in html
    assert "Log in" in client.get("/login").text  # the choice stays in the session


def test_english_survives_login_and_translates_the_layout(client):
    client.get("/login?lang=en")
    login(client, "curator")
    html = client.get("/inbox").text
    assert "Inbox" in html and "Log out" in html and "Pair formation" in html
    back = client.get("/inbox?lang=ru").text
    assert '<html lang="ru">' in back and "Входящие" in back and ">English<" in back
    assert "Входящие" in client.get("/inbox").text


def test_english_error_messages(client):
    client.get("/login?lang=en")
    assert "Page not found" in client.get("/missing").text
    response = login(client, "curator", "wrong")
    assert response.status_code == 422 and "Wrong login or password." in response.text


def test_translations_compile_once(tmp_path):
    first = compiled_translations()
    assert (first / "en" / "LC_MESSAGES" / "messages.mo").is_file()
    assert compiled_translations() == first


def test_every_ui_string_has_an_english_translation():
    from pathlib import Path

    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    web = Path(__file__).resolve().parents[2] / "web"
    found = {
        message for _file, _line, message, _comments, _context in extract_from_dir(
            str(web), method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")],
            keywords={**DEFAULT_KEYWORDS, "_l": None})
    }
    from web.i18n import read_catalog

    catalog = read_catalog(sorted((web / "translations" / "en" / "LC_MESSAGES").glob("*.po")), "en")
    english = {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog if m.id}  # plurals: a tuple
    missing = sorted(m if isinstance(m, str) else m[0] for m in found
                     if not english.get(m if isinstance(m, str) else m[0]))
    assert found and missing == [], "run pybabel extract/update (see web/i18n.py) and translate: " + repr(missing)


def test_area_po_files_merge_and_conflicts_are_refused(tmp_path):
    import pytest

    from web.i18n import read_catalog

    def po(name: str, msgid: str, msgstr: str):
        path = tmp_path / name
        path.write_text(f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                        f'msgid "{msgid}"\nmsgstr "{msgstr}"\n', encoding="utf-8")
        return path

    merged = read_catalog([po("a.po", "Реестры", "Registries"), po("b.po", "Входящие", "Inbox")], "en")
    assert {m.id: m.string for m in merged if m.id} == {"Реестры": "Registries", "Входящие": "Inbox"}
    with pytest.raises(ValueError, match="c.po"):
        read_catalog([po("a.po", "Реестры", "Registries"), po("c.po", "Реестры", "Registers")], "en")
