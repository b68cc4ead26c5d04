"""Russian UI (the message ids are Russian) with English as a second locale, via Flask-Babel.

``?lang=en`` / ``?lang=ru`` on any page stores the choice in the session. The English catalog is
``web/translations/en/LC_MESSAGES/*.po``: ``messages.po`` for the shared layout and one ``<area>.po`` per area
of the UI (curator.po, methodology.po, ...), merged into one ``messages.mo`` and compiled in pure Python on
first use (into a per-content cache directory outside the source tree), so no build step or network is needed.
To collect new strings: ``pybabel extract -F web/babel.cfg -k _l -o /tmp/messages.pot web`` and
``pybabel update -i /tmp/messages.pot -d web/translations --no-fuzzy-matching``, then translate. The labels
pages take from the engine's form contracts (``engine/forms/contracts.py``) are not extracted from web/: keep
their English here by hand (tests/web/test_form_contracts.py names any that is missing).
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, g, request, session
from flask_babel import Babel, get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

SUPPORTED_LOCALES = ("ru", "en")
LOCALE_NAMES = {"ru": "Русский", "en": "English"}
SOURCE_DIRECTORY = Path(__file__).resolve().parent / "translations"


def compiled_translations(source: Path = SOURCE_DIRECTORY) -> Path:
    """A directory with ``<lang>/LC_MESSAGES/messages.mo`` compiled from the ``.po`` files in ``source``."""
    po_files = sorted(source.glob("*/LC_MESSAGES/*.po"))
    digest = hashlib.sha256()
    for po in po_files:
        digest.update(po.relative_to(source).as_posix().encode())
        digest.update(po.read_bytes())
    target = Path(tempfile.gettempdir()) / f"nastavnik-i18n-{digest.hexdigest()[:16]}"
    try:
        _compile(po_files, source, target)
    except OSError:  # e.g. another user owns that directory: compile into a private one
        target = Path(tempfile.mkdtemp(prefix="nastavnik-i18n-"))
        _compile(po_files, source, target)
    return target


def read_catalog(po_files: list[Path], locale: str) -> Catalog:
    """The ``.po`` files of one locale as one catalog (a later file cannot silently redefine a message)."""
    merged = Catalog(locale=locale)
    for po in po_files:
        with po.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if not message.id:
                    continue
                known = merged.get(message.id, message.context)
                if known is not None and known.string and message.string and known.string != message.string:
                    raise ValueError(f"{po}: «{message.id}» is translated differently in another .po file")
                if known is None or not known.string:
                    merged[message.id] = message
    return merged


def _compile(po_files: list[Path], source: Path, target: Path) -> None:
    by_locale: dict[str, list[Path]] = {}
    for po in po_files:
        by_locale.setdefault(po.relative_to(source).parts[0], []).append(po)
    for locale, files in by_locale.items():
        mo = target / locale / "LC_MESSAGES" / "messages.mo"
        if mo.exists():
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        with partial.open("wb") as handle:
            write_mo(handle, read_catalog(files, locale), use_fuzzy=False)
        os.replace(partial, mo)  # atomic: concurrent workers never read half a file


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in SUPPORTED_LOCALES:
        return chosen
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "ru")


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(compiled_translations()))
    Babel(app, locale_selector=select_locale)

    @app.before_request
    def _switch_language():
        lang = request.args.get("lang")
        if lang in SUPPORTED_LOCALES and session.get("lang") != lang:
            session["lang"] = lang

    @app.context_processor
    def _locale_context():
        current = str(get_locale() or "ru")
        return {"current_locale": current, "other_locales": [
            (code, LOCALE_NAMES[code]) for code in SUPPORTED_LOCALES if code != current], **template_gettext()}


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "translated where it is shown"
    """Marks ``message`` for extraction (babel's default keywords); ``translate`` translates it when shown."""
    return message


def translate(message: str) -> str:
    """``message`` in the request's locale; the catalog is looked up once per request and locale (Flask-Babel's
    ``gettext`` and lazy strings look it up on every call)."""
    locale = get_locale()
    found = g.get("_i18n_catalog")
    if found is None or found[0] is not locale:
        found = g._i18n_catalog = (locale, get_translations())
    return found[1].ugettext(message)


def template_gettext() -> dict[str, object]:
    """``_``, ``gettext`` and ``ngettext`` of one rendering, bound to the catalog of its locale, found once.

    They do what the ``jinja2.ext.i18n`` callables Flask-Babel installs do (newstyle: the result is a format
    string, escaped under autoescape), but Flask-Babel looks the locale and its catalog up again on each of the
    hundreds of calls a page makes. Templates imported without context (macros) keep the installed ones."""
    catalog = get_translations()

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, string: str, **variables: object) -> str:
        found = catalog.ugettext(string)
        return (Markup(found) if eval_ctx.autoescape else found) % variables

    @pass_eval_context
    def ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, **variables: object) -> str:
        variables.setdefault("num", num)
        found = catalog.ungettext(singular, plural, num)
        return (Markup(found) if eval_ctx.autoescape else found) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}
