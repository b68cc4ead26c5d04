"""The domain a database session runs with: the hook table, the rule registry, the clock, the job table and the
e-mail settings (``session.info`` carries those under their own key: the notifications room, below this one,
reads them there).

``engine.bootstrap.bootstrap()`` builds one ``Domain``; every session its ``session_factory`` makes
carries it in ``session.info`` (``attach`` adds it to a session made elsewhere). The workflow steps reach
the hooks through the session they are given (``domain_of``), so the services keep their signatures
(session, actor, …) and no module holds a registry. A session without a domain is refused by the first
step, deploy or start on it, instead of completing steps without the domain's effects.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from engine import events as domain_events
from engine.db import make_session_factory
from engine.documents.basics import today_in
from engine.errors import NastavnikError
from engine.rules import RuleRegistry
from engine.services.jobs.table import SESSION_KEY as JOBS_KEY
from engine.services.jobs.table import JobTable
from engine.services.notifications.email_settings import MAIL_KEY, MailSettings
from engine.services.process.hooks import HookTable
from engine.workflow import Clock

SESSION_KEY = "nastavnik.domain"


@dataclass(frozen=True, eq=False)
class Domain:
    hooks: HookTable
    rules: RuleRegistry
    clock: Clock
    jobs: JobTable = field(default_factory=JobTable)  # the background work's handlers and sweeps
    mail: MailSettings = field(default_factory=MailSettings.off)  # how e-mail goes out (off: no SMTP host)
    events: domain_events.Events = field(default_factory=domain_events.Events)  # who watches (metrics): engine.events
    monitoring_refresh_minutes: int = 0  # how often the monitoring views are counted anew (0: when asked, not kept)

    def session_factory(self, engine: Engine) -> sessionmaker[Session]:
        """Sessions bound to ``engine`` that carry this domain."""
        factory = make_session_factory(engine)
        factory.configure(info={SESSION_KEY: self, MAIL_KEY: self.mail, JOBS_KEY: self.jobs,
                                domain_events.SESSION_KEY: self.events})
        domain_events.bind(factory)
        return factory

    def attach(self, session: Session) -> Session:
        session.info[SESSION_KEY] = self
        session.info[MAIL_KEY] = self.mail
        session.info[JOBS_KEY] = self.jobs
        session.info[domain_events.SESSION_KEY] = self.events
        domain_events.bind(session)
        return session


def domain_of(session: Session) -> Domain:
    """The domain ``session`` carries; ``NastavnikError`` when it was opened without ``bootstrap()``."""
    domain = session.info.get(SESSION_KEY)
    if not isinstance(domain, Domain):
        raise NastavnikError("сессия базы данных открыта без bootstrap(): шаг процесса не выполнен, потому что "
                             "обработчики предметной области (приказы, решения, отчёты) ему неизвестны; "
                             "откройте сессию через bootstrap().session_factory(engine)", where="session")
    return domain


def organization_today(session: Session, organization: Any, clock: Clock | None = None) -> date:
    """«Today» of ``organization`` by ``clock`` (default: the domain's clock): its local day
    (``engine.documents.basics.today_in``) — the one «today» every service counts on."""
    return today_in(organization, clock or domain_of(session).clock)
