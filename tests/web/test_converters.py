"""Every route with an ``<int:…>`` id (pages and the JSON API) answers a 23-digit id with 404, never a 500:
the id is bounded by what the database can hold before any view runs."""
from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from tests.web.conftest import login
from web.converters import MAX_DATABASE_ID

HUGE = "1" * 23


def int_routes(app) -> list[tuple[str, str]]:
    """(method, url) of every rule with an integer argument, each such argument replaced by ``HUGE``."""
    found = []
    for rule in app.url_map.iter_rules():
        ints = [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]
        if not ints:
            continue
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m, ints=ints: HUGE if m.group(1) in ints else "x", rule.rule)
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        found.append((method, url))
    return found


def test_every_integer_route_answers_a_23_digit_id_with_not_found(app, client, seed):
    routes = int_routes(app)
    assert len(routes) > 40 and any(url.startswith("/api/v1/") for _, url in routes)
    login(client, "curator")
    for method, url in routes:
        response = client.open(url, method=method)
        assert response.status_code == 404, (method, url, response.status_code)
        assert "Traceback" not in response.text
    api = client.get(f"/api/v1/programs/{HUGE}")
    assert api.status_code == 404 and api.is_json  # the API answers in its own shape


def test_the_largest_database_id_still_routes_and_is_simply_not_found(app, client, seed):
    login(client, "curator")
    assert client.get(f"/programs/{MAX_DATABASE_ID}").status_code == 404
    assert client.get(f"/programs/{MAX_DATABASE_ID + 1}").status_code == 404


QUERY_IDS = ("org", "organization_id", "mentor_id", "person", "school", "page", "version", "year")


@pytest.mark.parametrize("db_backend", ["sqlite"])
@pytest.mark.parametrize("who", ["curator", "head", "methodologist"])
def test_every_page_takes_23_digit_ids_in_its_query_without_a_500(app, who):
    client = app.test_client()
    login(client, who)
    query = "&".join(f"{name}={HUGE}" for name in QUERY_IDS)
    pages = [rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and "<" not in rule.rule
             and not rule.rule.startswith(("/static", "/api/", "/logout", "/healthz"))]  # /healthz: 503 is its word
    pages += ["/methodology/rules/mentor_eligibility_tomsk/try", "/methodology/rules/mentor_eligibility_tomsk"]
    assert "/monitoring" in pages and "/pairs/new" in pages
    for page in pages:
        for single in QUERY_IDS:  # one at a time too: a page may read the first it understands
            for url in (f"{page}?{query}", f"{page}?{single}={HUGE}"):
                response = client.get(url)
                assert response.status_code < 500, url
