"""The worker's settings, read from the environment (every mode reads the same ones).

    NASTAVNIK_BROKER_URL      the Celery broker (redis://host:port/db); unset: no broker — ``nastavnik serve``
                              runs the jobs in its own process (``worker.embedded``)
    NASTAVNIK_TICK_SECONDS    how often the scheduler ticks (default 5 s)
    NASTAVNIK_EMBEDDED_JOBS   ``0``: ``nastavnik serve`` without a broker runs no jobs (another process does)
    NASTAVNIK_JOB_LEASE_SECONDS  a job handed to a worker and still waiting after this is handed out again
                              (default 60 s: a worker killed mid-job loses nothing, the job waits one lease)
    NASTAVNIK_JOB_BATCH       jobs per broker message (default 50): a worker runs the timer jobs of one message in
                              one transaction (``runner.run_jobs``); 1 — one message and one transaction per job
"""
from __future__ import annotations

from datetime import timedelta

from engine import settings
from engine.errors import NastavnikError
from engine.services.jobs.scheduler import LEASE

DEFAULT_TICK_SECONDS = 5.0


def broker_url() -> str | None:
    value = (settings.value("NASTAVNIK_BROKER_URL") or "").strip()
    return value or None


def require_broker_url() -> str:
    url = broker_url()
    if url is None:
        raise NastavnikError("брокер очереди не настроен: задайте NASTAVNIK_BROKER_URL (например, "
                             "redis://127.0.0.1:6379/0); без брокера задания выполняет сам «nastavnik serve» "
                             "или команда «nastavnik jobs run-due»")
    if not url.startswith(("redis://", "rediss://")):
        raise NastavnikError(f"NASTAVNIK_BROKER_URL: «{url}» — не адрес Redis (ожидается redis://…)")
    return url


def _seconds(name: str, default: float, *, least: float) -> float:
    raw = (settings.value(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise NastavnikError(f"{name}: «{raw}» — не число секунд") from None
    if value < least:
        raise NastavnikError(f"{name}: {raw} — слишком мало (не меньше {least:g} с)")
    return value


def tick_seconds() -> float:
    return _seconds("NASTAVNIK_TICK_SECONDS", DEFAULT_TICK_SECONDS, least=0.1)


def lease() -> timedelta:
    return timedelta(seconds=_seconds("NASTAVNIK_JOB_LEASE_SECONDS", LEASE.total_seconds(), least=1))


DEFAULT_JOB_BATCH = 50


def job_batch() -> int:
    raw = (settings.value("NASTAVNIK_JOB_BATCH") or "").strip()
    if not raw:
        return DEFAULT_JOB_BATCH
    if not raw.isdigit() or not 1 <= int(raw) <= 500:
        raise NastavnikError(f"NASTAVNIK_JOB_BATCH: «{raw}» — не число заданий от 1 до 500")
    return int(raw)


def embedded_jobs_enabled() -> bool:
    """Whether ``nastavnik serve`` runs the jobs itself: with no broker, unless NASTAVNIK_EMBEDDED_JOBS=0."""
    if broker_url() is not None:
        return False
    return (settings.value("NASTAVNIK_EMBEDDED_JOBS") or "1").strip().lower() not in ("0", "no", "false", "off")
