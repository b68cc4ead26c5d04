"""Due timers fired by real Celery worker processes on PostgreSQL: timers per second with 1 and with 2 workers,
the total time, and the latency from due to fired.

Run: .venv/bin/python bench/timers.py [--timers N] [--workers 1,2] [--pg-url URL] [--broker redis://…/6]

Each run: a fresh schema, N program lifecycle instances (workflows/program_lifecycle.bpmn, the real diagram)
whose first stage's reminder timer is due (bench/timer_world.py: one started through the engine, the rest its
rows copied), ``nastavnik beat`` (tick every 0.5 s) and K × ``nastavnik worker --concurrency 1`` on a flushed
Redis database. When the workers' first tick is recorded every timer row is made due at T0; the run ends when
every job is done. Fired = a job done (its instance's timer fired, the reminder task opened, committed with it);
latency = the job's run moment − T0 (all N come due at T0 at once, a burst: p50 is about half the total).
CPU per timer, from T0 to the end, by who used it: the workers (each command's process group: the Celery main
process and its pool process), beat, the workers' PostgreSQL server processes (their connections, by
application_name) and Redis — what the machine's CPUs are shared by (needs the servers on this machine).
Target (issue 13): 10,000 timers within 30 s with 2 workers on the 2-CPU development machine.
``--pool solo``: the workers run their jobs in the Celery process itself (no pool process); NASTAVNIK_JOB_BATCH
(default 50) is how many jobs one message carries (``worker.app``; run in one transaction, ``runner.run_jobs``).

Measured 2026-12-06 23:00 UTC on the 2-CPU development machine (PostgreSQL 15 and Redis on it, nothing else running:
load average 1.5–1.9 during the runs, the bench's own), 10,000 due timers, 50 jobs a message (the default):
2 workers 369–373 timers/s, 26.8–27.1 s, latency p50 13.6–13.8 s, p95 25.3 s; 1 worker 182 timers/s, 54.9 s.

| code, workers                                        | timers/s    | total       | latency p50 / p95   | CPU per timer: workers + PostgreSQL |
| ---------------------------------------------------- | ----------- | ----------- | ------------------- | ----------------------------------- |
| before the worker (main f4560e2), 2 workers          | 70.4        | 142 s       | 66 s / 133 s        | (≈ 21 + 3.7 ms, measured on 2,000)  |
| a commit a job (NASTAVNIK_JOB_BATCH=1), 2 workers    | 69.9        | 143 s       | 85 s / 137 s        | 15.7 + 3.8 ms                       |
| 25 a message, a flush a step, 2 workers (earlier)    | 180.9–218.7 | 46–55 s     | 24–26 s / 43–52 s   | 7.2–8.5 + 1.3–1.7 ms                |
| 25 a message, one flush a batch, 2 workers           | 330.3       | 30.3 s      | 15.3 s / 28.5 s     | 4.49 + 0.96 ms                      |
| 50 a message (default), 1 worker                     | 182.3       | 54.9 s      | 29.2 s / 52.5 s     | 4.54 + 0.83 ms                      |
| 50 a message (default), 2 workers                    | 350.4–372.9 | 26.8–28.5 s | 13.6–14.9 s / 25–27 s | 4.10–4.36 + 0.75–0.80 ms          |

What made a timer cheaper (``bench/timer_job.py --batch 25``, in one process: 5.2 → 4.0 ms of CPU, 5.2 → 1.4
statements a job): a batch's steps are written by one flush (``engine.db.batching``: one multi-row INSERT of the
reminder tasks, of the audit entries, one UPDATE of the timer rows; only the instances' versioned UPDATEs stay one
each), and the batch's instances are loaded together (``JobTable`` ``prepare``: three statements for the batch instead
of one a job). A job runner keeps no restored workflows (``engine.services.process.workflow_cache``: each instance's
timer fires once; keeping them held the specs, and the pool rebuilt one per job: twice the CPU). What is left is
SpiffWorkflow's restore, firing and saving (≈ 45 %), the ORM and the driver (≈ 40 %).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from bench import timer_world as world  # noqa: E402
from engine.bootstrap import bootstrap  # noqa: E402
from engine.db import Base, make_engine  # noqa: E402
from engine.db.models import Job, JobStatus  # noqa: E402

DEFAULT_PG = os.environ.get("NASTAVNIK_TEST_PG_URL") or "postgresql+psycopg://root@127.0.0.1:5432/test"
DEFAULT_BROKER = os.environ.get("NASTAVNIK_BENCH_BROKER_URL") or "redis://127.0.0.1:6379/6"
APPLICATION = "nastavnik-timers-bench"


def cpu_by_part(engine, processes: list) -> dict[str, float]:  # noqa: ANN001
    """CPU seconds used so far by the workers, beat, their PostgreSQL server processes and Redis."""
    with engine.connect() as conn:
        backends = list(conn.scalars(text("SELECT pid FROM pg_stat_activity WHERE application_name = :name "
                                          "AND pid <> pg_backend_pid()"), {"name": APPLICATION}))
    redis_pids = world.named_pids("redis-server")
    parts = {"beat": processes[:1], "workers": processes[1:]}
    cpu = {name: sum(world.process_cpu(pid) for process in group for pid in world.group_pids(process.pid))
           for name, group in parts.items()}
    cpu["postgres"] = sum(world.process_cpu(pid) for pid in backends)
    cpu["redis"] = sum(world.process_cpu(pid) for pid in redis_pids)
    return cpu


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(pg_url: str, broker: str, timers: int, workers: int, logs: Path, pool: str = "prefork") -> dict[str, float]:
    admin = make_engine(pg_url, poolclass=NullPool)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}",
                                              "application_name": APPLICATION}).render_as_string(False)
    engine = make_engine(url, poolclass=NullPool)
    processes = []
    try:
        Base.metadata.create_all(engine)
        built = time.perf_counter()
        world.due_world(bootstrap().session_factory(engine), timers)
        built = time.perf_counter() - built
        world.make_due(engine, datetime.now(UTC) + timedelta(days=3650))  # not yet: the workers start first
        world.flush_broker(broker)
        env = {"NASTAVNIK_TICK_SECONDS": "0.5"}
        processes.append(world.start(world.command("beat", "--loglevel", "WARNING"), url, broker,
                                     logs / "beat.log", **env))
        for n in range(workers):
            processes.append(world.start(world.command("worker", "--concurrency", "1", "--pool", pool,
                                                       "--loglevel", "WARNING"),
                                         url, broker, logs / f"worker{n}.log", **env))
        world.wait_for(lambda: world.heartbeats(engine) >= 1, 60, "the workers' first tick", processes=tuple(processes))
        before = cpu_by_part(engine, processes)
        zero = datetime.now(UTC)
        world.make_due(engine, zero)
        started = time.perf_counter()
        world.wait_for(lambda: world.jobs_by_status(engine).get(JobStatus.DONE.value, 0) >= timers, 600,
                       "every timer fired", every=0.25, processes=tuple(processes))
        total = time.perf_counter() - started
        after = cpu_by_part(engine, processes)
        with Session(engine) as session:
            moments = list(session.scalars(select(Job.finished_at).where(Job.status == JobStatus.DONE.value,
                                                                        Job.kind == world.FIRE_TIMERS)))
        latency = [(moment - zero).total_seconds() for moment in moments]
        opened = world.reminders_open(engine)
        if opened != timers or world.jobs_by_status(engine) != {JobStatus.DONE.value: timers}:
            raise RuntimeError(f"not exactly once: {opened} reminders for {timers} timers, "
                               f"jobs {world.jobs_by_status(engine)}")
        cpu = {f"cpu_{part}_ms": (after[part] - before[part]) / timers * 1000 for part in after}
        return {"total_s": total, "per_s": timers / total, "p50_s": statistics.median(latency),
                "p95_s": percentile(latency, 0.95), "world_s": built, **cpu}
    finally:
        for process in processes:
            world.stop(process)
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timers", type=int, default=10_000)
    parser.add_argument("--workers", default="1,2", help="worker process counts to run, comma-separated")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--broker", default=DEFAULT_BROKER)
    parser.add_argument("--pool", default="prefork", choices=("prefork", "solo"), help="the workers' Celery pool")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as logs:
        print(f"{args.timers} due timers of {world.DIAGRAM.relative_to(world.ROOT)} on PostgreSQL, "
              f"Celery on {args.broker} (pool {args.pool}), {os.cpu_count()} CPUs")
        for count in [int(c) for c in args.workers.split(",")]:
            try:
                result = run(args.pg_url, args.broker, args.timers, count, Path(logs), args.pool)
            except Exception:
                for log in sorted(Path(logs).glob("*.log")):
                    print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
                raise
            target = "" if count != 2 else ("   target 10,000 in < 30 s: "
                                            + ("met" if result["total_s"] * 10_000 / args.timers < 30 else "MISSED"))
            print(f"{count} worker{'s' if count > 1 else ' '}  {result['per_s']:7.1f} timers/s  total "
                  f"{result['total_s']:6.1f} s  latency due→fired p50 {result['p50_s']:5.1f} s  "
                  f"p95 {result['p95_s']:5.1f} s{target}")
            print("          CPU per timer: " + ", ".join(f"{key[4:-3]} {value:.2f} ms" for key, value in result.items()
                                                         if key.startswith("cpu_")))
            figures.update({f"w{count}_{key}": round(value, 3) for key, value in result.items()})
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
