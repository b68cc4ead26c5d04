"""HTTP throughput of ``nastavnik serve`` on PostgreSQL with 1 and 2 worker processes (issue 14).

Run: .venv/bin/python bench/http_load.py [--programs 300] [--inbox-seconds 10] [--clients 32] [--workers 1,2]
                                    [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--json]

The department (``bench/http_world.py``): the demo's Tomsk department plus ``--programs`` programs, each with a
stage report awaiting the curator, made through the product's services once into a database of its own
(``synchronous_commit=off`` while filling only) and vacuumed (``VACUUM (ANALYZE)``, as autovacuum keeps a served
database), then copied (``CREATE DATABASE … TEMPLATE``) for each run so every run starts from the same rows. Each run starts ``nastavnik serve --workers N`` (gunicorn, background jobs off) on
its copy and drives ``--clients`` concurrent clients (aiohttp, one asyncio loop, one curator session and keep-alive
connection each, logged in through the form first):

inbox      GET /inbox (the curator's first page) for ``--inbox-seconds``;
approvals  POST /tasks/<instance>/<task> «Принять отчёт» with the session's CSRF token, each stage report once
           (a 302 back to the inbox is a success; anything else an error), until every report is approved.

Printed: req/s, p50/p95/p99 latency and errors per run, the 2-vs-1 ratio, PASS/FAIL against the targets
(32 clients, 2 CPUs: ≥ 100 approvals/s and ≥ 300 inbox pages/s with 2 processes, 0 errors, ratio ≥ 1.7), and a
JSON line. The client shares the machine's CPUs with the server (as the issue's measurement did).

Last run (2026-12-07 01:31 UTC, branch ``http``: the per-request overhead cut; the 2-CPU development machine shared
with other engineers' runs, load average 2.1 at the start and 7.7 at the end; 200 stage reports, 32 clients):
1 process — inbox 28.5 pages/s (p50 1.08 s, p99 1.72 s), approvals 15.9/s (p99 3.64 s); 2 processes — inbox
32.8 pages/s (p99 1.60 s), approvals 17.0/s (p99 3.50 s); 0 errors; 2/1 ratios 1.15× and 1.07×: the throughput
targets FAIL. The run before (same bench, 32 clients): 1 process 14.8 approvals/s and 16.9 inbox pages/s,
2 processes 25.6 / 30.8. One request's own CPU in one process (Flask test client on a copy of the same
department, ``time.process_time``, min of 8 × 25 pages / 8 × 20 approvals, both trees measured alternately): an
inbox page 40–48 ms before, 21–26 ms after (19 → 13 statements; 3 pool checkouts → 1; 480 slow gettext calls →
bound once per page; ~330 mapped objects → plain rows; garbage collection 6.7 → <1 ms); an approval 43–47 ms →
31–43 ms (33 → 31 statements; the rest is the step itself: two workflow restores).

Then on main with the cheaper step (14 statements) and the bounded counts (2026-12-07 02:05 UTC, idle machine, same
arguments): 1 process — inbox 30.0 pages/s (p50 1.03 s, p99 1.56 s), approvals 14.0/s (p99 4.66 s); 2 processes —
inbox 40.4 pages/s (p99 1.36 s), approvals 26.8/s (p99 1.87 s); 0 errors; 2/1 ratios 1.35× and 1.91×. The targets
(≥ 300 inbox pages/s, ≥ 100 approvals/s) FAIL: the two CPUs also run PostgreSQL and the 32 clients, and one page
still costs its process ≈ 21–26 ms of CPU (an approval ≈ 30–40 ms).
"""
from __future__ import annotations

import sys
from pathlib import Path

