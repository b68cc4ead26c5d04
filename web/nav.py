"""The main navigation: each section names the roles that see it and the endpoint it opens.

A section appears when the user holds one of its roles in any organization AND its endpoint exists
(areas still being built simply do not show up). Add an area by registering a blueprint whose
endpoint is listed here.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from engine.services.people.actor import Actor, Role
from web.access import current_actor


@dataclass(frozen=True)
class Section:
    key: str
    endpoint: str
    label: object  # lazy string
    roles: tuple[str, ...]
    blueprints: tuple[str, ...] = ()  # further areas highlighted as this section

    def is_current(self, endpoint: str | None) -> bool:
        area = (endpoint or "").split(".")[0]
        return bool(area) and (area == self.endpoint.split(".")[0] or area in self.blueprints)


SECTIONS: tuple[Section, ...] = (
    Section("inbox", "inbox.index", _l("Входящие"), (Role.CURATOR,), ("tasks",)),
    Section("registries", "registries.index", _l("Реестры"), (Role.CURATOR,), ("pairs",)),
    Section("methodology", "methodology.index", _l("Процессы и правила"), (Role.METHODOLOGIST,), ("rulefiles",)),
    Section("orders", "orders.index", _l("Приказы на подпись"), (Role.HEAD,)),
    Section("decisions", "decisions.index", _l("Ходатайства"), (Role.HEAD,)),
    Section("monitoring", "monitoring.index", _l("Мониторинг"), (Role.CURATOR, Role.HEAD)),
    Section("my_programs", "my.index", _l("Мои программы"), (Role.MENTOR, Role.MENTEE)),
)


def sections_for(actor: Actor | None) -> list[Section]:
    if actor is None:
        return []
    held = {role for _org, role in actor.roles}
    available = current_app.view_functions
    return [s for s in SECTIONS if held.intersection(s.roles) and s.endpoint in available]


def init_app(app: Flask) -> None:
    @app.context_processor
    def _navigation():
        return {"nav_sections": sections_for(current_actor())}
