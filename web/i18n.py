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

from flask import Flask, current_app, g, request, session
from flask_babel import Babel, get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from web.catalogs import PRECOMPILED, SOURCE_DIRECTORY, compiled_translations, read_catalog

__all__ = ["SOURCE_DIRECTORY", "compiled_translations", "read_catalog"]  # web.catalogs, kept importable from here

SUPPORTED_LOCALES = ("ru", "en")
LOCALE_NAMES = {"ru": "Русский", "en": "English"}


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in SUPPORTED_LOCALES:
        return chosen
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "ru")


def init_app(app: Flask) -> None:
    # the wheel carries the catalogs compiled at build time; a checkout compiles them on first use
    translations = PRECOMPILED if PRECOMPILED.is_dir() else compiled_translations()
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(translations))
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
