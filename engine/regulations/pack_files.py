"""The folders of a pack besides pack.yaml: stray files, ``rulesets/`` (ids), ``roadmaps/`` (loaded and checked)
``orders/*.j2`` and ``protocols/*.j2`` (texts); each problem named by file (``tomsk/roadmaps/tomsk_new_head.yaml``).
A roadmap is checked against ``pack.yaml`` too: its mentee category is the pack's, its stages fit the program's term."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from engine import bounded_yaml
from engine.errors import NastavnikError, yaml_message
from engine.regulations.problems import PackProblem
from engine.regulations.roadmaps import Roadmap, load_roadmap_bytes

MANIFEST = "pack.yaml"
PACK_FOLDERS = ("rulesets", "roadmaps", "orders", "protocols")
_SUFFIXES = {"rulesets": (".yaml", ".yml"), "roadmaps": (".yaml", ".yml"), "orders": (".j2",), "protocols": (".j2",)}


def read_yaml(data: bytes, problems: list[PackProblem], where: str) -> Any:
    try:
        return bounded_yaml.load(data.decode("utf-8"))
    except UnicodeDecodeError:
        problems.append(PackProblem(where, "", "файл должен быть в кодировке UTF-8"))
        return None
    except yaml.YAMLError as exc:
        problems.append(PackProblem(where, "", f"файл не читается как YAML: {yaml_message(exc)}"))
        return None


def stray_files(name: str, files: Mapping[str, bytes]) -> list[PackProblem]:
    stray = [relative for relative in sorted(files) if relative != MANIFEST
             and (relative.split("/")[0] not in PACK_FOLDERS or relative.count("/") != 1
                  or not relative.endswith(_SUFFIXES[relative.split("/")[0]]))]
    return [PackProblem(f"{name}/{relative}", "", "лишний файл: в пакете положения бывают pack.yaml, "
                        "rulesets/*.yaml, roadmaps/*.yaml, orders/*.j2 и protocols/*.j2") for relative in stray]


def files_in(files: Mapping[str, bytes], folder: str, suffixes: tuple[str, ...]) -> list[tuple[str, bytes]]:
    return [(relative.split("/", 1)[1], data) for relative, data in sorted(files.items())
            if relative.startswith(folder + "/") and relative.endswith(suffixes)]


def rulesets_in(files: Mapping[str, bytes], name: str, problems: list[PackProblem]) -> tuple[list[str], set[str]]:
    found, ids = [], set()
    for filename, data in files_in(files, "rulesets", (".yaml", ".yml")):
        raw = read_yaml(data, problems, f"{name}/rulesets/{filename}")
        found.append(filename)
        if isinstance(raw, dict) and raw.get("id"):
            ids.add(str(raw["id"]))
    return found, ids


def roadmaps_in(files: Mapping[str, bytes], name: str, problems: list[PackProblem]) -> dict[str, Roadmap]:
    roadmaps: dict[str, Roadmap] = {}
    for filename, data in files_in(files, "roadmaps", (".yaml", ".yml")):
        try:
            roadmap = load_roadmap_bytes(data, filename)
        except NastavnikError as err:
            where = (err.where or "").removeprefix(filename).lstrip(": ")
            problems.append(PackProblem(f"{name}/roadmaps/{filename}", where, err.message))
            continue
        roadmaps[roadmap.id] = roadmap
    return roadmaps


def order_templates_in(files: Mapping[str, bytes], name: str, problems: list[PackProblem],
                       folder: str = "orders") -> dict[str, str]:
    """orders/<kind>.j2 → its text (checked by ``order_templates``: ``template_problems``, ``sample_problems``);
    with ``folder="protocols"``: protocols/<body>.j2 (checked by ``council_bodies``)."""
    templates: dict[str, str] = {}
    for filename, data in files_in(files, folder, (".j2",)):
        try:
            templates[filename.removesuffix(".j2")] = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(PackProblem(f"{name}/{folder}/{filename}", "", "файл не в кодировке UTF-8"))
    return templates


def roadmap_problems(name: str, roadmaps: Mapping[str, Roadmap], category_ids: set[str],
                     program_months: int | None) -> list[PackProblem]:
    """The roadmaps against ``pack.yaml``: a roadmap's ``mentee_category`` is one of the pack's ``category_ids``, and
    its stages take no longer than the program's term (``program.term_months``, when the pack sets it)."""
    problems = [PackProblem(f"{name}/roadmaps/{roadmap.id}.yaml", "mentee_category",
                            f"категории «{roadmap.mentee_category}» нет в pack.yaml")
                for roadmap in roadmaps.values()
                if roadmap.mentee_category and roadmap.mentee_category not in category_ids]
    problems += [PackProblem(f"{name}/roadmaps/{roadmap.id}.yaml", "stages",
                             f"этапы дорожной карты — {roadmap.total_planned_months} мес., дольше срока программы "
                             f"({program_months} мес., pack.yaml: program.term_months): план этапов укладывается в срок")
                 for roadmap in roadmaps.values()
                 if program_months and (roadmap.total_planned_months or 0) > program_months]
    return problems
