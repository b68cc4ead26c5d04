"""The composition root: ``bootstrap()`` builds the domain every entry point runs with — the web app
(``web.create_app``), the command line (``cli``), the demo's callers and the tests alike.

    domain = bootstrap()                        # the domain's hooks, the rule registry, the system clock
    Session = domain.session_factory(engine)    # every session it makes carries the domain
    domain.attach(session)                      # a session opened elsewhere

The hook table is collected from what the domain modules declare, in one place:

    orders.in_workflows     register(table, kinds): «sign_order» drafts, signs or refuses orders of the kinds
    mentorship.mentor_appointment  HOOKS (mentor decision), ORDER_KINDS (appointment)
    mentorship.pair_steps   HOOKS (pair decisions, consent), ORDER_KINDS (pairs)
    mentorship.lifecycle    HOOKS (stage work, report review, bonus), EVERY_STEP
    mentorship.program_orders  ORDER_KINDS (completion, extension, replacement, release)
    curation.calendar       HOOKS (monitoring report, base review: the regulation's calendar, 001 §2.4, §4.2)
    curation.mentor_reports HOOKS (a mentor's periodic report, 003 п. 3), EVERY_STEP (its escalation noted)
    mentorship.school_roadmap  HOOKS (roadmap events, measures, interim analysis, completion), EVERY_STEP
                            (an escalation opened by a timer is recorded on its event)
    network.groups          HOOKS (a group of trainees by direction, the mentor's work plan: 004 III.4, III.5)
    network.year            HOOKS (a trainee's development plan, its agreement, the review: 004 IV.1)

The job table (the background work, issue 13) likewise, from what the modules of ``JOB_MODULES`` declare:

    process.timer_jobs      JOBS (fire_timers: one instance's due timers; BATCHED), SWEEPS (due timers → jobs)
    notifications.email_delivery  JOBS (send_email: one e-mail over SMTP; an incident marks it not delivered)
    notifications.email_digest    JOBS (send_digest: a person's day in one e-mail), SWEEPS (the digest hour → jobs)
    mentorship.mentor_terms JOBS (the day's «срок назначения наставника заканчивается»), SWEEPS (one job a day)
    curation.mentor_reports JOBS (the day's mentors' report tasks opened, 003 п. 3), SWEEPS (one job a day)
    monitoring.refresh      JOBS (the default monitoring views counted anew), SWEEPS (one job a refresh period)
    council.retention       JOBS (signed council protocols past the pack's retention purged, 000 §5.3), SWEEPS (daily)
    iom.reviews             JOBS (the day's yearly reviews of the teachers' routes opened, 002 §4.2.2), SWEEPS (one a day)
    notifications.incident_notices  EVERY_INCIDENT (a job became an incident: its administrators and curators told)

The e-mail settings (``NASTAVNIK_SMTP_*``, ``NASTAVNIK_BASE_URL``) are read here, once, into the domain
(``MailSettings.from_env``); the sessions it makes carry them to the e-mail modules.

Every step also tells people of the tasks it gave them (``process.task_notifications.TaskTelling``), except those
a module tells of in its own words (``TOLD_TASKS``: the stage's reminder and escalation, consents, signatures).

A workflow naming a hook that is not here is refused at deploy and at start (its element named), and a
step on a session without a domain raises (``engine.services.process.domain``).
"""
from __future__ import annotations

from engine import settings
from engine.errors import NastavnikError
from engine.events import Events
from engine.rules import RuleRegistry, default_registry
from engine.services.council import retention as council_retention
from engine.services.curation import calendar, mentor_reports
from engine.services.iom import reviews as iom_reviews
from engine.services.jobs.table import JobTable
from engine.services.mentorship import (
    lifecycle,
    mentor_appointment,
    mentor_terms,
    model_orders,
    pair_steps,
    program_notices,
    program_orders,
    school_roadmap,
)
from engine.services.monitoring import refresh as monitoring_refresh
from engine.services.network import groups, year
from engine.services.notifications import email_delivery, email_digest, incident_notices
from engine.services.notifications.email_settings import MailSettings
from engine.services.orders import in_workflows
from engine.services.orders.in_workflows import OrderKind
from engine.services.process import timer_jobs
from engine.services.process.domain import Domain
from engine.services.process.hooks import HookTable
from engine.services.process.task_notifications import TaskTelling
from engine.services.recognition import contest_results  # noqa: F401  (the contest's order decided: its effect)
from engine.workflow import Clock, SystemClock

DOMAIN_MODULES = (mentor_appointment, pair_steps, lifecycle, program_orders, school_roadmap, groups, year,
                  calendar, mentor_reports, program_notices, model_orders)  # each declares HOOKS and ORDER_KINDS (and may EVERY_STEP, TOLD_TASKS,