# this file's folder is not a place to import from: ``import http`` (asyncio, aiohttp) must find the standard library
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import aiohttp  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.http_world import fill  # noqa: E402
from engine.db.models import OpenTask  # noqa: E402
from engine.forms import FormId  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = os.environ.get("NASTAVNIK_TEST_PG_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
TARGETS = {"approvals_per_s": 100.0, "inbox_per_s": 300.0, "ratio": 1.7}
PASSWORD = "nastavnik"  # the demo's


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def figures(self) -> dict:
        done = sorted(self.latencies)

        def at(share: float) -> float:
            return round(done[min(len(done) - 1, int(share * len(done)))] * 1000, 1) if done else 0.0
        return {"requests": len(done), "per_s": round(len(done) / self.seconds, 1) if self.seconds else 0.0,
                "p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "errors": len(self.errors)}


class Databases:
    """The seed and its copies on the PostgreSQL server of ``admin_url``; all dropped at the end."""

    def __init__(self, admin_url: str) -> None:
        self.url = make_url(admin_url).set(query={})  # the server only (a test gives a schema of its own)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.names: list[str] = []

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        self.names.append(name)
        return self.url_of(name)

    def set_sync_commit(self, name: str, on: bool) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ' + ("RESET synchronous_commit" if on else
                                                                   "SET synchronous_commit = off")))

    def vacuum(self, name: str) -> None:
        """VACUUM (ANALYZE) the freshly filled database: its visibility map and statistics as a served database's
        autovacuum keeps them (an index-only count of the bell's unread rows otherwise visits every row's page)."""
        engine = create_engine(self.url_of(name), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text("VACUUM (ANALYZE)"))
        finally:
            engine.dispose()

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.names:
            self.names.remove(name)

    def close(self) -> None:
        for name in list(self.names):
            self.drop(name)
        self.admin.dispose()


