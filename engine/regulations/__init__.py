"""Regulation packs: what each regulation decides, as files under ``rules/<pack>/`` (see docs/regulation-packs.md).

- ``shipped_packs()`` — every pack folder under ``rules/``, loaded and checked once per process;
- ``pack(pack_id)`` / ``pack_of(organization)`` — the pack an organization is bound to;
- ``roadmap(roadmap_id)`` / ``all_roadmaps()`` — roadmaps across packs (ids are unique across packs);
- ``form_label(organization, form_id)`` — what documents and pages call a group's form of mentorship: the label of
  the organization's pack (002 §4.1.5 «педагог – педагог»), else the system's vocabulary;
- ``rule_file_paths()`` / ``shipped_rule_file(ruleset_id)`` — the packs' rule files, for the rule registry;
- ``load_pack(directory)`` / ``load_pack_files(name, files)`` — one folder or its files, every problem named
  (``PackError``); ``install_pack(pack)`` runs a pack in this process (a deployed stored version).

A pack's order templates (``orders/<kind>.j2``) are checked here when it loads (``order_templates``: parse,
names, blocks, a render with sample data) — this package owns the template language and its contract
(``order_contract``, ``template_filters``); ``engine.documents`` renders orders with it and imports this
package, never the other way round.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from engine import resources
from engine.errors import NotFound
from engine.regulations.loader import MANIFEST, PackError, PackProblem, load_pack, load_pack_files, read_folder
from engine.regulations.pack import RegulationPack
from engine.regulations.roadmaps import Roadmap
from engine.vocabulary import MENTORSHIP_FORM_LABELS, MentorshipForm

PACKS_DIRECTORY = resources.shipped("rules")

__all__ = ["MANIFEST", "PACKS_DIRECTORY", "PackError", "PackProblem", "RegulationPack", "all_roadmaps",
           "forget_installed", "form_label", "install_pack", "load_pack", "load_pack_files", "load_packs", "pack", "pack_of",
           "pack_folders", "read_folder", "roadmap", "rule_file_paths", "shipped_packs", "shipped_rule_file"]

_lock = threading.Lock()
_shipped: dict[str, RegulationPack] | None = None


def pack_folders(directory: str | Path = PACKS_DIRECTORY) -> list[Path]:
    return sorted(path for path in Path(directory).iterdir() if (path / MANIFEST).is_file())


def load_packs(directory: str | Path = PACKS_DIRECTORY) -> dict[str, RegulationPack]:
    """Every pack of ``directory``; problems of all packs together, plus ids repeated across packs."""
    packs: dict[str, RegulationPack] = {}
    problems: list[PackProblem] = []
    roadmap_owner: dict[str, str] = {}
    for folder in pack_folders(directory):
        try:
            loaded = load_pack(folder, known_rulesets=_all_ruleset_ids(directory))
        except PackError as err:
            problems.extend(err.problems)
            continue
        for roadmap_id in loaded.roadmaps:
            if roadmap_id in roadmap_owner:
                problems.append(PackProblem(f"{folder.name}/roadmaps/{roadmap_id}.yaml", "id",
                                            f"дорожная карта «{roadmap_id}» уже есть в {roadmap_owner[roadmap_id]}"))
            roadmap_owner[roadmap_id] = folder.name
        packs[loaded.id] = loaded
    if problems:
        raise PackError(problems, where=str(directory))
    return packs


def _all_ruleset_ids(directory: str | Path) -> set[str]:
    return {path.stem for path in rule_file_paths(directory)}


def shipped_packs() -> dict[str, RegulationPack]:
    """The packs under ``rules/``, loaded once per process."""
    global _shipped
    with _lock:
        if _shipped is None:
            _shipped = load_packs()
        return _shipped


def install_pack(regulation: RegulationPack) -> None:
    """Run ``regulation`` from now on in this process (a deployed stored version, or a new pack): organizations
    bound to its id read it. Its roadmap ids may not belong to another pack."""
    packs = shipped_packs()
    with _lock:
        for other in packs.values():
            clash = set(other.roadmaps) & set(regulation.roadmaps) if other.id != regulation.id else set()
            if clash:
                raise PackError([PackProblem(f"{regulation.id}/roadmaps/{sorted(clash)[0]}.yaml", "id",
                                             f"дорожная карта «{sorted(clash)[0]}» уже есть в {other.id}")],
                                where=regulation.id)
        packs[regulation.id] = regulation


def forget_installed() -> None:
    """Drop the packs ``install_pack`` ran: the next call reads the folders under ``rules/`` again (tests; the
    deployed stored versions are installed again by engine.services.methodology.pack_running)."""
    global _shipped
    with _lock:
        _shipped = None


def pack(pack_id: str) -> RegulationPack:
    packs = shipped_packs()
    if pack_id not in packs:
        raise NotFound(f"нет положения (пакета) «{pack_id}»; есть: {', '.join(sorted(packs))}", where="regulation")
    return packs[pack_id]


def pack_of(organization: Any) -> RegulationPack:
    """The pack the organization is bound to (``Organization.regulation``)."""
    return pack(str(organization.regulation))


def form_label(organization: Any, form_id: str | None) -> str | None:
    """The label of the form of mentorship ``form_id`` as the organization's regulation words it (its pack's
    ``mentorship_forms``: the college's 002 §4.1.5 says «педагог – педагог» where the system's vocabulary says
    «учитель – учитель»); a form the pack does not name, or an organization whose pack is not installed here,
    falls back to the vocabulary (``engine.vocabulary.MENTORSHIP_FORM_LABELS``), then to the id itself.
    None for no form."""
    if not form_id:
        return None
    if organization is not None:
        try:
            regulation = pack_of(organization)
        except NotFound:
            regulation = None
        spec = next((f for f in regulation.mentorship_forms if f.id == form_id), None) if regulation else None
        if spec is not None:
            return spec.label
    try:
        return MENTORSHIP_FORM_LABELS[MentorshipForm(form_id)]
    except ValueError:
        return form_id


def all_roadmaps() -> dict[str, Roadmap]:
    return {rid: rm for p in shipped_packs().values() for rid, rm in p.roadmaps.items()}


def roadmap(roadmap_id: str) -> Roadmap:
    roadmaps = all_roadmaps()
    if roadmap_id not in roadmaps:
        raise NotFound(f"нет дорожной карты «{roadmap_id}»; есть: {', '.join(sorted(roadmaps))}")
    return roadmaps[roadmap_id]


def rule_file_paths(directory: str | Path = PACKS_DIRECTORY) -> list[Path]:
    """Every pack's rule files (``rules/<pack>/rulesets/*.yaml``)."""
    return [path for folder in pack_folders(directory) for path in sorted((folder / "rulesets").glob("*.y*ml"))]


def shipped_rule_file(ruleset_id: str) -> Path:
    for path in rule_file_paths():
        if path.stem == ruleset_id:
            return path
    raise NotFound(f"нет файла правил «{ruleset_id}» ни в одном положении", where="rules")
