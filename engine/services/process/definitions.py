"""Storing BPMN process definitions (methodologists, the command line, bootstrapping).

    check(data: bytes, filename, *, domain) -> list[Problem]     # what ``nastavnik workflow check`` says
    check_upload(data: bytes, filename, *, domain) -> (problems, readable)  # and whether the XML parses
    deploy(session, actor, data: bytes, filename, *, source_path=None, comment=None) -> ProcessDefinition
    save_draft(session, actor, data: bytes, filename, *, comment=None) -> Saved   # checked, not in use yet
    deploy_draft(session, actor, definition_id) -> ProcessDefinition            # new instances start on it
    deploy_shipped(session) -> list[ProcessDefinition]          # workflows/*.bpmn as SYSTEM
    spec_for(definition) -> ProcessSpec                          # parsed once per sha256; READ ONLY
    elements_with(definition, effect) -> frozenset[str]          # the element ids carrying a domain effect
    fresh_spec(definition) -> ProcessSpec                        # a private copy to run
    lease_spec(definition) -> SpecLease; give_back_spec(lease)   # a copy to run ONE workflow on, kept to reuse
    spec_document(definition) -> dict                            # the stored spec JSON, parsed once

Storing the same bytes again returns the existing row (content hash; ``deploy`` deploys it if it was a
draft); different bytes of the same process get the next version. New instances start on the latest
*deployed* version (``latest_definition``); running instances stay pinned to the definition they
started with, so deploying never changes a running program.

Checked against the domain (``engine.services.process.domain``): the session's when storing or
deploying, the one given to ``check``: business rule tasks name rulesets its registry runs, user tasks
name hooks its table has (``hook``); a definition naming a hook nobody registered is refused, also
when a draft saved earlier is deployed.

Who may, for whom: the methodologist role in any organization allows checking, saving drafts and deploying
(``may_deploy``); a version a methodologist stores belongs to her organization (``deployer_organization``:
the lowest id where she is methodologist) and only that organization's new work starts on it — another
organization's programs never run a script it did not choose (issue 11). Shipped versions (``workflows/``,
the command line, SYSTEM) belong to none: they are every organization's default, and an organization runs
the newest deployed version among the shipped ones and its own (``visible_to``). An organization chooses
another's version by storing its file: the same bytes are stored once per owner (its own version number).
Every stored or deployed version is written to the audit trail with its author.
The service adds and flushes; the caller commits. On a conflict (a concurrent deploy of the same
process) the session is rolled back and ``ConflictError`` raised.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine import resources
from engine.db.models import ProcessDefinition, Role, record_audit, visible_to
from engine.db.models.rulefiles import VersionStatus
from engine.db.types import utcnow
from engine.errors import ConflictError, NotFound, PermissionDenied, WorkflowDefinitionError
from engine.forms import form_problem
from engine.rules import known_ruleset_ids
from engine.services.people.actor import SYSTEM, Actor
from engine.services.process import designed_steps
from engine.services.process.domain import Domain, domain_of
from engine.services.process.hooks import definition_error, definition_source, missing_hooks
from engine.workflow import (
    Problem,
    ProcessSpec,
    SpecLease,
    SpecPool,
    check_bpmn,
    content_hash,
    deserialize_spec,
    load_process,
    serialize_spec,
)
from engine.workflow.bpmn_xml import parse_bpmn

WORKFLOWS_DIRECTORY = resources.shipped("workflows")
DEPLOYER_ROLE = Role.METHODOLOGIST

_lock = threading.Lock()
_specs: dict[str, ProcessSpec] = {}  # sha256 -> parsed definition
_documents: dict[str, dict] = {}  # sha256 -> json.loads(spec_json)


def may_deploy(actor: Actor) -> bool:
    return actor.is_system or bool(actor.organizations(DEPLOYER_ROLE))


def deployer_organization(actor: Actor) -> int | None:
    """The organization a version the actor stores belongs to (None: shipped, for the system)."""
    organizations = actor.organizations(DEPLOYER_ROLE)
    return None if actor.is_system or not organizations else min(organizations)


def require_deployer(actor: Actor) -> None:
    if not may_deploy(actor):
        raise PermissionDenied(f"{actor.full_name or actor.login}: загружать описания процессов может "
                               "только методист")


@dataclass(frozen=True)
class Saved:
    """A stored version; ``created`` is False when the same bytes were already stored (that version)."""

    definition: ProcessDefinition
    created: bool


def check(data: bytes, filename: str, *, domain: Domain) -> list[Problem]:
    """The problems ``nastavnik workflow check`` reports for these bytes (never raises): a hook the domain does
    not have, a user task whose form has no contract (``engine.forms``), and everything the workflow engine
    checks."""
    return check_bpmn(bytes(data), filename, known_rulesets=set(domain.rules.ids()),
                      known_hooks=domain.hooks.names(), form_check=form_problem)


def check_upload(data: bytes, filename: str, *, domain: Domain) -> tuple[list[Problem], bool]:
    """The check's problems, and whether the bytes are readable BPMN XML in UTF-8 at all (so that
    an editor can show the diagram with the problems on it)."""
    data = bytes(data)
    problems = check(data, filename, domain=domain)
    root, _ = parse_bpmn(data, filename)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return [*problems, Problem(filename, None, None, "файл не в кодировке UTF-8")], False
    return problems, root is not None


def require_hooks(domain: Domain, definition: ProcessDefinition) -> None:
    """``WorkflowDefinitionError`` naming each element whose ``hook`` the domain's table lacks."""
    problems = missing_hooks(domain.hooks, spec_for(definition).elements(), definition_source(definition))
    if problems:
        raise definition_error(definition, problems)