def waiting_reviews(url: str) -> list[tuple[int, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [(row.instance_id, row.task_id) for row in connection.execute(
                select(OpenTask.instance_id, OpenTask.task_id).where(OpenTask.form_id == FormId.REVIEW_STAGE_REPORT)
                .order_by(OpenTask.instance_id))]
    finally:
        engine.dispose()


def start_server(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "DATABASE_URL": url, "NASTAVNIK_EMBEDDED_JOBS": "0", "NASTAVNIK_SECRET_KEY": "bench-http",
           "NASTAVNIK_RATELIMIT_STORAGE": "memory://"}
    env.pop("NASTAVNIK_BROKER_URL", None)
    process = subprocess.Popen([sys.executable, "-c", "import sys; from cli import main; sys.exit(main())", "serve",
                                "--port", "0", "--workers", str(workers)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return process, f"http://127.0.0.1:{found.group(1)}"
    raise RuntimeError(f"nastavnik serve did not start (exit {process.wait()})")


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def _client(base: str) -> aiohttp.ClientSession:
    session = aiohttp.ClientSession(base, connector=aiohttp.TCPConnector(limit=1), cookie_jar=aiohttp.CookieJar(
        unsafe=True), timeout=aiohttp.ClientTimeout(total=120))
    for _attempt in range(60):  # the worker processes may still be building their app
        try:
            async with session.get("/login") as response:
                page = await response.text()
            break
        except aiohttp.ClientError:
            await asyncio.sleep(0.5)
    async with session.post("/login", data={"login": "curator", "password": PASSWORD, "csrf_token": _token(page)},
                            allow_redirects=False) as response:
        assert response.status == 302, f"вход куратора не удался: {response.status}"
    return session


def _token(html: str) -> str:
    found = CSRF.search(html)
    assert found, "на странице нет CSRF-токена"
    return found.group(1) or found.group(2)


async def _timed(phase: Phase, what: str, request, accepted) -> None:  # noqa: ANN001 - aiohttp's request context
    """One request counted in ``phase``: its latency when ``accepted(response, body)``, else an error naming it."""
    started = time.perf_counter()
    try:
        async with request as response:
            body = await response.read()
            ok, status = accepted(response, body), response.status
    except aiohttp.ClientError as error:
        ok, status = False, type(error).__name__
    if ok:
        phase.latencies.append(time.perf_counter() - started)
    else:
        phase.errors.append(f"{what}: {status}")


async def _inbox(session: aiohttp.ClientSession, phase: Phase, until: float) -> None:
    while time.perf_counter() < until:
        await _timed(phase, "GET /inbox", session.get("/inbox", allow_redirects=False),
                     lambda response, body: response.status == 200 and "Входящие".encode() in body)


async def _approvals(session: aiohttp.ClientSession, phase: Phase, queue: list[tuple[int, str]]) -> None:
    token = None
    while queue:
        instance_id, task_id = queue.pop()
        path = f"/tasks/{instance_id}/{task_id}"
        if token is None:  # the session's token (the page itself is not counted)
            async with session.get(path) as response:
                token = _token(await response.text())
        await _timed(phase, f"POST {path}",
                     session.post(path, data={"csrf_token": token, "approve": "Принять отчёт", "comment": ""},
                                  allow_redirects=False),
                     lambda response, body: response.status == 302
                     and response.headers.get("Location", "").endswith("/inbox"))


async def drive(base: str, clients: int, inbox_seconds: float, reviews: list[tuple[int, str]]) -> dict[str, Phase]:
    sessions = [await _client(base) for _ in range(clients)]
    try:
        await asyncio.gather(*(session.get("/inbox") for session in sessions))  # every process warm
        inbox, approvals = Phase(), Phase()
        began = time.perf_counter()
        await asyncio.gather(*(_inbox(session, inbox, began + inbox_seconds) for session in sessions))
        inbox.seconds = time.perf_counter() - began
        queue = list(reversed(reviews))
        began = time.perf_counter()
        await asyncio.gather(*(_approvals(session, approvals, queue) for session in sessions))
        approvals.seconds = time.perf_counter() - began
        return {"inbox": inbox, "approvals": approvals}
    finally:
        for session in sessions:
            await session.close()


def run(databases: Databases, seed: str, workers: int, args: argparse.Namespace,
        reviews: list[tuple[int, str]]) -> dict[str, dict]:
    name = f"{seed}_w{workers}"
    url = databases.create(name, template=seed)
    process, base = start_server(url, workers)
    try:
        phases = asyncio.run(drive(base, args.clients, args.inbox_seconds, reviews))
    finally:
        stop_server(process)
        databases.drop(name)
    for phase in phases.values():
        for error in phase.errors[:3]:
            print(f"    ошибка: {error}")
    return {kind: phase.figures() for kind, phase in phases.items()}


def verdicts(results: dict[int, dict[str, dict]]) -> tuple[list[str], dict]:
    most, least = max(results), min(results)
    best = results[most]
    ratios = {kind: round(best[kind]["per_s"] / results[least][kind]["per_s"], 2) if results[least][kind]["per_s"]
              else 0.0 for kind in ("approvals", "inbox")}
    errors = sum(figures["errors"] for run in results.values() for figures in run.values())
    lines = [
        f"{'PASS' if best['approvals']['per_s'] >= TARGETS['approvals_per_s'] else 'FAIL'}: {most} проц.: "
        f"{best['approvals']['per_s']} утверждений/с (цель ≥ {TARGETS['approvals_per_s']:g})",
        f"{'PASS' if best['inbox']['per_s'] >= TARGETS['inbox_per_s'] else 'FAIL'}: {most} проц.: "
        f"{best['inbox']['per_s']} страниц «Входящие»/с (цель ≥ {TARGETS['inbox_per_s']:g})",
        f"{'PASS' if errors == 0 else 'FAIL'}: ошибок {errors} (цель 0)",
    ]
    if most != least:
        lines += [f"{'PASS' if ratios[kind] >= TARGETS['ratio'] else 'FAIL'}: {kind} {most} проц. / {least}: "
                  f"{ratios[kind]}× (цель ≥ {TARGETS['ratio']:g}×)" for kind in ("approvals", "inbox")]
    return lines, ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=300, help="stage reports to approve in each run")
    parser.add_argument("--inbox-seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", default="1,2", help="worker processes of each run, comma-separated")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="a PostgreSQL server (its databases are made here)")
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    args = parser.parse_args()
    say = (lambda _line: None) if args.json else print
    counts = [int(part) for part in args.workers.split(",")]
    databases = Databases(args.pg_url)
    seed = f"bench_http_{os.getpid()}"
    try:
        url = databases.create(seed)
        databases.set_sync_commit(seed, on=False)  # filling only: each run's copy commits durably
        filled = fill(url, args.programs, say=say)
        databases.set_sync_commit(seed, on=True)
        databases.vacuum(seed)
        reviews = waiting_reviews(url)
        say(f"кафедра: {len(reviews)} отчётов ждут куратора; заполнение {filled.seconds:.0f} с")
        results: dict[int, dict[str, dict]] = {}
        for workers in counts:
            results[workers] = run(databases, seed, workers, args, reviews)
            for kind, figures in results[workers].items():
                say(f"{workers} проц., {args.clients} клиентов, {kind:9}: {figures['per_s']:7.1f} /с  p50 "
                    f"{figures['p50_ms']} мс  p95 {figures['p95_ms']} мс  p99 {figures['p99_ms']} мс  "
                    f"ошибок {figures['errors']}  (запросов {figures['requests']})")
    finally:
        databases.close()
    lines, ratios = verdicts(results)
    for line in lines:
        say(line)
    flat = {f"w{workers}_{kind}_{key}": float(value) for workers, run_ in results.items()
            for kind, figures in run_.items() for key, value in figures.items()}
    print(json.dumps({**flat, "approvals_ratio": float(ratios["approvals"]), "inbox_ratio": float(ratios["inbox"]),
                      "clients": args.clients, "cpus": os.cpu_count()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
