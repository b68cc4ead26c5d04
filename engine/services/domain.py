"""Attaches the domain's effects (orders, decisions, consents, stage reports, programs) to the workflow
steps. Every entry point (CLI, web, tests) calls ``install()``; calling it again changes nothing."""
from __future__ import annotations

from engine.services.mentorship import lifecycle
from engine.services.mentorship import formation as mentorship
from engine.services.orders import in_workflows as process_orders


def install() -> None:
    process_orders.install()
    mentorship.install()
    lifecycle.install()
