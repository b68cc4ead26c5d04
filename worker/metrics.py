"""Prometheus metrics of the server and the worker (prometheus_client, the maintained exporter):

    nastavnik_http_requests_total{route, method, status}       every request (``web.request_log``)
    nastavnik_http_request_duration_seconds{route}             their durations (a histogram)
    nastavnik_workflow_steps_total{process, kind}              steps done: start, task, message, timer
    nastavnik_timers_fired_total{process}                      timers that fired
    nastavnik_jobs_total{kind, outcome}                        background jobs: done, retry, incident
    nastavnik_notifications_total{kind}                        people told in the app
    nastavnik_emails_total{outcome}                            e-mails sent, or failed for good
    nastavnik_incidents_total{source, kind}                    a job's last try failed; a script stopped at a bound

``route`` is the URL rule (``/programs/<int:program_id>``, ``<unmatched>`` for a 404), ``process`` the instance's
kind: labels of a bounded variety, never a person. The domain's counts come from its events (``engine.events``),
told when their transaction commits: ``observe(domain.events)`` is called by the composition roots that build a
domain to run (``web.create_app``, ``worker.runtime.Runtime.build``) — the engine imports no metrics library.

Several processes (gunicorn's workers, the embedded jobs process, Celery's pool) each count their own; with
``PROMETHEUS_MULTIPROC_DIR`` set to a directory they all write to (``nastavnik serve`` makes one when it starts
several processes and none is set), ``/metrics`` sums them (prometheus_client's multiprocess mode). A Celery worker
on another machine is seen through its own directory (or through the jobs' effects: /healthz).
"""
from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from engine import events as domain_events
from engine import settings
from engine.events import Event, Events

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED = "<unmatched>"

REQUESTS = Counter("nastavnik_http_requests", "HTTP requests served", ["route", "method", "status"])
LATENCY = Histogram("nastavnik_http_request_duration_seconds", "How long requests took", ["route"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))
STEPS = Counter("nastavnik_workflow_steps", "Workflow steps done", ["process", "kind"])
TIMERS = Counter("nastavnik_timers_fired", "Workflow timers fired", ["process"])
JOBS = Counter("nastavnik_jobs", "Background jobs run", ["kind", "outcome"])
NOTIFICATIONS = Counter("nastavnik_notifications", "In-app notifications made (one per person told)", ["kind"])
EMAILS = Counter("nastavnik_emails", "E-mails sent or failed for good", ["outcome"])
INCIDENTS = Counter("nastavnik_incidents", "Incidents: jobs failed for good, scripts stopped at a bound",
                    ["source", "kind"])


def record(happened: Event) -> None:
    """One domain event into its counter (an unknown name is ignored: the vocabulary may grow first)."""
    labels, amount = happened.labels, happened.amount
    if happened.name == domain_events.STEP:
        STEPS.labels(labels.get("process", "?"), labels.get("kind", "?")).inc(amount)
    elif happened.name == domain_events.TIMERS_FIRED:
        TIMERS.labels(labels.get("process", "?")).inc(amount)
    elif happened.name == domain_events.JOB:
        JOBS.labels(labels.get("kind", "?"), labels.get("outcome", "?")).inc(amount)
    elif happened.name == domain_events.NOTIFICATION:
        NOTIFICATIONS.labels(labels.get("kind", "?")).inc(amount)
    elif happened.name == domain_events.EMAIL:
        EMAILS.labels(labels.get("outcome", "?")).inc(amount)
    elif happened.name == domain_events.INCIDENT:
        INCIDENTS.labels(labels.get("source", "?"), labels.get("kind", "?")).inc(amount)


def observe(events: Events) -> None:
    """Count the domain's events from now on (idempotent)."""
    events.subscribe(record)


def request_served(route: str | None, method: str, status: int, seconds: float) -> None:
    rule = route or UNMATCHED
    REQUESTS.labels(rule, method, str(status)).inc()
    LATENCY.labels(rule).observe(seconds)


def exposition() -> tuple[bytes, str]:
    """The text format of every metric (summed over the processes of PROMETHEUS_MULTIPROC_DIR when set)."""
    if settings.value(MULTIPROCESS_DIR):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
