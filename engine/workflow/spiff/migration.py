"""Moving a running workflow to a new version of its process, with SpiffWorkflow's own diff and migration
(``SpiffWorkflow.bpmn.util.diff``: ``diff_workflow`` aligns the instance's task specs with the new version's by
element id, ``migrate_workflow`` swaps them and re-predicts what is open).

    plan = plan_migration(workflow, new_spec)   # read only: what stands in the way, element by element
    plan.movable, plan.obstacles, plan.reopened
    migrate(runtime, workflow, new_spec)         # moves it (``WorkflowRunError`` when it cannot), then advances

What may move: every task the instance holds — open, done or predicted — has its element in the new version
(SpiffWorkflow restores a task only on its spec: a task whose element is gone cannot be kept, and the history a
program has walked is never rewritten), an open element is still the same kind of element, an element running
a part of its own (a subprocess, a multi-instance task: STARTED) is unchanged, and every running subprocess is
still in the new version. Anything else is an ``Obstacle`` naming the element, with the reason in Russian.

What a move does: the tasks take the new version's specs; what is open (READY, WAITING) is reset and predicted
again on the new version, and so is every branch ahead of the program (``_repredict``: SpiffWorkflow re-predicts
neither FUTURE tasks nor what hangs below them, so a task the new version inserts there would be skipped), so a renamed task shows its new name and a changed form, lane or timer applies. A timer
waiting on an unchanged element keeps its due time; a timer whose element changed counts anew from the move
(SpiffWorkflow's reset). The moved state is checked to restore on the new version before it is handed back.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.util.diff import WorkflowDiff, diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from engine.workflow.spiff.definitions import ProcessSpec
from engine.workflow.spiff.specs import SERIALIZER, WorkflowRunError

_OPEN = TaskState.READY | TaskState.WAITING
_AHEAD = TaskState.FUTURE | TaskState.PREDICTED_MASK  # not reached yet: predicted from the version's flows
_DONE = TaskState.COMPLETED | TaskState.CANCELLED | TaskState.ERROR


@dataclass(frozen=True)
class Obstacle:
    """Why an instance cannot move: the element (its BPMN id and name) and the reason, a Russian sentence."""

    element_id: str
    element_name: str | None
    reason: str

    @property
    def text(self) -> str:
        label = f"«{self.element_name}»" if self.element_name else self.element_id
        return self.reason.replace("{element}", label)


@dataclass
class MigrationPlan:
    obstacles: list[Obstacle] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)  # element ids of open tasks whose element changed

    @property
    def movable(self) -> bool:
        return not self.obstacles


def _element(spec, specs: dict) -> tuple[str, str | None]:
    """The BPMN element a task spec stands for: its own id and name, or (for SpiffWorkflow's helper specs, such as
    ``Task_x.BoundaryEventSplit``) the element it was made for."""
    bpmn_id = getattr(spec, "bpmn_id", None)
    if bpmn_id:
        return bpmn_id, getattr(spec, "bpmn_name", None)
    owner = specs.get(spec.name.split(".")[0])
    if owner is not None and getattr(owner, "bpmn_id", None):
        return owner.bpmn_id, getattr(owner, "bpmn_name", None)
    return spec.name.split(".")[0], None


def _obstacles(diff: WorkflowDiff, specs: dict) -> tuple[list[Obstacle], list[str]]:
    found: dict[str, Obstacle] = {}
    reopened = []
    for task in diff.removed:
        element_id, name = _element(task.task_spec, specs)
        if task.state & _OPEN or task.state == TaskState.STARTED:
            reason = (("сейчас открыта задача {element}" if getattr(task.task_spec, "manual", False)
                       else "сейчас выполняется {element}") + ", а в новой версии этого элемента нет")
        elif task.state & _DONE:
            reason = ("программа уже прошла {element}, а в новой версии этого элемента нет: пройденный путь "
                      "не переписывается")
        else:
            reason = ("впереди у программы {element}, а в новой версии этого элемента нет, и ожидание перед ним "
                      "не сбрасывается")
            if _reset_drops(task):
                continue
        found.setdefault(element_id, Obstacle(element_id, name, reason))
    for task in diff.changed:
        if task in diff.removed:
            continue
        element_id, name = _element(task.task_spec, specs)
        new = diff.alignment.get(task)
        if new is not None and type(new) is not type(task.task_spec) and task.state & (_OPEN | TaskState.STARTED):
            found.setdefault(element_id, Obstacle(
                element_id, name, "сейчас выполняется {element}, а в новой версии это элемент другого вида"))
        elif task.state == TaskState.STARTED:
            found.setdefault(element_id, Obstacle(
                element_id, name, "{element} выполняется сейчас по частям (подпроцесс или повторение по списку), "
                                  "а в новой версии он изменён"))
        elif task.state & _OPEN and getattr(task.task_spec, "bpmn_id", None):
            reopened.append(element_id)
    return list(found.values()), sorted(set(reopened))


def _reset_drops(task) -> bool:
    """Whether the move drops this predicted task: a descendant of an open task (``migrate_workflow`` resets those)
    or of a task that is itself ahead of the program (``_repredict`` predicts those branches anew)."""
    node = task.parent
    while node is not None:
        if node.state & (_OPEN | _AHEAD):
            return True
        node = node.parent
    return False


def _repredict(workflow) -> None:
    """Predict again, on the new specs, every branch the program has not reached yet.

    ``migrate_workflow`` resets only the open (READY, WAITING) tasks. A task ahead of the program under a task that
    is neither open nor predicted — the element after a running subprocess (STARTED) or after a passed gateway — is
    FUTURE, and SpiffWorkflow never predicts a FUTURE task's children again: they stay as the old version drew them,
    and a task the new version inserts after it would be skipped. So each such branch keeps its top task (now on
    its new spec) and loses what hangs below it, which is predicted again as ``Task.reset_branch`` does."""
    for task in list(workflow.tasks.values()):
        if task.id not in workflow.tasks or not task.state & _AHEAD:
            continue
        if task.parent is None or task.parent.state & _AHEAD:
            continue
        task._drop_children(force=True)
        task.task_spec._predict(task, mask=TaskState.PREDICTED_MASK | TaskState.FUTURE)


def _diffs(workflow: BpmnWorkflow, new_spec: ProcessSpec) -> tuple[WorkflowDiff, dict]:
    return diff_workflow(SERIALIZER.registry, workflow, new_spec.spiff_spec, new_spec.subprocess_specs)


def plan_migration(workflow: BpmnWorkflow, new_spec: ProcessSpec) -> MigrationPlan:
    """What stands between ``workflow`` and ``new_spec`` (nothing is changed)."""
    top, subprocesses = _diffs(workflow, new_spec)
    plan = MigrationPlan()
    obstacles, plan.reopened = _obstacles(top, workflow.spec.task_specs)
    plan.obstacles.extend(obstacles)
    for sp_id, diff in subprocesses.items():
        sub = workflow.subprocesses[sp_id]
        owner = workflow.get_task_from_id(sp_id)
        if diff is None:
            if owner is not None and not owner.state & _DONE:
                element_id, name = _element(owner.task_spec, workflow.spec.task_specs)
                plan.obstacles.append(Obstacle(element_id, name, "сейчас выполняется подпроцесс {element}, "
                                                                 "а в новой версии его нет"))
            continue
        obstacles, reopened = _obstacles(diff, sub.spec.task_specs)
        plan.obstacles.extend(o for o in obstacles if o.element_id not in {p.element_id for p in plan.obstacles})
        plan.reopened = sorted(set(plan.reopened) | set(reopened))
    return plan


def _kept_timers(workflow: BpmnWorkflow, diffs: list[WorkflowDiff]) -> dict:
    """The internal data (a timer's due time, a message's payload) of open tasks whose element did not change."""
    changed = {task.id for diff in diffs for task in diff.changed}
    return {task.id: dict(task.internal_data) for task in workflow.get_tasks(state=_OPEN)
            if task.id not in changed and task.internal_data}


def migrate(workflow: BpmnWorkflow, new_spec: ProcessSpec) -> MigrationPlan:
    """Move ``workflow`` onto ``new_spec`` in place (``WorkflowRunError`` listing the obstacles, the workflow
    untouched, when it cannot move); the caller advances it and checks it restores (``restorable``)."""
    plan = plan_migration(workflow, new_spec)
    if not plan.movable:
        raise WorkflowRunError("; ".join(o.text for o in plan.obstacles))
    top, subprocesses = _diffs(workflow, new_spec)
    kept = _kept_timers(workflow, [top, *(d for d in subprocesses.values() if d is not None)])
    migrate_workflow(top, workflow, new_spec.spiff_spec)
    _repredict(workflow)
    for sp_id, diff in subprocesses.items():
        sub = workflow.subprocesses.get(sp_id)
        if sub is not None and diff is not None:
            migrate_workflow(diff, sub, new_spec.subprocess_specs[sub.spec.name])
            _repredict(sub)
    workflow.subprocess_specs = dict(new_spec.subprocess_specs)
    for task in workflow.get_tasks(state=_OPEN):
        if task.id in kept:
            task.internal_data.update(kept[task.id])
    return plan
