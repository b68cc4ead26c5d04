"""Scripts stopped at a bound (``ScriptIncident``, recorded by ``engine.services.process.step_guard``), as a
methodologist sees them: those in her organizations' work and those of the versions her organizations stored
(whoever ran them), newest first. The step each stopped was not committed."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from engine.db.models import ProcessDefinition, ScriptIncident
from engine.services.methodology.workflow_versions import WITHOUT_SOURCE
from engine.services.people.actor import Actor
from engine.services.process.definitions import DEPLOYER_ROLE, require_deployer

SHOWN = 50


def recent(session: Session, actor: Actor, limit: int = SHOWN) -> list[ScriptIncident]:
    """The newest ``limit`` incidents the actor may see (the system: all)."""
    require_deployer(actor)
    stmt = (select(ScriptIncident).outerjoin(ProcessDefinition, ScriptIncident.definition_id == ProcessDefinition.id)
            .options(joinedload(ScriptIncident.definition).options(*WITHOUT_SOURCE))
            .order_by(ScriptIncident.occurred_at.desc(), ScriptIncident.id.desc()).limit(limit))
    if not actor.is_system:
        mine = actor.organizations(DEPLOYER_ROLE)
        stmt = stmt.where(or_(ScriptIncident.organization_id.in_(mine), ProcessDefinition.organization_id.in_(mine)))
    return list(session.scalars(stmt).unique())
