"""The parts of ``pack.yaml`` that tie a pack to kinds of organization: ``organization_kinds`` (the pack's, and
a category's or form's: the school formats of 004 прил. 2 п. 1.3 for schools, the ДОУ categories of 004 прил. 3
п. 2.1 for kindergartens) and ``organization_roadmaps`` (a calendar roadmap an organization of those kinds runs
each academic year: 004 п. 4.3, прил. 2). Problems go to the reader's ``fail`` by field, like every part."""
from __future__ import annotations

from typing import Any, Protocol

from engine.regulations.pack_parts import OrganizationRoadmap
from engine.regulations.roadmaps import Roadmap
from engine.vocabulary import ORGANIZATION_KIND_LABELS

PERFORMER_ROLES = ("head", "curator")  # the roles whose lanes mark events done (workflows/school_roadmap.bpmn)


class Reader(Protocol):
    data: dict[str, Any]

    def fail(self, field: str, message: str) -> None: ...

    def text(self, mapping: Any, key: str, at: str, *, required: bool = True) -> str | None: ...

    def clause(self, mapping: Any, at: str) -> str: ...


def organization_kinds(m: Reader) -> tuple[str, ...]:
    """The pack's kinds of organization (``organization_kinds``), each one the system knows."""
    return kinds_in(m, tuple(ORGANIZATION_KIND_LABELS), "", m.data)


def kinds_in(m: Reader, allowed: tuple[str, ...], at: str, entry: dict) -> tuple[str, ...]:
    """``entry["organization_kinds"]``: a list of kinds out of ``allowed`` (the pack's own, or all known)."""
    value = entry.get("organization_kinds")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(kind, str) for kind in value):
        m.fail(f"{at}organization_kinds", "ожидается список видов организаций")
        return ()
    whose = "положения (organization_kinds)" if at else "системы"
    for kind in value:
        if kind not in allowed:
            m.fail(f"{at}organization_kinds", f"вида организации «{kind}» нет среди видов {whose}: "
                   + ", ".join(allowed))
    return tuple(kind for kind in value if kind in allowed)


def organization_roadmap(m: Reader, at: str, entry: dict, roadmaps: dict[str, Roadmap],
                          kinds: tuple[str, ...]) -> OrganizationRoadmap:
    """One ``organization_roadmaps`` entry: a calendar roadmap of the pack, the kinds that run it, its
    explicit steps (events of that roadmap) and who marks which events done (roles → printed «Исполнители»)."""
    roadmap_id = m.text(entry, "roadmap", at) or ""
    roadmap = roadmaps.get(roadmap_id)
    if roadmap_id and roadmap is None:
        m.fail(f"{at}roadmap", f"дорожной карты «{roadmap_id}» нет в папке roadmaps/ положения")
    elif roadmap is not None and roadmap.scheme != "calendar":
        m.fail(f"{at}roadmap", f"дорожная карта «{roadmap_id}» не календарная (scheme: {roadmap.scheme}): "
               "по учебному году выполняется только карта с датами мероприятий")
    organization_kinds = kinds_in(m, kinds, at, entry)
    if not organization_kinds:
        m.fail(f"{at}organization_kinds", "укажите виды организаций, которые выполняют эту дорожную карту")
    numbers = {event.number for event in roadmap.events} if roadmap else set()
    steps: dict[str, str | None] = {}
    for key, required in (("completion", True), ("interim_analysis", False)):
        number = m.text(entry, key, at, required=required)
        if number and roadmap is not None and number not in numbers:
            m.fail(f"{at}{key}", f"в дорожной карте «{roadmap_id}» нет мероприятия {number}")
        steps[key] = number
    performers = _performers(m, at, entry, roadmap_id, roadmap)
    return OrganizationRoadmap(roadmap=roadmap_id, organization_kinds=organization_kinds, clause=m.clause(entry, at),
                               completion=steps["completion"] or "", interim_analysis=steps["interim_analysis"],
                               performers=performers)


def _performers(m: Reader, at: str, entry: dict, roadmap_id: str, roadmap: Roadmap | None) -> dict[str, tuple[str, ...]]:
    """``performers``: a role of the organization → printed «Исполнители» of the roadmap whose events it marks."""
    printed = {event.responsible for event in roadmap.events} if roadmap else set()
    performers: dict[str, tuple[str, ...]] = {}
    raw = entry.get("performers") or {}
    if not isinstance(raw, dict):
        m.fail(f"{at}performers", "ожидается словарь: роль → список «Исполнителей» из дорожной карты")
        raw = {}
    for role, texts in raw.items():
        if role not in PERFORMER_ROLES:
            m.fail(f"{at}performers.{role}", "роль организации: head (руководитель) или curator (куратор)")
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            m.fail(f"{at}performers.{role}", "ожидается список текстов колонки «Исполнители»")
            continue
        for text in texts:
            if roadmap is not None and text not in printed:
                m.fail(f"{at}performers.{role}", f"«{text}» нет в колонке «Исполнители» дорожной карты "
                       f"«{roadmap_id}»")
        performers[str(role)] = tuple(texts)
    return performers
