"""The regulation packs this process runs follow the database: at start (the web app, every command) and, in the
web app, before each request, every pack's deployed version is installed (``engine.regulations.install_pack``)
unless it already runs. Rule files are made to follow first (``rule_deployment.follow_deployed``): a pack version
takes the deployed text of its rule files.

A deployed version the loader now refuses (the software changed under it) is logged once and the pack as
shipped keeps serving; nothing else in the process changes.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engine.db.models import PackVersionStatus, RegulationPackVersion
from engine.errors import NastavnikError
from engine.regulations import PackError, PackProblem, RegulationPack, install_pack, shipped_packs
from engine.regulations.loader import pack_digest
from engine.services.methodology import regulation_packs

log = logging.getLogger(__name__)

_lock = threading.Lock()
_own_digests: dict[str, str] = {}  # RegulationPack.digest (every file) -> digest of its own files
_refused: set[str] = set()  # digests of deployed versions that did not load here


def own_digest(regulation: RegulationPack) -> str:
    """The digest a stored version of this pack has (its files but rulesets/, text normalised)."""
    with _lock:
        known = _own_digests.get(regulation.digest)
    if known is None:
        files, _names, _problems = regulation_packs.own_files(regulation.files, regulation.id)
        known = pack_digest(regulation_packs.encoded(files))
        with _lock:
            _own_digests[regulation.digest] = known
    return known


def running() -> dict[str, str]:
    """Pack id -> the digest of the version this process runs."""
    return {pack_id: own_digest(regulation) for pack_id, regulation in shipped_packs().items()}


def _deployed(session: Session) -> list[RegulationPackVersion]:
    return list(session.scalars(select(RegulationPackVersion)
                                .where(RegulationPackVersion.status == PackVersionStatus.DEPLOYED.value)
                                .order_by(RegulationPackVersion.pack_id)))


def in_sync(session: Session) -> bool:
    """Whether this process runs every version the database has deployed (or cannot run it, see above)."""
    return runs(session.execute(select(RegulationPackVersion.pack_id, RegulationPackVersion.digest)
                                .where(RegulationPackVersion.status == PackVersionStatus.DEPLOYED.value)))


def runs(deployed: Iterable[tuple[str, str]]) -> bool:
    """Whether this process runs every deployed (pack id, digest) of ``deployed`` (or cannot run it, see above)."""
    now = running()
    return all(now.get(pack_id) == digest or digest in _refused for pack_id, digest in deployed)


def activate_deployed(session: Session) -> dict[str, str]:
    """Install the database's deployed version of every pack (the shipped folders imported first; the caller
    commits). PackError lists the versions that did not load; the others are installed. Returns ``running()``."""
    regulation_packs.ensure_shipped(session)
    problems: list[PackProblem] = []
    now = running()
    for row in _deployed(session):
        if now.get(row.pack_id) == row.digest:
            continue
        try:
            install_pack(regulation_packs.load_version(session, row.pack_id, row.files, list(row.rule_files)))
        except PackError as error:
            with _lock:
                _refused.add(row.digest)
            problems += [PackProblem(p.file, p.field, f"{p.message} (версия {row.version})")
                         for p in error.problems]
    if problems:
        raise PackError(problems, where="regulation_pack_versions")
    return running()


def follow_deployed(session_factory: Callable[[], Session], *, check_first: bool = False) -> None:
    """Run the deployed versions of the database behind ``session_factory`` (with ``check_first``, only when
    something else runs). A database without tables yet leaves the shipped folders serving."""
    try:
        with session_factory() as session:
            if not check_first or not in_sync(session):
                try:
                    activate_deployed(session)
                except NastavnikError as error:
                    log.error("deployed regulation pack versions not loaded: %s", error)
                session.commit()  # the shipped folders imported
    except SQLAlchemyError as error:
        (log.debug if check_first else log.warning)(
            "regulation pack versions not loaded (database not ready?): %s", error.__class__.__name__)
