"""Whether the broker answers: the check ``/healthz`` makes (``engine.services.jobs.health``) when
``NASTAVNIK_BROKER_URL`` is set. Here because only this package imports kombu and Celery; the web app factory hands
the check to the health service as a plain callable.

    broker_reachable(url, timeout=1.5) -> bool   one connection attempt, no retries, at most about ``timeout`` s
"""
from __future__ import annotations

import logging

from kombu import Connection

log = logging.getLogger(__name__)


def broker_reachable(url: str, timeout: float = 1.5) -> bool:
    """True when a connection to the broker at ``url`` opens within ``timeout`` seconds (one try, no retry)."""
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    try:
        with Connection(url, connect_timeout=timeout, transport_options=options) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
        return True
    except Exception as error:  # noqa: BLE001 - any failure to connect is «unreachable», said in the log
        log.warning("broker unreachable: %s", error)
        return False
