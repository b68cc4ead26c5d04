"""Load and check a regulation pack folder: ``pack.yaml``, ``rulesets/*.yaml``, ``roadmaps/*.yaml``,
``orders/*.j2``, ``protocols/*.j2``. Every problem is named by file and field
(``tomsk/pack.yaml: mentee_categories[1].roadmap``); a pack with any problem is refused whole (``PackError``).

This module reads the files and composes the ``RegulationPack``; each section of ``pack.yaml`` is read by the
module of its part, with one ``Manifest`` collecting the problems in the order the sections are read:
``pack_head`` (id, act, documents, rulesets and processes), ``organization_parts`` (kinds of organization and their
roadmaps), ``participants`` (roles, mentee categories, forms of mentorship), ``incentives``, ``individual_plans``,
``report_parts`` (report calendar and indicators), ``program_terms`` (the program's and the mentor's terms),
``order_parts`` (petitions and kinds of order), ``duties`` and ``council_bodies``; the folders besides pack.yaml
are ``pack_files``, the order templates ``order_templates``."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from engine.regulations.council_bodies import SAMPLE_PROTOCOL, council_bodies, legacy_retention, protocol_problems
from engine.regulations.duties import duties
from engine.regulations.incentives import incentive_kinds
from engine.regulations.individual_plans import individual_plans
from engine.regulations.manifest import Manifest
from engine.regulations.order_parts import order_kinds, petitions
from engine.regulations.order_templates import sample_problems, template_problems
from engine.regulations.organization_parts import organization_kinds, organization_roadmap
from engine.regulations.pack import RegulationPack
from engine.regulations.pack_files import (
    MANIFEST,
    order_templates_in,
    read_yaml,
    roadmap_problems,
    roadmaps_in,
    rulesets_in,
    stray_files,
)
from engine.regulations.pack_head import act, document_defaults, head, purposes
from engine.regulations.participants import mentee_categories, mentorship_forms, roles
from engine.regulations.problems import PackError, PackProblem
from engine.regulations.program_terms import mentor_term, program_term
from engine.regulations.report_parts import report_calendar, report_indicators

__all__ = ["MANIFEST", "PackError", "PackProblem", "load_pack", "load_pack_files", "pack_digest", "read_folder"]


def pack_digest(files: Mapping[str, bytes]) -> str:
    """SHA-256 over the pack's files (relative path and content), the same for a folder and its stored copy."""
    sha = hashlib.sha256()
    for relative in sorted(files):
        sha.update(relative.encode() + b"\0" + files[relative] + b"\0")
    return sha.hexdigest()


def read_folder(directory: str | Path) -> dict[str, bytes]:
    """A pack folder as {relative path: bytes} (what a stored pack version holds)."""
    directory = Path(directory)
    return {path.relative_to(directory).as_posix(): path.read_bytes()
            for path in sorted(directory.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith(".")}


def load_pack(directory: str | Path, *, known_rulesets: set[str] | None = None,
              known_processes: set[str] | None = None) -> RegulationPack:
    """The pack in ``directory``; ``PackError`` lists every problem. ``known_rulesets``: ruleset ids the
    pack's own rulesets/ folder does not hold but the registry runs; ``known_processes``: BPMN process ids."""
    directory = Path(directory)
    return load_pack_files(directory.name, read_folder(directory), known_rulesets=known_rulesets,
                           known_processes=known_processes)


def load_pack_files(name: str, files: Mapping[str, bytes], *, known_rulesets: set[str] | None = None,
                    known_processes: set[str] | None = None) -> RegulationPack:
    """The pack ``name`` from its files ({"pack.yaml": …, "rulesets/x.yaml": …, "roadmaps/y.yaml": …,
    "orders/z.j2": …}); ``PackError`` lists every problem by file and field."""
    file = f"{name}/{MANIFEST}"
    problems: list[PackProblem] = []
    raw = read_yaml(files[MANIFEST], problems, file) if MANIFEST in files else None
    if MANIFEST not in files:
        problems.append(PackProblem(file, "", "в папке положения нет файла pack.yaml"))
    problems.extend(stray_files(name, files))
    if not isinstance(raw, dict):
        if not problems:
            problems.append(PackProblem(file, "", "ожидается словарь (ключ: значение)"))
        raise PackError(problems, where=file)
    seed = str(raw.get("seed") or "").strip()
    m = Manifest(file, raw, seed)
    pack_id = head(m, name)

    rule_files, rule_ids = rulesets_in(files, name, problems)
    roadmaps = roadmaps_in(files, name, problems)
    order_templates = order_templates_in(files, name, problems)
    protocol_templates = order_templates_in(files, name, problems, "protocols")
    # the sections in the order their problems are listed
    pack_act = act(m)
    documents = document_defaults(m)
    rulesets, processes = purposes(m, rule_ids | (known_rulesets or set()), known_processes)
    kinds = organization_kinds(m)
    categories = mentee_categories(m, kinds, roadmaps)
    forms = mentorship_forms(m, kinds, categories)
    organization_roadmaps = [organization_roadmap(m, at, entry, roadmaps, kinds)
                             for at, entry in m.entries("organization_roadmaps")]
    work_forms = m.cited("work_forms")
    incentives = incentive_kinds(m)
    plans = individual_plans(m)
    indicators = report_indicators(m)
    council = m.mapping("council", required=False)
    retention = legacy_retention(m, council)
    pack_roles = roles(m)
    term = mentor_term(m)
    program = program_term(m)
    calendar = report_calendar(m)
    pack_petitions = petitions(m)
    orders = order_kinds(m)
    pack_duties = duties(m)
    bodies = council_bodies(m, council, retention, {spec.kind for spec in orders}, protocol_templates)
    problems += template_problems(name, [(f"orders[{i}].kind", spec.kind) for i, spec in enumerate(orders)
                                         if spec.kind], order_templates)
    problems += roadmap_problems(name, roadmaps, {c.id for c in categories}, program.months)
    problems[:0] = m.problems
    if problems:
        raise PackError(problems, where=file)
    regulation = RegulationPack(
        id=pack_id, version=str(raw["version"]), title=str(raw["title"]), seed=seed,
        seed_file=str(raw["seed_file"]), act=pack_act,
        digest=pack_digest(files), rulesets=rulesets, processes=processes, mentee_categories=tuple(categories),
        mentorship_forms=tuple(forms), roles=pack_roles, mentor_term=term, program_term_months=program.months,
        program_term_clause=program.clause, program_term_choice=program.choice,
        report_calendar=tuple(calendar), petitions=tuple(pack_petitions), duties=tuple(pack_duties),
        orders=tuple(orders), document_defaults=documents,
        roadmaps=roadmaps, rule_files=tuple(rule_files), order_templates=order_templates,
        files=dict(files), organization_kinds=kinds, organization_roadmaps=tuple(organization_roadmaps),
        work_forms=tuple(work_forms), program_term_end=program.end, report_indicators=tuple(indicators),
        council_retention_months=next((b.retention_months for b in bodies if b.id == "mentors_council"), retention),
        council_bodies=bodies,
        program_term_limits=program.limits,
        incentives=incentives, individual_plans=plans)
    rendered = sample_problems(regulation)  # every template filled with sample data: misspelt fields, bad filters
    rendered += protocol_problems(regulation.id, bodies, SAMPLE_PROTOCOL)
    if rendered:
        raise PackError(rendered, where=file)
    return regulation
