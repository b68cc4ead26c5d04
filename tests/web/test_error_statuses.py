"""One status per domain error, for the pages and the JSON API alike: the table ``STATUS_BY_ERROR`` walked
through a page and through an API blueprint (token, error handler and all), and every error class the
engine defines gets the same status on both; a form view puts an error back on the field it names."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import timedelta

import pytest
from flask import Blueprint
from flask_wtf import FlaskForm
from markupsafe import escape
from wtforms import HiddenField, StringField

import engine
from engine.errors import NastavnikError, NotFound, TokenRejected, UnknownRuleset
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.web.conftest import make_test_app
from web.api.core import make_blueprint
from web.db import database
from web.errors import STATUS_BY_ERROR, place_error, status_for

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def engine_error_classes() -> list[type[NastavnikError]]:
    """NastavnikError and every subclass defined anywhere in engine/."""
    for module in pkgutil.walk_packages(engine.__path__, "engine."):
        importlib.import_module(module.name)
    found, todo = [], [NastavnikError]
    while todo:
        kind = todo.pop()
        found.append(kind)
        todo.extend(kind.__subclasses__())
    return sorted({k for k in found if k.__module__.startswith("engine.")}, key=lambda k: k.__qualname__)


BOUND_BREACHES = {  # errors that carry the bound they stopped at
    "ScriptLimitExceeded": lambda kind: kind("time", "5 с", where="поле"),  # «сценарий превысил предел времени 5 с»
    "LoopLimitExceeded": lambda kind: kind("steps", 5000, "данные не приняты", where="поле"),
}


def instance_of(kind: type[NastavnikError]) -> NastavnikError:
    if kind.__qualname__ in BOUND_BREACHES:
        return BOUND_BREACHES[kind.__qualname__](kind)
    takes_problems = list(inspect.signature(kind.__init__).parameters)[1:2] == ["problems"]
    return kind(["проблема в описании"] if takes_problems else "данные не приняты", where="поле")


@pytest.fixture
def probe(db_url, db_engine, seed, db_session_factory):
    """The app with one page and one API operation raising the error class named in the URL."""
    classes = {kind.__qualname__: kind for kind in engine_error_classes()}
    app = make_test_app(db_url, PROPAGATE_EXCEPTIONS=False)
    page = Blueprint("error_probe", __name__)
    api = make_blueprint("error_probe", "/error-probe", "Проба ошибок")

    @page.route("/error-probe/<name>")
    def raise_on_page(name):
        raise instance_of(classes[name])

    @api.route("/<name>")
    def raise_in_api(name):
        raise instance_of(classes[name])

    app.register_blueprint(page)
    app.register_blueprint(api)
    with db_session_factory() as session:
        token = api_tokens.issue(session, SYSTEM, seed.people["curator"].id, "проба", timedelta(days=1)).token
        session.commit()
    yield app, classes, {"Authorization": f"Bearer {token}"}
    database(app).dispose()


@SQLITE
def test_the_table_is_one_for_pages_and_the_api(probe):
    app, classes, token = probe
    client = app.test_client()
    assert [kind for kind, _ in STATUS_BY_ERROR][-1] is NastavnikError  # whatever else the domain refuses: 422
    walked = {kind.__qualname__ for kind, _ in STATUS_BY_ERROR}
    assert walked <= set(classes)
    for name, kind in classes.items():
        expected = status_for(instance_of(kind))
        if kind in dict(STATUS_BY_ERROR):
            assert expected == dict(STATUS_BY_ERROR)[kind], name
        on_page = client.get(f"/error-probe/{name}")
        in_api = client.get(f"/api/v1/error-probe/{name}", headers=token)
        assert (on_page.status_code, in_api.status_code, in_api.get_json()["code"]) == (expected,) * 3, name
        assert "<html" in on_page.text, name
        shown = instance_of(kind).message
        assert ("данные не приняты" in on_page.text or "проблема в описании" in on_page.text
                or str(escape(shown)) in on_page.text), name
    assert status_for(UnknownRuleset("нет набора")) == status_for(NotFound("нет")) == 404
    assert status_for(TokenRejected("неверный токен API")) == 401


class _Form(FlaskForm):
    reason = StringField()
    version = HiddenField()


def test_place_error_puts_the_message_on_the_field_it_names(app):
    with app.test_request_context():
        form = _Form(meta={"csrf": False})
        assert place_error(form, NastavnikError("укажите причину", where="reason")) is None
        assert form.reason.errors == ["укажите причину"]
        # a hidden field, a name the form has not, or none: the message goes above the form
        assert place_error(form, NastavnikError("обновите страницу", where="version")) == "обновите страницу"
        assert place_error(form, NastavnikError("нет такого", where="nothing")) == "нет такого"
        assert place_error(form, NastavnikError("вообще")) == "вообще"
        assert not form.version.errors and form.reason.errors == ["укажите причину"]