#                                               TASK_LINKS: the tasks it tells of itself, the pages tasks are done on)


JOB_MODULES = (timer_jobs, email_delivery, email_digest, mentor_terms, mentor_reports, incident_notices,
               monitoring_refresh, council_retention, iom_reviews)  # each declares JOBS (kind ->
# handler, or (handler, on_incident[, on_retry])) and may SWEEPS, EVERY_INCIDENT (told whenever a job of any kind
# becomes an incident), BATCHED (the kinds whose jobs may share a transaction: their effect is the database's only)
# and PREPARE (kind -> what runs once for a batch of its jobs before their handlers)


def build_job_table() -> JobTable:
    """The job handlers and tick sweeps the modules of ``JOB_MODULES`` declare; a kind declared twice is refused."""
    table = JobTable()
    for module in JOB_MODULES:
        for kind, declared in module.JOBS.items():
            parts = declared if isinstance(declared, tuple) else (declared,)
            handler, on_incident, on_retry = (*parts, None, None)[:3]
            table.handle(kind, handler, on_incident=on_incident, on_retry=on_retry,
                         batch=kind in getattr(module, "BATCHED", ()),
                         prepare=getattr(module, "PREPARE", {}).get(kind))
        for sweep in getattr(module, "SWEEPS", ()):
            table.on_tick(sweep)
        for listener in getattr(module, "EVERY_INCIDENT", ()):
            table.on_every_incident(listener)
    return table


def build_hook_table() -> HookTable:
    """The hooks and order kinds the domain modules declare; a name declared twice is a mistake, refused."""
    table = HookTable()
    kinds: dict[str, OrderKind] = {}
    for module in DOMAIN_MODULES:
        for name in set(module.ORDER_KINDS) & set(kinds):  # a hook name taken twice: HookTable.on_task refuses
            raise NastavnikError(f"«{name}» объявлен дважды ({module.__name__})", where="engine.bootstrap")
        kinds.update(module.ORDER_KINDS)
        for name, hook in module.HOOKS.items():
            table.on_task(name, hook)
        for every in getattr(module, "EVERY_STEP", ()):
            table.on_every_step(every)
    in_workflows.register(table, kinds)
    told = set(in_workflows.TOLD_TASKS)
    for module in DOMAIN_MODULES:
        told |= set(getattr(module, "TOLD_TASKS", ()))
    links = [link for module in DOMAIN_MODULES for link in getattr(module, "TASK_LINKS", ())]
    skips = [skip for module in DOMAIN_MODULES for skip in getattr(module, "TASK_SKIPS", ())]
    table.on_every_step(TaskTelling(told, links, skips).tell)  # «новая задача для вас», after the domain's own hooks
    return table


def bootstrap(*, rules: RuleRegistry | None = None, clock: Clock | None = None,
              mail: MailSettings | None = None, events: Events | None = None,
              monitoring_refresh_minutes: int | None = None) -> Domain:
    """A new domain: a fresh hook table and job table, ``rules`` (default: the process-wide registry of the shipped and
    deployed rule files, see engine.services.methodology.rule_deployment), ``clock`` (default: the system's) and
    ``mail`` (default: the environment's ``NASTAVNIK_SMTP_*``; no SMTP host — e-mail off), ``events`` (default:
    none listening; the web app and the worker bind their metrics to them, ``worker.metrics``) and how often the
    monitoring views are counted anew (default: ``NASTAVNIK_MONITORING_REFRESH_MINUTES``, else 10; 0: when asked)."""
    if monitoring_refresh_minutes is None:
        monitoring_refresh_minutes = refresh_minutes_from_env()
    return Domain(hooks=build_hook_table(), rules=rules or default_registry(), clock=clock or SystemClock(),
                  jobs=build_job_table(), mail=mail if mail is not None else MailSettings.from_env(),
                  events=events or Events(), monitoring_refresh_minutes=monitoring_refresh_minutes)


REFRESH_ENV = "NASTAVNIK_MONITORING_REFRESH_MINUTES"
DEFAULT_REFRESH_MINUTES = 10


def refresh_minutes_from_env() -> int:
    """``NASTAVNIK_MONITORING_REFRESH_MINUTES``: whole minutes, 0–1440; a bad value is refused in Russian."""
    raw = (settings.value(REFRESH_ENV) or "").strip()
    if not raw:
        return DEFAULT_REFRESH_MINUTES
    if not raw.isdigit() or int(raw) > 1440:
        raise NastavnikError(f"{REFRESH_ENV}: ожидается целое число минут от 0 до 1440, получено «{raw[:20]}»",
                             where=REFRESH_ENV)
    return int(raw)
