"""Domain hooks on workflow steps: the domain registers what a step must also do (draft an order, record a
decision, file a stage report) by form id, element id, ``"message:<name>"``, ``"start:<process>"``,
``"timers"`` or ``"*"`` (every step). Hooks run inside the step's transaction: one that raises undoes it."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

from sqlalchemy.orm import Session

from engine.db.models import WorkflowInstance
from engine.services.people.actor import Actor
from engine.workflow import UserTaskView, WorkflowRuntime


@dataclass(frozen=True)
class Step:
    """What a domain hook sees: the step's session, instance and actor; the process data after the
    step; the completed user task (its whole task data, the form's fields included) or None; and the
    user tasks ready now (with their data)."""

    session: Session
    instance: WorkflowInstance
    actor: Actor
    data: dict
    completed: UserTaskView | None
    ready: list[UserTaskView]


StepHook = Callable[[Step], None]
EVERY_STEP = "*"
_hooks: dict[str, list[StepHook]] = {}
_hooks_lock = threading.Lock()


# ---- hooks -----------------------------------------------------------------------------------

def on_step(key: str, hook: StepHook | None = None):
    """Register ``hook`` for a form id, an element id or ``"message:<name>"``; usable as a decorator."""
    def register(fn: StepHook) -> StepHook:
        with _hooks_lock:
            registered = _hooks.setdefault(key, [])
            if fn not in registered:  # installing twice registers once
                registered.append(fn)
        return fn
    return register(hook) if hook is not None else register


def clear_hooks() -> None:
    with _hooks_lock:
        _hooks.clear()


def run_hooks(session: Session, runtime: WorkflowRuntime, workflow, instance: WorkflowInstance,
               completed: UserTaskView | None, actor: Actor, *keys: str | None) -> None:
    """The hooks registered for ``keys``, then those for every step (``EVERY_STEP``)."""
    hooks = _hooks_for(*keys, EVERY_STEP)
    if hooks:
        step = Step(session, instance, actor, runtime.workflow_data(workflow), completed,
                    runtime.ready_user_tasks(workflow))
        for hook in hooks:
            hook(step)


def _hooks_for(*keys: str | None) -> list[StepHook]:
    found: list[StepHook] = []
    for key in dict.fromkeys(k for k in keys if k):
        found.extend(_hooks.get(key, ()))
    return found
