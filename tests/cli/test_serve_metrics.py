"""``nastavnik serve`` with two gunicorn processes, for real: each request is one structured access line on the
server's stderr (NASTAVNIK_LOG_FORMAT=json), and /metrics counts the requests of both processes (prometheus_client's
multiprocess mode in a directory the server makes and removes)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.cli.test_serve import ROOT, _free_port


def _get(url: str, headers: dict | None = None) -> tuple[int, str, dict]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
        return response.status, response.read().decode(), dict(response.headers)


def _login_requests(text: str) -> float:
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "nastavnik_http_requests_total" and sample.labels["route"] == "/login")


def test_two_processes_log_each_request_and_metrics_sum_them(db_url, db_session, tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "NASTAVNIK_SERVE_PID_HEADER": "1", "NASTAVNIK_LOG_FORMAT": "json",
           "NASTAVNIK_LOG_LEVEL": "INFO", "NASTAVNIK_EMBEDDED_JOBS": "0", "TMPDIR": str(tmp_path)}
    for name in ("NASTAVNIK_SECRET_KEY", "PROMETHEUS_MULTIPROC_DIR", "NASTAVNIK_METRICS_TOKEN"):
        env.pop(name, None)
    process = subprocess.Popen([sys.executable, "-c", "import sys; from cli import main; sys.exit(main())",
                                "serve", "--port", str(port), "--workers", "2"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base, deadline, pids, ids = f"http://127.0.0.1:{port}", time.monotonic() + 60, set(), []
    try:
        while len(pids) < 2 or len(ids) < 6:
            assert time.monotonic() < deadline, f"only processes {pids} answered"
            try:
                status, _, headers = _get(base + "/login", {"X-Request-Id": f"probe-{len(ids)}"})
            except OSError:
                time.sleep(0.2)  # not listening yet
                continue
            assert status == 200 and headers["X-Request-Id"] == f"probe-{len(ids)}"
            pids.add(headers["X-Nastavnik-Worker"])
            ids.append(headers["X-Request-Id"])
        _, text, _ = _get(base + "/metrics")
        assert _login_requests(text) == len(ids)  # both processes' counts, summed
        made = [path for path in Path(tmp_path).iterdir() if path.name.startswith("nastavnik-metrics-")]
        assert len(made) == 1 and any(made[0].iterdir())
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=60)
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    access = {line["request_id"]: line for line in lines if line["logger"] == "nastavnik.access"}
    assert set(ids) <= set(access), err
    assert {(access[i]["route"], access[i]["status"], access[i]["method"]) for i in ids} == {("/login", 200, "GET")}
    assert not [path for path in Path(tmp_path).iterdir() if path.name.startswith("nastavnik-metrics-")]  # gone
