"""Process definitions: checking and parsing uploaded BPMN (always bytes, always a fresh parser),
the parsed ``ProcessSpec`` stored once by content hash, and the versioned saved-state format with its
migrations."""
from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.parser.BpmnParser import XSD_PATH
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import SPIFF_XSD

from engine.errors import WorkflowDefinitionError
from engine.workflow import bpmn_conventions, bpmn_xml
from engine.workflow.bpmn_xml import Problem, role_for_lane
from engine.workflow.effects import EFFECT_PROPERTY, effects_of
from engine.workflow.messages import russian
from engine.workflow.spiff.specs import (
    MIGRATIONS,
    SERIALIZER,
    SPEC_FORMAT,
    SPEC_VERSION,
    WORKFLOW_FORMAT,
    WORKFLOW_VERSION,
    NastavnikBpmnParser,
    WorkflowRunError,
)

# ---- definitions ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ElementInfo:
    element_id: str
    name: str | None
    kind: str
    lane: str | None
    role: str | None
    form: str | None = None
    ruleset: str | None = None
    hook: str | None = None  # the domain hook a user task's completion runs
    effects: tuple[str, ...] = ()  # the domain effects it carries (property ``effect``, ``engine.workflow.effects``)


@dataclass(frozen=True)
class ProcessSpec:
    process_id: str
    name: str
    filename: str
    sha256: str
    spiff_spec: Any = field(repr=False, compare=False)
    subprocess_specs: dict = field(repr=False, compare=False)

    def elements(self) -> list[ElementInfo]:
        """Every diagram element that becomes a task (incl. subprocesses), in no special order."""
        found = {}
        for process in [self.spiff_spec, *self.subprocess_specs.values()]:
            for ts in process.task_specs.values():
                if getattr(ts, "bpmn_id", None) and ts.bpmn_id not in found:
                    props = getattr(ts, "extensions", {}).get("properties", {})
                    found[ts.bpmn_id] = ElementInfo(
                        ts.bpmn_id, bpmn_xml.one_line(ts.bpmn_name), type(ts).__name__, ts.lane, role_for_lane(ts.lane),
                        props.get("form"), getattr(ts, "ruleset", None), props.get("hook"),
                        effects_of(props.get(EFFECT_PROPERTY)))
        return list(found.values())

    def elements_with(self, effect: str) -> frozenset[str]:
        """The ids of the elements carrying ``effect`` (a service asks this, never naming an element id)."""
        return frozenset(e.element_id for e in self.elements() if effect in e.effects)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _schema():
    return bpmn_xml.load_schema(XSD_PATH, ((bpmn_xml.SPIFF_NS, SPIFF_XSD),))


def _parse_with_spiff(root, filename: str, sha256: str) -> tuple[ProcessSpec | None, list[Problem]]:
    parser = NastavnikBpmnParser()  # always fresh: a failed get_spec leaves a parser unusable
    try:
        parser.add_bpmn_xml(root, filename)
        called = parser.get_process_dependencies()
        roots = [pid for pid in parser.get_process_ids() if pid not in called]
        if len(roots) != 1:
            return None, []  # reported by bpmn_conventions.check_conventions
        spec = parser.get_spec(roots[0])
        subprocesses = parser.get_subprocess_specs(roots[0])
    except ValidationException as exc:
        said = russian(str(exc.args[0]) if exc.args else str(exc))
        return None, [Problem(filename, exc.id or None, exc.name or None, f"движок не принял описание: {said}")]
    except Exception as exc:  # SpiffWorkflow raises assorted errors on unsupported BPMN
        return None, [Problem(filename, None, None, f"движок не принял описание: {russian(str(exc))}")]
    return ProcessSpec(roots[0], spec.description or roots[0], filename, sha256, spec, subprocesses), []


