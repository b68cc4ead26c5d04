"""One due-timer job end to end, in this process, on PostgreSQL: milliseconds per job, SQL statements per job
(what a worker does for each ``nastavnik.run_job`` message, without Celery), and optionally where the time goes.

Run: .venv/bin/python bench/timer_job.py [--jobs N] [--profile] [--pg-url URL]

A fresh schema with N due program lifecycle timers (bench/timer_world.py), one tick (the sweep makes them jobs),
then ``runner.run_job`` for each job in a session of its own (as ``worker.runtime.Runtime.run``): the first few
warm the process's caches and are not counted. ``--profile``: cProfile of the counted jobs, the top functions by
cumulative time. The statement count is taken by a ``before_cursor_execute`` listener (an executemany counts once).
CPU: this process's and its children's (the bounded script workers) and the PostgreSQL server process's serving it (``/proc/<pid>/stat`` of
``pg_backend_pid()``: the server must run on this machine), per job — what the 2 CPUs are shared by.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from bench import timer_world as world  # noqa: E402
from engine.bootstrap import bootstrap  # noqa: E402
from engine.db import Base, make_engine  # noqa: E402
from engine.db.types import utcnow  # noqa: E402
from engine.services.jobs import runner, scheduler  # noqa: E402

DEFAULT_PG = os.environ.get("NASTAVNIK_TEST_PG_URL") or "postgresql+psycopg://root@127.0.0.1:5432/test"
WARM = 5


def package_of(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/")[1].split("/")[0]
    if str(Path(__file__).resolve().parents[1]) in filename:
        return "/".join(Path(filename).relative_to(Path(__file__).resolve().parents[1]).parts[:2])
    return "python" if filename.startswith(("/", "<frozen")) else filename


def backend_cpu(pid: int) -> float:
    """CPU seconds the PostgreSQL backend ``pid`` used so far (0 when it is not on this machine)."""
    return world.process_cpu(pid)


def own_cpu() -> float:
    """CPU seconds of this process and its children alive now (the bounded script workers)."""
    mine = os.getpid()
    children = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and p.name != str(mine)
                and _parent(int(p.name)) == mine]
    return time.process_time() + sum(world.process_cpu(pid) for pid in children)


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def run_jobs(engine, sessions, domain, ids: list[int], args: argparse.Namespace,  # noqa: ANN001
             profiler: cProfile.Profile | None, statements: list[str]) -> tuple:
    """Run the jobs (the first WARM not counted): times and statements per job, outcomes, CPU here and in the server."""
    counts: list[float] = []
    times: list[float] = []
    outcomes: Counter[str] = Counter()
    with engine.connect() as probe:  # the pool keeps one connection: the jobs' sessions get this one
        backend = int(probe.scalar(text("SELECT pg_backend_pid()")))
    cpu = server = 0.0
    batches = [ids[:WARM]] + [ids[at:at + args.batch] for at in range(WARM, len(ids), args.batch)]
    for n, batch in enumerate(batches):
        if n == 1:
            cpu, server = own_cpu(), backend_cpu(backend)
        statements.clear()
        if profiler is not None and n >= 1:
            profiler.enable()
        started = time.perf_counter()
        with sessions() as session:
            if len(batch) == 1 or n == 0:  # warming: one by one
                outcomes.update(runner.run_job(session, domain.jobs, job_id).value for job_id in batch)
            else:
                outcomes.update(outcome.value for outcome in runner.run_jobs(session, domain.jobs, batch).values())
        elapsed = time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
        if n >= 1:
            times.extend([elapsed * 1000 / len(batch)] * len(batch))
            counts.extend([len(statements) / len(batch)] * len(batch))
        if args.statements and n == 1:
            for statement in statements:
                print(" ", " ".join(statement.split())[:160])
    return times, counts, outcomes, own_cpu() - cpu, backend_cpu(backend) - server


def print_profile(profiler: cProfile.Profile) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    print(out.getvalue())
    by_package: Counter[str] = Counter()
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_package[package_of(filename)] += own
    total = sum(by_package.values())
    print("own time by package: " + ", ".join(f"{name} {own / total:.0%}"
                                               for name, own in by_package.most_common(12)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--batch", type=int, default=1, help="jobs per transaction (runner.run_jobs), as a worker "
                        "runs one broker message of NASTAVNIK_JOB_BATCH jobs")
    parser.add_argument("--statements", action="store_true", help="print the statements of one job")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    args = parser.parse_args()
    admin = make_engine(args.pg_url, poolclass=NullPool)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(args.pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    engine = make_engine(url)
    try:
        Base.metadata.create_all(engine)
        domain = bootstrap()
        sessions = domain.session_factory(engine)
        world.due_world(sessions, args.jobs + WARM)
        world.make_due(engine, utcnow())
        with sessions() as session:
            ids = scheduler.tick(session, domain.jobs, runner="bench", mode="bench", limit=args.jobs + WARM)
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute",
                     lambda conn, cursor, statement, *rest: statements.append(statement))
        profiler = cProfile.Profile() if args.profile else None
        times, counts, outcomes, cpu, server = run_jobs(engine, sessions, domain, ids, args, profiler, statements)
        print(f"{len(times)} timer jobs on PostgreSQL: {statistics.mean(times):.2f} ms per job mean, "
              f"p50 {statistics.median(times):.2f} ms; CPU per job {cpu / len(times) * 1000:.2f} ms here + "
              f"{server / len(times) * 1000:.2f} ms PostgreSQL; {statistics.mean(counts):.1f} SQL statements per "
              f"job; outcomes {dict(outcomes)}")
        if profiler is not None:
            print_profile(profiler)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
