"""Deploying BPMN process definitions (methodologists, the command line, bootstrapping).

    deploy(session, actor, data: bytes, filename, *, source_path=None) -> ProcessDefinition
    deploy_shipped(session) -> list[ProcessDefinition]          # workflows/*.bpmn as SYSTEM
    spec_for(definition) -> ProcessSpec                          # parsed once per sha256; READ ONLY
    fresh_spec(definition) -> ProcessSpec                        # a private copy to run
    spec_document(definition) -> dict                            # the stored spec JSON, parsed once

Deploying the same bytes again returns the existing row (content hash); different bytes of the same
process get the next version. Running instances stay pinned to the definition they started with.
The service adds and flushes; the caller commits. On a conflict (a concurrent deploy of the same
process) the session is rolled back and ``ConflictError`` raised.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.db.base import REPO_ROOT
from engine.db.models import ProcessDefinition, record_audit
from engine.errors import ConflictError, PermissionDenied, WorkflowDefinitionError
from engine.rules import known_ruleset_ids
from engine.services.actor import SYSTEM, Actor
from engine.workflow import Problem, ProcessSpec, content_hash, deserialize_spec, load_process, serialize_spec

WORKFLOWS_DIRECTORY = REPO_ROOT / "workflows"
DEPLOYER_ROLE = "methodologist"

_lock = threading.Lock()
_specs: dict[str, ProcessSpec] = {}  # sha256 -> parsed definition
_documents: dict[str, dict] = {}  # sha256 -> json.loads(spec_json)


def may_deploy(actor: Actor) -> bool:
    return actor.is_system or bool(actor.organizations(DEPLOYER_ROLE))


def deploy(session: Session, actor: Actor, data: bytes, filename: str, *,
           source_path: str | None = None) -> ProcessDefinition:
    """Check and store a BPMN file; ``WorkflowDefinitionError`` lists the problems (element ids)."""
    if not may_deploy(actor):
        raise PermissionDenied(f"{actor.full_name or actor.login}: загружать описания процессов может "
                               "только методист")
    data = bytes(data)
    sha256 = content_hash(data)
    existing = session.scalars(select(ProcessDefinition).where(ProcessDefinition.bpmn_sha256 == sha256)
                               .order_by(ProcessDefinition.id).limit(1)).first()
    if existing is not None:
        return existing
    spec = load_process(data, filename, known_rulesets=known_ruleset_ids())
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkflowDefinitionError([Problem(filename, None, None, "файл не в кодировке UTF-8")],
                                      where=filename) from None
    previous = session.scalar(select(func.max(ProcessDefinition.version))
                              .where(ProcessDefinition.process_id == spec.process_id))
    definition = ProcessDefinition(
        process_id=spec.process_id, name=spec.name[:255], version=(previous or 0) + 1, bpmn_sha256=sha256,
        bpmn=text, spec_json=serialize_spec(spec), source_path=source_path, deployed_by_id=actor.person_id)
    session.add(definition)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ConflictError(f"процесс «{spec.process_id}» только что загрузил кто-то другой; повторите",
                            where=filename) from None
    with _lock:
        _specs.setdefault(sha256, spec)
    record_audit(session, "workflow.deployed", actor=actor.person_id, obj=definition,
                 details={"process_id": spec.process_id, "version": definition.version, "sha256": sha256,
                          "filename": filename})
    session.flush()
    return definition


def spec_for(definition: ProcessDefinition) -> ProcessSpec:
    """The parsed definition, cached in-process by sha256 (from ``spec_json``, or the BPMN text
    re-parsed when the stored spec is of another format/engine version)."""
    sha256 = definition.bpmn_sha256
    spec = _specs.get(sha256)
    if spec is not None:
        return spec
    try:
        spec = deserialize_spec(definition.spec_json)
    except Exception:  # another format/engine version, or damaged: the BPMN text is the source
        spec = load_process(definition.bpmn.encode("utf-8"), definition.source_path or f"{definition.process_id}.bpmn",
                            known_rulesets=known_ruleset_ids())
    with _lock:
        return _specs.setdefault(sha256, spec)


def fresh_spec(definition: ProcessDefinition) -> ProcessSpec:
    """A private copy of the parsed definition for starting a workflow: SpiffWorkflow edits a
    workflow's spec objects (an event subprocess, once triggered, is wired into ``Start``), so the
    cached ``spec_for`` object must never run."""
    try:
        return deserialize_spec(json.dumps(spec_document(definition), ensure_ascii=False))
    except Exception:
        return load_process(definition.bpmn.encode("utf-8"), definition.source_path or f"{definition.process_id}.bpmn",
                            known_rulesets=known_ruleset_ids())


def spec_document(definition: ProcessDefinition) -> dict:
    """``spec_json`` parsed (cached by sha256): the serialized spec that instance states omit.
    Re-serialized from the BPMN when the stored one is of another format/engine version."""
    sha256 = definition.bpmn_sha256
    doc = _documents.get(sha256)
    if doc is not None:
        return doc
    try:
        deserialize_spec(definition.spec_json)  # validates format and engine version
        doc = json.loads(definition.spec_json)
    except Exception:
        doc = json.loads(serialize_spec(spec_for(definition)))
    with _lock:
        return _documents.setdefault(sha256, doc)


def clear_cache() -> None:
    with _lock:
        _specs.clear()
        _documents.clear()


def deploy_shipped(session: Session, directory: Path | None = None) -> list[ProcessDefinition]:
    """Deploy every ``workflows/*.bpmn`` as the system (unchanged files are not redeployed)."""
    directory = directory or WORKFLOWS_DIRECTORY
    deployed = []
    for path in sorted(directory.glob("*.bpmn")):
        try:
            source = path.relative_to(REPO_ROOT).as_posix()
        except ValueError:
            source = str(path)
        deployed.append(deploy(session, SYSTEM, path.read_bytes(), path.name, source_path=source))
    return deployed