def _analyse(data: bytes, filename: str, known_rulesets, known_hooks,
             form_check: bpmn_conventions.FormCheck | None = None) -> tuple[list[Problem], ProcessSpec | None]:
    try:
        root, problems = bpmn_xml.parse_bpmn(data, filename)
        if root is None:
            return problems, None
        schema_problems = bpmn_xml.validate_schema(root, _schema(), filename)
        problems = schema_problems + bpmn_conventions.check_conventions(
            root, filename, known_rulesets=set(known_rulesets), known_hooks=known_hooks, form_check=form_check)
        if schema_problems or len(bpmn_xml.root_process_ids(root)[0]) != 1:
            return problems, None
        spec, spiff_problems = _parse_with_spiff(root, filename, content_hash(bytes(data)))
        return problems + spiff_problems, (None if problems or spiff_problems else spec)
    except Exception as exc:  # an upload must never crash the caller
        return [Problem(filename, None, None, f"внутренняя ошибка проверки: {type(exc).__name__}: {exc}")], None


def check_bpmn(data: bytes, filename: str, *, known_rulesets: set[str],
               known_hooks: Collection[str] | None = None,
               form_check: bpmn_conventions.FormCheck | None = None) -> list[Problem]:
    """The problems of a BPMN file; ``known_hooks``: the hook names a user task may declare (None: the
    names are not checked, as when no domain is there to run them); ``form_check(form_id, declared_fields)``
    says what is wrong with a user task's form (None: in order; without it any form id passes)."""
    return _analyse(data, filename, known_rulesets, known_hooks, form_check)[0]


def load_process(data: bytes, filename: str, *, known_rulesets: set[str],
                 known_hooks: Collection[str] | None = None,
                 form_check: bpmn_conventions.FormCheck | None = None) -> ProcessSpec:
    problems, spec = _analyse(data, filename, known_rulesets, known_hooks, form_check)
    if problems or spec is None:
        raise WorkflowDefinitionError(problems, where=filename)
    return spec


def serialize_spec(spec: ProcessSpec) -> str:
    registry = SERIALIZER.registry
    return json.dumps({
        "format": SPEC_FORMAT, "version": SPEC_VERSION, "spiff_version": SERIALIZER.VERSION,
        "process_id": spec.process_id, "name": spec.name, "filename": spec.filename, "sha256": spec.sha256,
        "spec": registry.convert(spec.spiff_spec),
        "subprocess_specs": {k: registry.convert(v) for k, v in spec.subprocess_specs.items()},
    }, ensure_ascii=False)


def deserialize_spec(text: str) -> ProcessSpec:
    """Raises ``WorkflowRunError`` for another format/engine version: re-parse the BPMN bytes then."""
    doc = json.loads(text)
    if doc.get("format") != SPEC_FORMAT or doc.get("version") != SPEC_VERSION \
            or doc.get("spiff_version") != SERIALIZER.VERSION:
        raise WorkflowRunError("описание процесса сохранено в другом формате: загрузите BPMN-файл заново")
    registry = SERIALIZER.registry
    return ProcessSpec(doc["process_id"], doc["name"], doc["filename"], doc["sha256"],
                       registry.restore(doc["spec"]),
                       {k: registry.restore(v) for k, v in doc["subprocess_specs"].items()})


def migrate_state(doc: dict) -> dict:
    """Bring a saved workflow document up to ``WORKFLOW_VERSION`` through ``MIGRATIONS``."""
    if not isinstance(doc, dict) or doc.get("format") != WORKFLOW_FORMAT:
        raise WorkflowRunError("это не сохранённое состояние процесса «Наставник»")
    version = doc.get("version")
    if not isinstance(version, int) or version > WORKFLOW_VERSION:
        raise WorkflowRunError(f"неизвестная версия сохранённого состояния процесса: {version!r}")
    while version < WORKFLOW_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise WorkflowRunError(f"нет миграции состояния процесса с версии {version}")
        doc = step(copy.deepcopy(doc))
        version += 1
        doc["version"] = version
    return doc
