"""Whether this process runs the rule file and regulation pack versions its database has deployed, in one
statement (the web app asks before every request; issue 14: a cheap check per request, no reload storm), and the
reload when it does not (``rule_deployment`` and ``pack_running`` say what a reload does).

Every process of the app (each gunicorn worker) keeps its own running registry; a methodologist's deployment
installs the version in the process that served it at once and in every other one at its next request, when this
check finds a digest it does not run — that process reloads once (the reload's own check finds it in sync again).
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import literal, select, union_all
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from engine.db.models import PackVersionStatus, RegulationPackVersion, RuleFileVersion
from engine.db.models.rulefiles import VersionStatus
from engine.services.methodology import pack_running, rule_deployment

log = logging.getLogger(__name__)
RULE_FILE = ""  # the pack column of a rule file's row (a pack id is never empty)


def in_sync(session: Session) -> bool:
    """Whether the running rule registry and packs are every version the database has deployed (one SELECT)."""
    rows = session.execute(union_all(
        select(literal(RULE_FILE).label("pack_id"), RuleFileVersion.sha256.label("digest"))
        .where(RuleFileVersion.status == VersionStatus.DEPLOYED.value),
        select(RegulationPackVersion.pack_id, RegulationPackVersion.digest)
        .where(RegulationPackVersion.status == PackVersionStatus.DEPLOYED.value))).all()
    return (rule_deployment.runs({digest for pack_id, digest in rows if pack_id == RULE_FILE})
            and pack_running.runs((pack_id, digest) for pack_id, digest in rows if pack_id != RULE_FILE))


def follow_on(session: Session, session_factory: Callable[[], Session]) -> None:
    """Check on ``session`` (a request's own, its first statement) and reload through ``session_factory`` when this
    process runs something else. A database not ready (no tables yet) is left for later, as at start; a lost
    connection is raised (the web app runs the request again on a new one)."""
    try:
        synced = in_sync(session)
    except SQLAlchemyError as error:
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            raise
        session.rollback()
        log.debug("deployed versions not checked (database not ready?): %s", error.__class__.__name__)
        return
    if not synced:
        follow(session_factory)


def follow(session_factory: Callable[[], Session]) -> None:
    """Reload what does not run the deployed version (rule files first: a pack version takes their texts)."""
    rule_deployment.follow_deployed(session_factory, check_first=True)
    pack_running.follow_deployed(session_factory, check_first=True)