def find_by_content(session: Session, data: bytes, actor: Actor = SYSTEM) -> ProcessDefinition | None:
    """The version with these bytes the actor's organization owns, else a shipped one (the system: shipped only)."""
    sha256 = content_hash(bytes(data))
    owner = deployer_organization(actor)
    for owned in ([] if owner is None else [ProcessDefinition.organization_id == owner]) + \
            [ProcessDefinition.organization_id.is_(None)]:
        found = session.scalars(select(ProcessDefinition).where(ProcessDefinition.bpmn_sha256 == sha256, owned)
                                .order_by(ProcessDefinition.id).limit(1)).first()
        if found is not None:
            return found
    return None


def _require_own(actor: Actor, definition: ProcessDefinition) -> None:
    if not actor.is_system and definition.organization_id != deployer_organization(actor):
        raise NotFound(f"нет сохранённой версии процесса №{definition.id}")


def deploy(session: Session, actor: Actor, data: bytes, filename: str, *,
           source_path: str | None = None, comment: str | None = None) -> ProcessDefinition:
    """Check and store a BPMN file as the deployed version; ``WorkflowDefinitionError`` lists the
    problems (element ids). Bytes already stored as a draft deploy that draft."""
    require_deployer(actor)
    existing = find_by_content(session, data, actor)
    if existing is not None:
        if existing.status == VersionStatus.DRAFT.value:
            return deploy_draft(session, actor, existing.id)
        require_hooks(domain_of(session), existing)
        return existing
    return _store(session, actor, data, filename, status=VersionStatus.DEPLOYED, source_path=source_path,
                  comment=comment)


def save_draft(session: Session, actor: Actor, data: bytes, filename: str, *,
               comment: str | None = None) -> Saved:
    """Check and store a BPMN file as a draft: the next version, not used until ``deploy_draft``."""
    require_deployer(actor)
    existing = find_by_content(session, data, actor)
    if existing is not None:
        return Saved(existing, False)
    return Saved(_store(session, actor, data, filename, status=VersionStatus.DRAFT, comment=comment), True)


def deploy_draft(session: Session, actor: Actor, definition_id: int) -> ProcessDefinition:
    """Make a draft the version new instances start on; running instances keep theirs."""
    require_deployer(actor)
    definition = session.get(ProcessDefinition, definition_id, with_for_update=True)
    if definition is None:
        raise NotFound(f"нет сохранённой версии процесса №{definition_id}")
    _require_own(actor, definition)
    where = f"{definition.process_id} версия {definition.version}"
    if definition.status == VersionStatus.DEPLOYED.value:
        raise ConflictError("эта версия уже развёрнута", where=where)
    require_hooks(domain_of(session), definition)
    newer = session.scalar(select(func.max(ProcessDefinition.version)).where(
        ProcessDefinition.process_id == definition.process_id,
        ProcessDefinition.status == VersionStatus.DEPLOYED.value, visible_to(definition.organization_id)))
    if newer is not None and newer > definition.version:
        raise ConflictError(f"уже развёрнута более новая версия {newer}: новые процессы запускаются по "
                            "самой новой развёрнутой версии; чтобы вернуть эту схему, сохраните её как новую "
                            "версию (с любым изменением) и разверните", where=where)
    designed_steps.pin(session, definition)  # the designed forms its tasks name: their deployed versions, fixed
    definition.status = VersionStatus.DEPLOYED.value
    definition.activated_at = utcnow()
    record_audit(session, "workflow.deployed", actor=actor.person_id, obj=definition,
                 details={"process_id": definition.process_id, "version": definition.version,
                          "sha256": definition.bpmn_sha256, "from_draft": True})
    session.flush()
    return definition


