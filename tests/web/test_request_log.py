"""An administrator running the server sees each request once in the access log — its id, the person's id (never
their name or login), the route, the status and how long it took — and in the Prometheus counters at /metrics,
which only the monitoring's addresses or its token may read."""
from __future__ import annotations

import io
import json
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families

from engine.services.notifications.outbox import notify
from tests.web.conftest import login, make_test_app
from web.db import database
from worker import logs

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"])


@pytest.fixture
def access_log():
    """The server's structured log (as ``nastavnik serve`` configures it), written to a string."""
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure({"NASTAVNIK_LOG_FORMAT": "json", "NASTAVNIK_LOG_LEVEL": "INFO"}, stream=stream)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _lines(stream: io.StringIO, logger: str = "nastavnik.access") -> list[dict]:
    found = [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]
    return [line for line in found if line["logger"] == logger]


def _sample(client, name: str, **labels: str) -> float:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


def test_a_request_is_one_access_line_with_its_id_the_persons_id_route_status_and_duration(app, seed, access_log):
    client = app.test_client()
    assert login(client, "curator").status_code == 302
    response = client.get("/inbox", headers={"X-Request-Id": "nginx-5f2a9c"})
    assert response.status_code == 200 and response.headers["X-Request-Id"] == "nginx-5f2a9c"
    [line] = [line for line in _lines(access_log) if line.get("request_id") == "nginx-5f2a9c"]
    assert line["person_id"] == seed.people["curator"].id
    assert (line["method"], line["route"], line["status"], line["level"]) == ("GET", "/inbox", 200, "INFO")
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    text = access_log.getvalue()
    assert "curator" not in text and "Кузнецова" not in text  # an id only: no login, no name (152-ФЗ)


def test_an_unusable_request_id_is_replaced_and_an_anonymous_request_has_no_person(app, access_log):
    response = app.test_client().get("/login", headers={"X-Request-Id": "evil id\" x=1"})
    given = response.headers["X-Request-Id"]
    assert len(given) == 32 and given.isalnum()
    [line] = [line for line in _lines(access_log) if line.get("request_id") == given]
    assert "person_id" not in line and line["route"] == "/login"


def test_the_paths_secret_token_never_reaches_the_log_only_the_route(app, access_log):
    app.test_client().get("/calendar/s3cr3t-token-that-is-not-there.ics")
    assert "s3cr3t" not in access_log.getvalue()
    assert any(line["route"].startswith("/calendar/<") and line["status"] == 404 for line in _lines(access_log))


def test_key_value_lines_by_default(app):
    stream = io.StringIO()
    root, level = logging.getLogger(), logging.getLogger().level
    handler = logs.configure({}, stream=stream)
    try:
        app.test_client().get("/login", headers={"X-Request-Id": "abc-1"})
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    [line] = [line for line in stream.getvalue().splitlines() if "request_id=abc-1" in line]
    assert "logger=nastavnik.access" in line and "route=/login" in line and "status=200" in line
    assert 'message="GET /login 200' in line


def test_each_request_and_each_notification_is_counted(app, seed):
    monitoring = app.test_client()
    served = _sample(monitoring, "nastavnik_http_requests_total", route="/login", method="GET", status="200")
    timed = _sample(monitoring, "nastavnik_http_request_duration_seconds_count", route="/login")
    told = _sample(monitoring, "nastavnik_notifications_total", kind="task_assigned")
    assert app.test_client().get("/login").status_code == 200
    with database(app).session_factory() as session:
        notify(session, seed.people["mentor"].id, "task_assigned", "Новая задача: отчёт за этап 1")
        session.commit()
    assert _sample(monitoring, "nastavnik_http_requests_total", route="/login", method="GET", status="200") \
        == served + 1
    assert _sample(monitoring, "nastavnik_http_request_duration_seconds_count", route="/login") == timed + 1
    assert _sample(monitoring, "nastavnik_notifications_total", kind="task_assigned") == told + 1


def test_metrics_are_read_only_from_allowed_addresses_or_with_the_token(db_url, db_engine, seed):
    app = make_test_app(db_url, METRICS_TOKEN="prom-7f3e", METRICS_ALLOW="127.0.0.1, 10.20.0.0/16")
    stranger = app.test_client()
    stranger.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    refused = stranger.get("/metrics")
    assert refused.status_code == 403 and "NASTAVNIK_METRICS_TOKEN" in refused.text
    assert stranger.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert stranger.get("/metrics", headers={"Authorization": "Bearer prom-7f3e"}).status_code == 200
    prometheus = app.test_client()
    prometheus.environ_base["REMOTE_ADDR"] = "10.20.3.4"
    assert "nastavnik_http_requests_total" in prometheus.get("/metrics").text
    # behind a trusted proxy on the same machine the address is the client's, not the proxy's loopback
    proxied = make_test_app(db_url, TRUSTED_PROXIES=1)
    outside = proxied.test_client()
    outside.environ_base.update(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert outside.get("/metrics").status_code == 403


def test_a_bad_metrics_address_list_is_named(db_url, db_engine):
    with pytest.raises(ValueError, match="NASTAVNIK_METRICS_ALLOW: «10.0.0.300»"):
        make_test_app(db_url, METRICS_ALLOW="10.0.0.300")


def test_behind_a_tls_proxy_the_request_is_secure_and_cookies_say_so(db_url, db_engine, seed):
    app = make_test_app(db_url, TRUSTED_PROXIES=1)
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7",
                               HTTP_X_FORWARDED_PROTO="https")
    response = login(client, "curator", headers={"Referer": "https://localhost/login"})  # CSRF checks it on https
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    direct = make_test_app(db_url).test_client()  # no proxy trusted: a forged header makes nothing secure
    direct.environ_base.update(HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" not in direct.get("/login").headers
