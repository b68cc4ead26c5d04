"""Deployed rule file versions (see ``rule_files`` for the stored versions): one deployed version per file,
running in the rule registry.

- Deploying a version (``deploy``) or adopting a pack folder's file (``adopt``) installs it in the registry
  at once and makes every other version of the file a draft.
- The running registry is process-wide: ``activate_deployed`` makes it run what this database has
  deployed (compiled rulesets are cached by content, so no durable_rules host is made per reload).
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engine.db.models import RuleFileVersion
from engine.db.models.rulefiles import VersionStatus
from engine.db.types import utcnow
from engine.errors import NastavnikError, RuleFileError
from engine.rules import RuleRegistry, default_registry
from engine.rules.registry import RULES_DIRECTORY, rule_files
from engine.services.methodology.rule_files import (
    Problem,
    check_adoption,
    edit_problems,
    ensure_shipped,
    get_file,
    normalise_text,
    sha256,
    versions_by_file,
)
from engine.services.people.actor import Actor

log = logging.getLogger(__name__)


def adopt(session: Session, actor: Actor, file_name: str, text: str,
          registry: RuleRegistry | None = None) -> RuleFileVersion | None:
    """A pack folder's rule file becomes the file's deployed version (the system importing a folder kept in
    git): stored as the next version unless a version has this text; None if the deployed one has it."""
    text = normalise_text(text)
    rows = versions_by_file(session, file_name).get(file_name, [])
    if any(r.sha256 == sha256(text) and r.status == VersionStatus.DEPLOYED.value for r in rows):
        return None
    problems = check_adoption(session, file_name, text) or [
        Problem(None, p.item, p.message, str(p))
        for p in (registry or default_registry()).install(text.encode("utf-8"), file_name)]
    if problems:
        raise RuleFileError(problems, where=file_name)
    chosen = next((r for r in rows if r.sha256 == sha256(text)), None)
    if chosen is None:
        chosen = RuleFileVersion(file_name=file_name, version=max((r.version for r in rows), default=0) + 1,
                                 content=text, sha256=sha256(text), saved_by_id=actor.person_id,
                                 comment=f"Загружен из папки положения: rulesets/{file_name}")
        session.add(chosen)
    for row in rows:
        if row.status == VersionStatus.DEPLOYED.value:
            row.status = VersionStatus.DRAFT.value
    chosen.status, chosen.deployed_at, chosen.deployed_by_id = VersionStatus.DEPLOYED.value, utcnow(), actor.person_id
    session.flush()
    return chosen


# -- deploying and running ------------------------------------------------------------------------

def deploy(session: Session, actor: Actor, name: str, version: int,
           registry: RuleRegistry | None = None) -> RuleFileVersion:
    """Make the version the one new decisions use (here and in the running registry at once)."""
    info = get_file(session, actor, name)
    chosen = info.version(version)
    problems = edit_problems(info, chosen.row.content)
    if problems:
        raise RuleFileError(problems, where=info.file_name)
    installed = (registry or default_registry()).install(chosen.row.content.encode("utf-8"), info.file_name)
    if installed:
        raise RuleFileError(installed, where=info.file_name)
    for other in info.versions:
        if other.deployed and other is not chosen:
            other.row.status = VersionStatus.DRAFT.value
    if not chosen.deployed:
        chosen.row.status = VersionStatus.DEPLOYED.value
        chosen.row.deployed_at, chosen.row.deployed_by_id = utcnow(), actor.person_id
    session.flush()
    return chosen.row


def deployed_digests(session: Session) -> set[str]:
    return set(session.scalars(select(RuleFileVersion.sha256)
                               .where(RuleFileVersion.status == VersionStatus.DEPLOYED.value)))


def in_sync(session: Session, registry: RuleRegistry | None = None) -> bool:
    """Whether the registry runs every version this database has deployed."""
    return runs(deployed_digests(session), registry)


def runs(digests: set[str], registry: RuleRegistry | None = None) -> bool:
    """Whether the registry runs every deployed version of ``digests`` (their sha256)."""
    return digests <= set((registry or default_registry()).running().values())


def activate_deployed(session: Session, registry: RuleRegistry | None = None) -> dict[str, str]:
    """Make the registry run this database's deployed versions (the shipped file where none is).

    Imports the shipped files first (the caller commits). Returns ruleset id -> running sha256."""
    registry = registry or default_registry()
    ensure_shipped(session)
    problems: list = []
    deployed = session.scalars(select(RuleFileVersion)
                               .where(RuleFileVersion.status == VersionStatus.DEPLOYED.value)).all()
    covered = {row.file_name for row in deployed}
    for row in deployed:
        problems.extend(registry.install(row.content.encode("utf-8"), row.file_name))
    for path in rule_files([RULES_DIRECTORY]):
        if path.name not in covered:
            problems.extend(registry.install(path.read_bytes(), str(path)))
    if problems:
        raise RuleFileError(problems, where="rule_file_versions")
    return registry.running()


def follow_deployed(session_factory: Callable[[], Session], *, check_first: bool = False) -> None:
    """Make the registry run the deployed versions of the database behind ``session_factory`` (with
    ``check_first``, only when it runs something else). A database without tables yet leaves the shipped files
    serving; a deployed version the checker now refuses is logged and the shipped file serves."""
    try:
        with session_factory() as session:
            if not check_first or not in_sync(session):
                activate_deployed(session)
                session.commit()
    except SQLAlchemyError as error:  # every request checks: say it once, at start, not on every page
        (log.debug if check_first else log.warning)(
            "rule file versions not loaded (database not ready?): %s", error.__class__.__name__)
    except NastavnikError as error:
        log.error("deployed rule file versions not loaded: %s", error)
