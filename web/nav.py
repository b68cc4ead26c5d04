"""The main navigation: each section names the roles that see it and the endpoint it opens.

A section appears when the user holds one of its roles in any organization AND its endpoint exists
(areas still being built simply do not show up). Add an area by registering a blueprint whose
endpoint is listed here. Every page of a logged-in person also shows the bell: the count of their unread
notifications (``bell_count``, one COUNT), the way to «Уведомления».
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, g
from flask_babel import lazy_gettext as _l

from engine.db.paging import UNREAD_BOUND
from engine.services.council import base as council_base
from engine.services.development_plans import access as ippr_access
from engine.services.iom import access as iom_access
from engine.services.jobs import incidents
from engine.services.network import access as network_access
from engine.services.notifications import inbox as notification_inbox
from engine.services.people.actor import Actor, Role
from web.access import current_actor
from web.db import get_db


@dataclass(frozen=True)
class Section:
    key: str
    endpoint: str
    label: object  # lazy string
    roles: tuple[str, ...]
    blueprints: tuple[str, ...] = ()  # further areas highlighted as this section
    shown: Callable[[Actor], bool] | None = None  # besides the roles: whether the section concerns the person
    count: Callable[[Actor], int] | None = None  # a number shown by the label when not 0 (open incidents)

    def is_current(self, endpoint: str | None) -> bool:
        area = (endpoint or "").split(".")[0]
        return bool(area) and (area == self.endpoint.split(".")[0] or area in self.blueprints)


SECTIONS: tuple[Section, ...] = (
    Section("inbox", "inbox.index", _l("Входящие"), (Role.CURATOR,), ("tasks",)),
    Section("registries", "registries.index", _l("Реестры"), (Role.CURATOR,), ("pairs", "registry_edits")),
    Section("methodology", "methodology.index", _l("Процессы и правила"), (Role.METHODOLOGIST,), ("rulefiles", "packs")),
    Section("orders", "orders.index", _l("Приказы на подпись"), (Role.HEAD,)),
    Section("decisions", "decisions.index", _l("Ходатайства"), (Role.HEAD,)),
    Section("bonus_fund", "bonus_fund.index", _l("Фонд надбавок наставникам"), (Role.HEAD,)),
    Section("monitoring", "monitoring.index", _l("Мониторинг"), (Role.CURATOR, Role.HEAD)),
    Section("analytic_reports", "analytic_reports.index", _l("Аналитический отчёт"), (Role.CURATOR, Role.HEAD)),
    Section("dashboard", "dashboard.index", _l("Панель мониторинга"), (Role.HEAD, Role.CURATOR)),
    # network mentoring (004): for people of organizations whose pack runs it; before «my programs», which a
    # network mentor or trainee only sees when they also take part in programs elsewhere
    Section("network", "network.index", _l("Сетевое наставничество"),
            (Role.CURATOR, Role.HEAD, Role.METHODOLOGIST, Role.MENTOR, Role.MENTEE), ("network_work",),
            shown=lambda actor: network_access.takes_part(get_db(), actor)),
    Section("my_programs", "my.index", _l("Мои программы"), (Role.MENTOR, Role.MENTEE),
            shown=lambda actor: network_access.participates_elsewhere(get_db(), actor)),
    Section("council", "council.index", _l("Коллегиальные органы"), (Role.CURATOR, Role.HEAD, Role.MENTOR),
            shown=lambda actor: bool(council_base.visible_organizations(get_db(), actor))),
    # the teachers' individual educational routes (002 §4.2.2): for everyone who has or tutors one, and for the
    # curator, head and methodologist of an organization whose regulation names the tutor
    Section("iom", "iom.index", _l("ИОМ"), (Role.CURATOR, Role.HEAD, Role.METHODOLOGIST, Role.MENTOR, Role.MENTEE),
            shown=lambda actor: iom_access.concerns(get_db(), actor)),
    # the teachers' individual plans of professional development (ИППР, 000 §2.2): for whoever has or guides one,
    # and for the curator, head and methodologist of an organization whose regulation names the ИППР
    Section("ippr", "ippr.index", _l("ИППР"), (Role.CURATOR, Role.HEAD, Role.METHODOLOGIST, Role.MENTOR, Role.MENTEE),
            shown=lambda actor: ippr_access.concerns(get_db(), actor)),
    Section("roadmap", "roadmap.index", _l("Дорожная карта года"), (Role.CURATOR, Role.HEAD, Role.METHODOLOGIST)),
    # a mentor's recognition (issue 18): incentives and the best-mentor contest, the bank of practices
    Section("contests", "incentives.contest_list", _l("Поощрения и конкурсы"), (Role.CURATOR, Role.HEAD)),
    Section("my_incentives", "incentives.my", _l("Мои поощрения"), (Role.MENTOR,)),
    Section("practices", "practices.index", _l("Банк практик"),
            (Role.CURATOR, Role.HEAD, Role.METHODOLOGIST, Role.MENTOR, Role.MENTEE)),
    Section("admin", "admin.index", _l("Администрирование"), (Role.ADMIN,), ("admin_people", "admin_import", "personal_data")),
    Section("model_orders", "model_orders.index", _l("Приказы о модели наставничества"), (Role.CURATOR, Role.ADMIN)),
    # background jobs that failed their last try (issue 13): always in the administrator's menu, in the curator's
    # only while there are some (her menu is long; an incident is rare)
    Section("incidents", "incidents.index", _l("Инциденты"), (Role.ADMIN, Role.CURATOR),
            shown=lambda actor: bool(actor.organizations(Role.ADMIN)) or open_incidents(actor) > 0,
            count=lambda actor: open_incidents(actor)),
)


def open_incidents(actor: Actor) -> int:
    """The open incidents the actor may act on, counted once per request."""
    if "_open_incidents" not in g:
        g._open_incidents = incidents.visible_count(get_db(), actor)
    return int(g._open_incidents)


def sections_for(actor: Actor | None) -> list[Section]:
    if actor is None:
        return []
    held = {role for _org, role in actor.roles}
    available = current_app.view_functions
    return [s for s in SECTIONS if held.intersection(s.roles) and s.endpoint in available
            and (s.shown is None or s.shown(actor))]


def init_app(app: Flask) -> None:
    @app.context_processor
    def _navigation():
        actor = current_actor()
        sections = sections_for(actor)
        counts = {s.key: s.count(actor) for s in sections if s.count is not None and actor is not None}
        return {"nav_sections": sections, "nav_counts": counts, "bell_count": bell_count(actor)}


def bell_count(actor: Actor | None) -> int:
    """The unread notifications of the logged-in person, up to 100 (the bell reads «99+»; one bounded COUNT per
    page); 0 for a visitor."""
    if actor is None or actor.person_id is None:
        return 0
    unread = notification_inbox.unread_up_to(get_db(), actor.person_id, UNREAD_BOUND)
    return unread.value + unread.more
