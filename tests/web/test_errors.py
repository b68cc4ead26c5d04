"""Friendly Russian error pages, never a traceback; domain errors map to HTTP statuses."""
from __future__ import annotations

import pytest
from flask import Blueprint

from engine.errors import ConflictError, FactError, NastavnikError, NotFound, PermissionDenied
from tests.web.conftest import make_test_app
from web.db import database


@pytest.fixture
def faulty_app(db_url, db_engine, seed):
    app = make_test_app(db_url, PROPAGATE_EXCEPTIONS=False)
    errors = {"denied": PermissionDenied("нельзя"), "missing": NotFound("нет такой программы"),
              "conflict": ConflictError("программу уже изменили"),
              "invalid": FactError("стаж не может быть отрицательным", where="years_as_head"),
              "generic": NastavnikError("что-то не так с данными")}
    probe = Blueprint("faulty", __name__)

    @probe.route("/boom")
    def boom():
        raise RuntimeError("SECRET internal detail in /work/main/engine/x.py line 42")

    @probe.route("/raise/<kind>")
    @probe.route("/api/v1/raise/<kind>")
    def raise_(kind):
        raise errors[kind]

    app.register_blueprint(probe)
    yield app
    database(app).dispose()


def test_404_page_is_russian(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert '<html lang="ru">' in response.text and "Страница не найдена" in response.text


def test_405_page(client):
    response = client.put("/login")
    assert response.status_code == 405 and "Действие недоступно" in response.text


def test_unexpected_exception_is_a_500_page_without_traceback(faulty_app):
    response = faulty_app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Внутренняя ошибка" in response.text
    for leak in ("Traceback", "RuntimeError", "SECRET", "engine/x.py"):
        assert leak not in response.text


@pytest.mark.parametrize(("kind", "status", "text"), [
    ("denied", 403, "нельзя"),
    ("missing", 404, "нет такой программы"),
    ("conflict", 409, "программу уже изменили"),
    ("invalid", 422, "years_as_head: стаж не может быть отрицательным"),
    ("generic", 422, "что-то не так с данными"),
])
def test_domain_errors_map_to_statuses(faulty_app, kind, status, text):
    client = faulty_app.test_client()
    page = client.get(f"/raise/{kind}")
    shown = text.split(": ", 1)[-1]  # the page shows the message; the field's id stays in the API's answer
    assert page.status_code == status and shown in page.text and "<html" in page.text
    assert "years_as_head" not in page.text
    api = client.get(f"/api/v1/raise/{kind}")
    assert api.status_code == status and api.json["code"] == status and text in api.json["message"]


def test_api_404_is_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json["code"] == 404
