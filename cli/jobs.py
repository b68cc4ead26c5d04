"""``nastavnik worker [--concurrency N] [--beat]``, ``nastavnik beat``, ``nastavnik jobs run-due [--now …]``.

The background work (issue 13). With a broker (NASTAVNIK_BROKER_URL, Redis): ``worker`` runs Celery worker
processes that share the jobs (any number, on any machines), ``beat`` sends the scheduler's tick every
NASTAVNIK_TICK_SECONDS (one beat for the whole installation; ``worker --beat`` embeds it — fine for one machine).
With no broker, ``nastavnik serve`` runs the jobs itself; ``jobs run-due`` is one pass here and now (a tick and
every job it hands out), for cron or by hand. ``timers fire`` is that pass too (the same jobs, counted as timers).
"""
from __future__ import annotations

import argparse
import os
from collections import Counter
from datetime import datetime

from engine.errors import NastavnikError


def register(groups) -> None:  # noqa: ANN001 - argparse's private subparsers type
    worker = groups.add_parser("worker", help="фоновый исполнитель заданий (Celery; нужен NASTAVNIK_BROKER_URL)")
    worker.add_argument("--concurrency", type=int, default=None,
                        help="число процессов-исполнителей (по умолчанию — по числу процессоров)")
    worker.add_argument("--pool", choices=("prefork", "solo"), default="prefork",
                        help="prefork — задания в дочерних процессах (по умолчанию); solo — в самом процессе, "
                             "по одному (меньше накладных расходов; число процессов — сколько запущено команд)")
    worker.add_argument("--beat", action="store_true",
                        help="запустить в этом же процессе и планировщик (достаточно для одной машины)")
    worker.add_argument("--loglevel", default="INFO", help="уровень журнала (по умолчанию INFO)")
    worker.set_defaults(handler=run_worker)
    beat = groups.add_parser("beat", help="планировщик фоновых заданий (один на всю установку)")
    beat.add_argument("--loglevel", default="INFO", help="уровень журнала (по умолчанию INFO)")
    beat.set_defaults(handler=run_beat)

    jobs = groups.add_parser("jobs", help="фоновые задания")
    commands = jobs.add_subparsers(dest="command", required=True)
    due = commands.add_parser("run-due", help="выполнить здесь и сейчас всё, срок чего наступил (без брокера)")
    due.add_argument("--now", help="момент времени ISO 8601 (по умолчанию сейчас)")
    due.set_defaults(handler=run_jobs_due)


def _celery_app(loglevel: str):  # noqa: ANN202 - the Celery app (typed in worker/)
    from worker import settings

    broker = settings.require_broker_url()
    settings.tick_seconds()  # a wrong setting is said before Celery starts
    settings.lease()
    settings.job_batch()
    if loglevel.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise NastavnikError(f"--loglevel: «{loglevel}» — допустимы DEBUG, INFO, WARNING, ERROR, CRITICAL")
    from worker.app import app, configure

    return configure(app, broker)


def run_worker(args: argparse.Namespace) -> int:
    if args.concurrency is not None and not 1 <= args.concurrency <= 64:
        raise NastavnikError("--concurrency: число процессов — от 1 до 64")
    app = _celery_app(args.loglevel)
    argv = ["worker", f"--loglevel={args.loglevel.upper()}", f"--pool={args.pool}", "--without-gossip",
            "--without-mingle", f"--hostname=nastavnik-{os.getpid()}@%h"]
    if args.concurrency and args.pool == "solo" and args.concurrency != 1:
        raise NastavnikError("--pool solo выполняет задания по одному: --concurrency для него — только 1 "
                             "(больше исполнителей — больше запущенных команд)")
    if args.concurrency and args.pool != "solo":
        argv.append(f"--concurrency={args.concurrency}")
    if args.beat:
        argv.append("--beat")
    app.worker_main(argv)
    return 0


def run_beat(args: argparse.Namespace) -> int:
    app = _celery_app(args.loglevel)
    app.start(["beat", f"--loglevel={args.loglevel.upper()}"])
    return 0


def parse_now(value: str | None) -> datetime | None:
    from engine.workflow.clock import to_utc

    if not value:
        return None
    try:
        return to_utc(value)
    except ValueError:
        raise NastavnikError(f"--now: «{value}» — не момент времени ISO 8601") from None


def run_due(now: datetime | None) -> tuple[Counter[str], int]:
    """One pass (a tick and its jobs, here); the outcomes counted and how many were timer jobs done."""
    from engine.services.process.timer_jobs import FIRE_TIMERS
    from worker.runtime import Runtime

    runtime = Runtime.build()
    try:
        results = runtime.run_due(mode="embedded", now=now)
        outcomes = Counter(outcome.value for outcome in results.values())
        timers = sum(1 for kind in runtime.kinds([i for i, o in results.items() if o.value == "done"]).values()
                     if kind == FIRE_TIMERS)
        return outcomes, timers
    finally:
        runtime.dispose()


def run_jobs_due(args: argparse.Namespace) -> int:
    outcomes, timers = run_due(parse_now(args.now))
    print(f"выполнено заданий: {outcomes['done']} (из них таймеров процессов: {timers}); "
          f"отложено после ошибки: {outcomes['retry']}; стали инцидентами: {outcomes['incident']}; "
          f"уже выполнены или ещё не срок: {outcomes['not_claimed']}")
    return 1 if outcomes["retry"] or outcomes["incident"] else 0
