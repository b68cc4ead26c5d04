"""The head of ``pack.yaml``: the sections a manifest may have, the pack's id (its folder's name), version, title,
seed and seed file, the act as orders cite it (``act:``), the defaults of its documents (``documents:``) and what
the pack runs — a ruleset of its ``rulesets/`` folder per purpose (``rulesets:``) and a BPMN process per purpose,
one for every organization or one per kind (``processes:``). Problems go to the reader's ``fail`` by field."""
from __future__ import annotations

import re
from typing import Any

from engine.regulations.manifest import IDENTIFIER, Manifest
from engine.regulations.pack import PROCESS_PURPOSES, RULESET_PURPOSES
from engine.regulations.pack_parts import Act
from engine.vocabulary import ORGANIZATION_KIND_LABELS

TOP_KEYS = {"id", "version", "title", "seed", "seed_file", "act", "notes", "organization_kinds", "documents",
            "roles", "rulesets", "processes", "mentee_categories", "mentorship_forms", "program", "mentor_term",
            "report_calendar", "petitions", "orders", "organization_roadmaps", "work_forms",
            "duties", "report_indicators", "council", "incentives", "individual_plans", "council_bodies"}
ACT_FORMS = ("name", "genitive", "instrumental")


def head(m: Manifest, name: str) -> str:
    """The pack's id, checked against its folder's ``name``; every top-level section is one of ``TOP_KEYS``."""
    raw = m.data
    for key in sorted(set(raw) - TOP_KEYS):
        m.fail(key, f"неизвестный раздел «{key}»; допустимы: {', '.join(sorted(TOP_KEYS))}")
    pack_id = m.text(raw, "id", "") or ""
    if pack_id and pack_id != name:
        m.fail("id", f"id «{pack_id}» не совпадает с именем папки «{name}»")
    if pack_id and not IDENTIFIER.fullmatch(pack_id):
        m.fail("id", "идентификатор: строчные латинские буквы, цифры и _")
    for key in ("version", "title", "seed_file"):
        m.text(raw, key, "")
    if not re.fullmatch(r"\d{3}", m.seed):
        m.fail("seed", "номер положения — три цифры в кавычках, например \"003\"")
    return pack_id


def act(m: Manifest) -> Act:
    """``act: {name, genitive, instrumental}`` — how orders cite the regulation; each form required."""
    section = m.mapping("act")
    for key in ACT_FORMS:
        m.text(section, key, "act.")
    return Act(**{key: str(section.get(key, "")) for key in ACT_FORMS})


def document_defaults(m: Manifest) -> dict[str, str]:
    """``documents:`` — the defaults of the pack's documents, by name (optional)."""
    return {str(key): str(value) for key, value in m.mapping("documents", required=False).items()}


def purposes(m: Manifest, rule_ids: set[str],
             known_processes: set[str] | None) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """``rulesets:`` (purpose → a ruleset id of ``rule_ids``) and ``processes:`` (purpose → kind → BPMN process
    id; ``known_processes``: the process ids of workflows/, None: not checked)."""
    rulesets = {purpose: str(value) for purpose, value in m.mapping("rulesets").items()}
    for purpose, ruleset_id in rulesets.items():
        if purpose not in RULESET_PURPOSES:
            m.fail(f"rulesets.{purpose}", f"неизвестное назначение; допустимы: {', '.join(RULESET_PURPOSES)}")
        elif ruleset_id not in rule_ids:
            m.fail(f"rulesets.{purpose}", f"набора правил «{ruleset_id}» нет в папке rulesets/ положения")
    processes = {purpose: _processes_of(m, purpose, value, known_processes)
                 for purpose, value in m.mapping("processes").items()}
    for purpose in ("mentor_appointment", "program"):
        if purpose not in processes:
            m.fail(f"processes.{purpose}", "отсутствует обязательное поле")
    return rulesets, processes


def _processes_of(m: Manifest, purpose: str, value: Any, known_processes: set[str] | None) -> dict[str, str]:
    """One process for every organization of the pack, or one per kind: {default: …, department: …} (004: the
    department groups trainees by direction, III.4, while its schools form pairs, прил. 2 п. 5.1)."""
    by_kind = {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {"default": str(value)}
    if purpose not in PROCESS_PURPOSES:
        m.fail(f"processes.{purpose}", f"неизвестное назначение; допустимы: {', '.join(PROCESS_PURPOSES)}")
    for kind, process_id in by_kind.items():
        at = f"processes.{purpose}.{kind}" if isinstance(value, dict) else f"processes.{purpose}"
        if kind != "default" and kind not in ORGANIZATION_KIND_LABELS:
            m.fail(at, f"неизвестный вид организации; допустимы: default, {', '.join(ORGANIZATION_KIND_LABELS)}")
        elif known_processes is not None and process_id not in known_processes:
            m.fail(at, f"процесса «{process_id}» нет среди процессов workflows/")
    return by_kind
