"""The OpenAPI document: served without a token, valid OpenAPI 3.0, every /api/v1 route documented with
its methods, bearer security and the one error shape on every operation; flask-smorest's error handler
does not replace the HTML error pages."""
from __future__ import annotations

import re

import pytest
import schemathesis

from web.api.forms import FORMS

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"])  # the document does not depend on the database
DOC = "/api/v1/openapi.json"
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([a-z_]+)>", r"{\1}", rule)


def test_the_document_is_valid(api_world):
    response = api_world.get(DOC)
    assert response.status_code == 200 and response.mimetype == "application/json"
    doc = response.get_json()
    assert doc["openapi"] == "3.0.3" and doc["info"]["title"] and "Bearer" in doc["info"]["description"]
    schemathesis.openapi.from_dict(doc).validate()


def test_every_route_is_documented(api_world):
    doc = api_world.get(DOC).get_json()
    routes = {}
    for rule in api_world.app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule != DOC:
            routes.setdefault(_openapi_path(rule.rule), set()).update(m.lower() for m in rule.methods & METHODS)
    assert routes, "no API routes"
    methods = {m.lower() for m in METHODS}
    documented = {path: {m for m in item if m in methods} for path, item in doc["paths"].items()}
    assert documented == routes
    assert not [r for r in routes if "swagger" in r or "redoc" in r]  # no UI from CDNs (CSP)


def test_every_operation_declares_security_and_errors(api_world):
    doc = api_world.get(DOC).get_json()
    components = doc["components"]
    assert components["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": components["securitySchemes"]["bearerAuth"]["description"]}
    error = components["schemas"]["Error"]
    assert set(error["required"]) == {"code", "status", "message"} and "errors" in error["properties"]
    assert {schema.__name__ for schema in FORMS.values()} <= set(components["schemas"])
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            where = f"{method.upper()} {path}"
            assert operation["security"] == [{"bearerAuth": []}], where
            responses = operation["responses"]
            assert {"401", "403", "default"} <= set(responses), where
            assert responses["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}, where
            if "{" in path:
                assert "404" in responses, where
            if operation.get("requestBody"):
                assert "422" in responses or path.startswith("/api/v1/workflows"), where
            assert operation.get("summary"), where


def test_one_error_shape_and_html_pages_unchanged(api_world):
    for response in (api_world.get("/api/v1/nothing-here", "curator"), api_world.call("PUT", "/api/v1/programs"),
                     api_world.get("/api/v1/programs/0", "curator")):
        body = response.get_json()
        assert response.status_code in (404, 405) and set(body) == {"code", "status", "message"}
        assert body["code"] == response.status_code
    page = api_world.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