def _store(session: Session, actor: Actor, data: bytes, filename: str, *, status: VersionStatus,
           source_path: str | None = None, comment: str | None = None) -> ProcessDefinition:
    data = bytes(data)
    sha256 = content_hash(data)
    domain = domain_of(session)
    spec = load_process(data, filename, known_rulesets=set(domain.rules.ids()), known_hooks=domain.hooks.names(),
                        form_check=form_problem)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkflowDefinitionError([Problem(filename, None, None, "файл не в кодировке UTF-8")],
                                      where=filename) from None
    previous = session.scalar(select(func.max(ProcessDefinition.version))
                              .where(ProcessDefinition.process_id == spec.process_id))
    deployed = status == VersionStatus.DEPLOYED
    definition = ProcessDefinition(
        process_id=spec.process_id, name=spec.name[:255], version=(previous or 0) + 1, bpmn_sha256=sha256,
        bpmn=text, spec_json=serialize_spec(spec), source_path=source_path, deployed_by_id=actor.person_id,
        organization_id=deployer_organization(actor),
        status=status.value, comment=(comment or "").strip() or None,
        activated_at=utcnow() if deployed else None)
    session.add(definition)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ConflictError(f"процесс «{spec.process_id}» только что сохранил кто-то другой; повторите",
                            where=filename) from None
    if deployed:
        designed_steps.pin(session, definition)
    with _lock:
        _specs.setdefault(sha256, spec)
    record_audit(session, "workflow.deployed" if deployed else "workflow.draft_saved", actor=actor.person_id,
                 obj=definition, details={"process_id": spec.process_id, "version": definition.version,
                                          "sha256": sha256, "filename": filename})
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
        spec = load_process(definition.bpmn.encode("utf-8"), definition_source(definition),
                            known_rulesets=known_ruleset_ids())
    with _lock:
        return _specs.setdefault(sha256, spec)


def elements_with(definition: ProcessDefinition, effect: str) -> frozenset[str]:
    """The ids of the definition's elements carrying the domain effect ``effect`` (``engine.workflow.effects``):
    how a service finds «the stage», «the reminder», «the steps considering a petition» without naming an id."""
    return spec_for(definition).elements_with(effect)


def fresh_spec(definition: ProcessDefinition) -> ProcessSpec:
    """A private copy of the parsed definition for starting a workflow: SpiffWorkflow edits a
    workflow's spec objects (an event subprocess, once triggered, is wired into ``Start``), so the
    cached ``spec_for`` object must never run."""
    try:
        return deserialize_spec(json.dumps(spec_document(definition), ensure_ascii=False))
    except Exception:
        return load_process(definition.bpmn.encode("utf-8"), definition_source(definition),
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


_pool = SpecPool(idle=32)  # specs to run, per (definition id, sha256): each lent to one workflow at a time; as
# many idle as a batch of jobs or the workflow cache's turnover gives back at once (each ≈ 0.2 MB, ≈ 4 ms to build)


def lease_spec(definition: ProcessDefinition) -> SpecLease:
    """A spec of ``definition`` to run one workflow on, taken from the per-process pool (built by ``fresh_spec``
    when none is idle); ``give_back_spec`` when the workflow is done with. The workflow may change it (an event
    subprocess started): such a spec is dropped when given back, never lent again."""
    return _pool.lease((definition.id, definition.bpmn_sha256), lambda: fresh_spec(definition))


def give_back_spec(lease: SpecLease) -> bool:
    """Return a leased spec to the pool (kept if unchanged and there is room); whether it was kept."""
    return _pool.give_back(lease)


def spec_pool() -> SpecPool:
    return _pool


def clear_cache() -> None:
    with _lock:
        _specs.clear()
        _documents.clear()
    _pool.clear()


def deploy_shipped(session: Session, directory: Path | None = None) -> list[ProcessDefinition]:
    """Deploy every ``workflows/*.bpmn`` as the system (unchanged files are not redeployed)."""
    directory = directory or WORKFLOWS_DIRECTORY
    deployed = []
    for path in sorted(directory.glob("*.bpmn")):
        deployed.append(deploy(session, SYSTEM, path.read_bytes(), path.name, source_path=resources.source_name(path)))
    return deployed
