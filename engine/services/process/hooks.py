"""Domain hooks on workflow steps: what a step must also do (draft an order, record a decision, file a
stage report).

A user task names the hook its completion runs in its BPMN (``<spiffworkflow:property name="hook"
value="sign_order"/>``); the domain registers its hooks by those names in a ``HookTable`` (built by
``engine.bootstrap``), next to the hooks that run after every step. A definition naming a hook the table
does not have is refused at deploy, at start and at the step itself (``missing_hooks``), never skipped.
Hooks run inside the step's transaction: one that raises undoes the whole step.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.db.models import WorkflowInstance
from engine.errors import NastavnikError, WorkflowDefinitionError
from engine.services.people.actor import Actor
from engine.workflow import ElementInfo, Problem, UserTaskView, WorkflowRuntime
from engine.workflow.bpmn_xml import unknown_hook_message


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

    @property
    def task(self) -> UserTaskView:
        """The completed user task, for a hook a task names (``on_task``): those always run after one."""
        if self.completed is None:
            raise NastavnikError(f"процесс №{self.instance.id}: обработчик задачи вызван на шаге без выполненной "
                                 "задачи")
        return self.completed


StepHook = Callable[[Step], None]


class HookTable:
    """The hooks of one domain: by the name a user task declares, and those run after every step
    (start, task, message, timers — the actor is SYSTEM for timers)."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[StepHook]] = {}
        self._every_step: list[StepHook] = []

    def on_task(self, name: str, hook: StepHook) -> StepHook:
        """Run ``hook`` when a user task declaring ``hook=name`` is completed (once, however often added)."""
        registered = self._by_name.setdefault(name, [])
        if hook not in registered:
            registered.append(hook)
        return hook

    def on_every_step(self, hook: StepHook) -> StepHook:
        if hook not in self._every_step:
            self._every_step.append(hook)
        return hook

    def names(self) -> frozenset[str]:
        """The hook names a process definition may declare."""
        return frozenset(name for name, hooks in self._by_name.items() if hooks)

    def for_task(self, name: str) -> list[StepHook]:
        return list(self._by_name.get(name, ()))

    def every_step(self) -> list[StepHook]:
        return list(self._every_step)


def missing_hooks(table: HookTable, elements: Iterable[ElementInfo], filename: str) -> list[Problem]:
    """The elements naming a hook ``table`` does not have, one problem each (naming the element)."""
    known = table.names()
    return [Problem(filename, element.element_id, element.name, unknown_hook_message(element.hook, known))
            for element in elements if element.hook and element.hook not in known]


def run_hooks(session: Session, table: HookTable, runtime: WorkflowRuntime, workflow, instance: WorkflowInstance,
              completed: UserTaskView | None, actor: Actor) -> None:
    """The hooks the completed task names (``WorkflowDefinitionError`` when the table has none of that
    name), then those for every step."""
    hooks: list[StepHook] = []
    if completed is not None and completed.hook:
        hooks = table.for_task(completed.hook)
        if not hooks:
            source = instance.definition.source_path or f"{instance.definition.process_id}.bpmn"
            raise WorkflowDefinitionError(
                [Problem(source, completed.element_id, completed.element_name,
                         unknown_hook_message(completed.hook, table.names()))],
                where=f"{instance.definition.process_id} версия {instance.definition.version}")
    hooks += table.every_step()
    if hooks:
        step = Step(session, instance, actor, runtime.workflow_data(workflow), completed,
                    runtime.ready_user_tasks(workflow))
        for hook in hooks:
            hook(step)
