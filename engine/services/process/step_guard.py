"""Running one step of an instance, guarded (``run_step``): on any error the session is rolled back and the
error re-raised, so nothing half-done can be committed; a concurrent change of the same instance (optimistic
lock on ``WorkflowInstance.version``) becomes ``ConflictError``; a script stopped at a bound (a script's own
bound or the run's, a loop that never waits) is recorded as a ``ScriptIncident``, committed on its own
(``record_incident``; the same breach of the same instance within ``INCIDENT_REPEAT_WINDOW`` is one incident).
The steps themselves are ``engine.services.process.instances``."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine import events
from engine.db.batching import flush_deferred
from engine.db.models import Organization, ScriptIncident, WorkflowInstance, latest_definition
from engine.db.step_scope import step_scope
from engine.db.types import utcnow
from engine.documents.basics import zone_of
from engine.errors import ConflictError
from engine.events import emit
from engine.services.people.actor import Actor
from engine.workflow import LoopLimitExceeded, ScriptLimitExceeded, scripts_running_for

log = logging.getLogger(__name__)

T = TypeVar("T")


def run_step(session: Session, instance_id: Any, work: Callable[[], T], *, actor: Actor,
             start: tuple[str, int] | None = None, loaded: WorkflowInstance | None = None) -> T:
    """Run ``work`` and flush; on any error roll the session back (nothing half-done survives). A script
    stopped at a bound is then recorded as an incident, committed on its own (``start``: the process id and
    organization of a start; ``loaded``: the instance, loaded with its organization by the caller)."""
    organization: Organization | None
    organization_id: int | None
    if loaded is not None:
        organization, organization_id = loaded.organization, loaded.organization_id
    elif start:
        organization, organization_id = session.get(Organization, start[1]), start[1]
    else:
        organization = _organization_of(session, instance_id)
        organization_id = organization.id if organization is not None else None
    zone = zone_of(organization).key if organization is not None else None  # what a script's today() is
    try:
        with step_scope(session) as scope:  # rows read once, the trail written together (engine.db.step_scope)
            with scripts_running_for(organization_id, zone):  # one organization's scripts leave a worker for the others
                result = work()
            scope.write(session)
            if not flush_deferred(session):  # a batch of jobs flushes once (engine.db.batching)
                session.flush()
        return result
    except StaleDataError:
        session.rollback()
        raise ConflictError(f"процесс №{instance_id} уже изменён другим пользователем; обновите страницу") from None
    except BaseException as error:
        session.rollback()
        breach = _breach(error)
        if breach is not None:
            record_incident(session, breach, actor, instance_id if isinstance(instance_id, int) else None, start)
        raise


def _organization_of(session: Session, instance_id: Any) -> Organization | None:
    """The instance's organization (one statement; the step's later ``instance.organization`` finds it loaded)."""
    if not isinstance(instance_id, int):
        return None
    return session.scalar(select(Organization).join(WorkflowInstance, WorkflowInstance.organization_id == Organization.id)
                          .where(WorkflowInstance.id == instance_id))


INCIDENT_REPEAT_WINDOW = timedelta(hours=24)
Breach = ScriptLimitExceeded | LoopLimitExceeded  # a script's bound, or the run's own (a loop that never waits)


def _breach(error: BaseException) -> Breach | None:
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, (ScriptLimitExceeded, LoopLimitExceeded)):
        cause = cause.__cause__ or cause.__context__
    if cause is None or getattr(cause, "recorded", False):
        return None
    return cause


def record_incident(session: Session, breach: Breach, actor: Actor, instance_id: int | None,
                    start: tuple[str, int] | None) -> None:
    """One ``ScriptIncident`` row, committed (the step itself was rolled back); a failure to record is logged."""
    breach.recorded = True  # type: ignore[union-attr]  # a nested step's incident is recorded once
    definition = None
    organization_id = start[1] if start else None
    if instance_id is not None and (instance := session.get(WorkflowInstance, instance_id)) is not None:
        definition, organization_id = instance.definition, instance.organization_id
    elif start is not None:
        definition = latest_definition(session, start[0], start[1])
    if instance_id is not None and _recorded_lately(session, instance_id, breach):
        log.warning("script stopped at a bound again: %s", breach.message)
        return
    try:
        session.add(ScriptIncident(
            organization_id=organization_id, instance_id=instance_id, definition=definition,
            process_id=definition.process_id if definition else (start[0] if start else "—"),
            element_id=breach.where, bound=breach.bound, message=breach.message, actor_id=actor.person_id))
        emit(session, events.INCIDENT, source="script", kind=definition.process_id if definition else "—")
        session.commit()
    except Exception:
        session.rollback()
        log.exception("script incident not recorded: %s", breach.message)
    log.warning("script stopped at a bound: %s", breach.message)


def _recorded_lately(session: Session, instance_id: int, breach: Breach) -> bool:
    """The same breach of the same instance within ``INCIDENT_REPEAT_WINDOW`` (a timer retried on every
    scheduler run, a person pressing again) is one incident, not one per try."""
    return session.scalar(select(ScriptIncident.id).where(
        ScriptIncident.instance_id == instance_id, ScriptIncident.element_id == breach.where,
        ScriptIncident.bound == breach.bound, ScriptIncident.occurred_at >= utcnow() - INCIDENT_REPEAT_WINDOW,
    ).limit(1)) is not None
