"""The JSON API ``/api/v1`` for other school systems (flask-smorest + marshmallow), described by the
OpenAPI 3 document at ``/api/v1/openapi.json``. See web/api/README.md.

Every resource is a blueprint of its own module (``RESOURCES``); each calls the same engine services
as the pages, with the ``Actor`` of the bearer token, so the permission checks are the same.
"""
from __future__ import annotations

from importlib import import_module

from flask import Flask
from flask_smorest import Api

from web.api.forms import FORMS
from web.api.schemas import ErrorSchema

RESOURCES = ("programs", "tasks", "pairs", "people", "orders", "rules", "workflows", "personal_data",
             "organizations", "staff_import", "calendar", "notifications", "incidents", "bonus_fund", "exports",
             "analytic_reports", "dashboard", "recognition", "council", "plan", "iom", "ippr")
EXTENSION = "nastavnik.api"

DESCRIPTION = """JSON API «Наставника» для других систем школ и управлений образования.

Аутентификация: `Authorization: Bearer <токен>`; токен выпускает администратор командой
`nastavnik token issue <логин> --name "…"`. Токен действует от имени человека, с его текущими ролями:
проверки прав те же, что на страницах (403 — нет роли или чужая организация). Cookie сессии браузера
API не принимает.

Ошибки — всегда JSON `{code, status, message, errors?}`: 400 (не JSON), 401 (нет токена или он
недействителен; заголовок WWW-Authenticate), 403, 404, 405, 409 (конфликт: задачу уже выполнили,
приказ уже подписан, процесс изменён), 413, 415, 422 (данные не приняты; поля названы в `errors`),
503 (связь с базой данных прервалась: повторите запрос, проверив, что сделал изменяющий).
Списки постраничные: `page`, `page_size` (до 100), метаданные — в заголовке `X-Pagination`. Длину списка считают
не дальше 1000 записей за запрошенной страницей: если записей больше, вместо `total` и `last_page` заголовок
содержит `total_at_least` (записей не меньше) и `next_page`."""

CONFIG = {
    "API_TITLE": "Наставник API",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    # no Swagger UI / ReDoc: they load from CDNs, which the Content-Security-Policy forbids
}

# responses every operation may give besides its own (401 and 403: every operation needs a token)
COMMON_RESPONSES = {"401": "UNAUTHORIZED", "403": "FORBIDDEN"}


class NastavnikApi(Api):
    """flask-smorest's Api whose error handlers stay on the API's blueprints (``core.make_blueprint``)
    instead of replacing the app's HTML error pages."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        pass


def _document(api: NastavnikApi) -> None:  # noqa: C901 - the OpenAPI document's parts, added one after another
    spec = api.spec
    spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer",
        "description": "токен API (nastavnik token issue); передаётся как «Authorization: Bearer <токен>»"})
    for _name, schema in FORMS.items():
        schema_name = schema.__name__
        if schema_name not in spec.components.schemas:
            spec.components.schema(schema_name, schema=schema)
    spec.components.schema("BpmnSource", schema=import_module("web.api.schemas").BpmnSourceSchema)
    pagination = spec.components.headers.get("PAGINATION")
    if pagination and "schema" in pagination:  # the header is a JSON object, not a «simple»-style list
        pagination["content"] = {"application/json": {"schema": pagination.pop("schema")}}
    for path in spec._paths.values():  # apispec has no public iterator over paths
        for method, operation in path.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            operation["security"] = [{"bearerAuth": []}]
            responses = operation.setdefault("responses", {})
            for code, component in COMMON_RESPONSES.items():
                responses.setdefault(code, spec.components.get_ref("response", component))
            if any(p.get("in") == "path" for p in operation.get("parameters", []) + path.get("parameters", [])
                   if isinstance(p, dict)):
                responses.setdefault("404", spec.components.get_ref("response", "NOT_FOUND"))
            body = operation.get("requestBody", {})
            if isinstance(body, dict) and isinstance(body.get("content", {}).get("application/json", {})
                                                         .get("schema"), str):
                content = body["content"]["application/json"]
                content["schema"] = spec.components.get_ref("schema", content["schema"])
            if operation.get("requestBody"):
                responses.setdefault("400", spec.components.get_ref("response", "BAD_REQUEST"))
                responses.setdefault("413", spec.components.get_ref("response", "REQUEST_ENTITY_TOO_LARGE"))


def init_app(app: Flask) -> NastavnikApi:
    for key, value in CONFIG.items():
        app.config.setdefault(key, value)
    app.config.setdefault("API_SPEC_OPTIONS", {"info": {"description": DESCRIPTION}})
    api = NastavnikApi(app)
    for name in RESOURCES:
        api.register_blueprint(import_module(f"web.api.{name}").bp)
    _document(api)
    app.extensions[EXTENSION] = api
    return api
