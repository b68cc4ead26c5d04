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

from engine.db.models import ProcessDefinition, WorkflowInstance
from engine.errors import NastavnikError, WorkflowDefinitionError
from engine.services.people.actor import Actor
from engine.workflow import ElementInfo, Problem, UserTaskView, WorkflowRuntime
from engine.workflow.bpmn_conventions import unknown_hook_message


@dataclass(frozen=True)
class Step:
    """What a domain hook sees: the step's session, instance and actor; the process data after the
    step; the completed user task (its whole task data, the form's fields included) or None; the user
    tasks ready now (with their data); and those the step withdrew: open before it, gone after it without
    anyone completing them (an interrupting event cancelled them: a petition that stops the stage) — a
    record kept for such a task must follow what the process did."""

    session: Session
    instance: WorkflowInstance
    actor: Actor
    data: dict
    completed: UserTaskView | None
    ready: list[UserTaskView]
    withdrawn: tuple[UserTaskView, ...] = ()  # open before the step, closed by it without being completed
    opened: tuple[UserTaskView, ...] = ()  # ready after the step and not before it: the tasks the step gave someone

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
        self._by_name: dict[str, StepHook] = {}
        self._every_step: list[StepHook] = []

    def on_task(self, name: str, hook: StepHook) -> StepHook:
        """Run ``hook`` when a user task declaring ``hook=name`` is completed; a name has one hook, so a
        second one for a taken name is a mistake of the domain's wiring, refused."""
        if self._by_name.get(name, hook) is not hook:
            raise NastavnikError(f"«{name}» объявлен дважды: у обработчика шага одно имя", where="engine.bootstrap")
        self._by_name[name] = hook
        return hook

    def on_every_step(self, hook: StepHook) -> StepHook:
        if hook not in self._every_step:
            self._every_step.append(hook)
        return hook

    def names(self) -> frozenset[str]:
        """The hook names a process definition may declare."""
        return frozenset(self._by_name)

    def for_task(self, name: str) -> list[StepHook]:
        return [self._by_name[name]] if name in self._by_name else []

    def every_step(self) -> list[StepHook]:
        return list(self._every_step)


def missing_hooks(table: HookTable, elements: Iterable[ElementInfo], filename: str) -> list[Problem]:
    """The elements naming a hook ``table`` does not have, one problem each (naming the element)."""
    known = table.names()
    return [Problem(filename, element.element_id, element.name, unknown_hook_message(element.hook, known))
            for element in elements if element.hook and element.hook not in known]


def definition_source(definition: ProcessDefinition) -> str:
    """The file name a stored definition's problems name."""
    return definition.source_path or f"{definition.process_id}.bpmn"


def definition_error(definition: ProcessDefinition, problems: list[Problem]) -> WorkflowDefinitionError:
    return WorkflowDefinitionError(problems, where=f"{definition.process_id} версия {definition.version}")


def run_hooks(session: Session, table: HookTable, runtime: WorkflowRuntime, workflow, instance: WorkflowInstance,
              completed: UserTaskView | None, actor: Actor, ready: list[UserTaskView],
              before: list[UserTaskView] | None = None) -> None:
    """The hooks the completed task names (``WorkflowDefinitionError`` when the table has none of that
    name), then those for every step; ``ready``: the user tasks ready after the step; ``before``: those
    ready before it (what it withdrew is told to the hooks)."""
    hooks: list[StepHook] = []
    if completed is not None and completed.hook:
        hooks = table.for_task(completed.hook)
        if not hooks:
            raise definition_error(instance.definition, [Problem(
                definition_source(instance.definition), completed.element_id, completed.element_name,
                unknown_hook_message(completed.hook, table.names()))])
    hooks += table.every_step()
    if hooks:
        still = {view.task_id for view in ready} | ({completed.task_id} if completed is not None else set())
        withdrawn = tuple(view for view in before or [] if view.task_id not in still)
        was = {view.task_id for view in before or []}
        opened = tuple(view for view in ready if view.task_id not in was)
        step = Step(session, instance, actor, runtime.workflow_data(workflow), completed, ready, withdrawn, opened)
        for hook in hooks:
            hook(step)
