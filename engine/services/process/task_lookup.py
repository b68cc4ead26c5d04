"""One task of a running instance looked up for an action on it: the open task, or why it is not open
(completed already — when and by whom, from the audit trail — or never there)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import AuditEntry, OpenTask
from engine.errors import ConflictError, NotFound
from engine.services.pages import iso


def open_task(session: Session, instance_id: int, task_id: str) -> OpenTask:
    """The open task; ConflictError when it was completed already; NotFound otherwise."""
    row = session.scalar(select(OpenTask).where(OpenTask.instance_id == instance_id, OpenTask.task_id == task_id))
    if row is not None:
        return row
    done = finished_task(session, instance_id, task_id)
    if done is not None:
        raise ConflictError(f"задача уже выполнена ({done['at']}); обновите список задач", where=task_id)
    raise NotFound(f"нет открытой задачи {task_id} в процессе №{instance_id}")


def finished_task(session: Session, instance_id: int, task_id: str) -> dict[str, Any] | None:
    """When and by whom a task of the instance was completed (from the audit trail), or None."""
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "workflow_instance", AuditEntry.object_id == str(instance_id),
        AuditEntry.action == "workflow.task_completed").order_by(AuditEntry.id.desc()))
    for entry in entries:
        if (entry.details or {}).get("task_id") == str(task_id):
            return {"at": iso(entry.at), "actor_id": entry.actor_id}
    return None
