"""Helpers of the modeler's browser tests: what a BPMN text means to the engine (its parsed specs, compared
task spec by task spec), the shipped workflows and the MIWG reference files."""
from __future__ import annotations

import json
import os
from pathlib import Path

from engine.services.process.domain import Domain
from engine.workflow.spiff import load_process, serialize_spec

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / "workflows").glob("*.bpmn"))
MIWG = (ROOT / "../shared/reference/bpmn-miwg").resolve()  # as tests/engine/workflow/test_miwg.py


def miwg_files() -> list[Path]:
    """The 21 MIWG reference files (shared/ beside the repository, or the folder $NASTAVNIK_MIWG names)."""
    folder = Path(os.environ.get("NASTAVNIK_MIWG") or MIWG)
    return sorted(folder.glob("*.bpmn")) if folder.is_dir() else []


def meaning(data: bytes, filename: str, domain: Domain) -> dict:
    """The engine's parsed specs of ``data`` as JSON (the root process and its subprocesses: every task spec
    with its properties, the lanes, scripts, conditions, timers, extensions, multi-instance variables), without
    what only names the bytes (file name, hash)."""
    spec = load_process(data, filename, known_rulesets=set(domain.rules.ids()), known_hooks=domain.hooks.names())
    document = json.loads(serialize_spec(spec))
    for key in ("filename", "sha256"):
        document.pop(key)
    return document


ORDERED_BY_DRAWING = ("outputs", "inputs", "cond_task_specs")


def unordered(document):
    """``document`` with the lists SpiffWorkflow orders by where the targets are drawn (a gateway's outgoing
    flows: by the position of their targets) sorted, for comparing a file with its laid-out copy."""
    if isinstance(document, dict):
        return {key: sorted((unordered(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
                if key in ORDERED_BY_DRAWING and isinstance(value, list) else unordered(value)
                for key, value in document.items()}
    if isinstance(document, list):
        return [unordered(value) for value in document]
    return document


def differences(old: dict, new: dict, path: str = "") -> list[str]:
    """Where two JSON documents differ, as «path: old → new» lines (the first 20)."""
    found: list[str] = []
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            found += differences(old.get(key), new.get(key), f"{path}/{key}")
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            found += differences(a, b, f"{path}[{index}]")
    elif old != new:
        found.append(f"{path}: {str(old)[:120]!r} → {str(new)[:120]!r}")
    return found[:20]
