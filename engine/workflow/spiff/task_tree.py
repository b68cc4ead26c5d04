"""Loops keep working: the task tree of a running instance is kept shallow, and a step that would still go
too deep is refused with a Russian error instead of ending silently.

SpiffWorkflow 3.2.0 keeps every task it ever ran, each a child of the one before it: a loop — a report
returned again and again, a script loop in a diagram — adds a level per element per round. Its ``TaskIterator``
(behind ``get_tasks``, ``is_completed``, ``do_engine_steps``) stops at depth 1000 without a word: past it the
ready tasks are invisible, the engine stops, and the workflow reports itself completed with its data lost
(issue 11: a report returned ~330 times left the program with no open step; a 500-round loop was stored as
«completed»). So:

* ``compact`` drops completed rounds of a loop: on the path from the root to an unfinished task, a run of
  completed tasks (each with only finished side branches) that visits the same element three times or more
  loses the rounds before the last completed one (the element's previous round stays, so the diagram still
  marks what was done). Nothing shallower than ``COMPACT_AT`` is touched: ordinary instances keep their
  whole history.
* ``EngineSteps`` counts the automatic steps of one advance and compacts as they go; past ``MAX_ENGINE_STEPS``
  (a loop that never waits for a person) the step is refused.
* ``require_shallow`` refuses a tree that is still deeper than ``DEPTH_LIMIT`` (a shape ``compact`` cannot
  shorten) before SpiffWorkflow's iterator would lose part of it.
"""
from __future__ import annotations

from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.workflow.spiff.specs import WorkflowRunError, element_where

COMPACT_AT = 300  # depth from which completed loop rounds are dropped
DEPTH_LIMIT = 900  # SpiffWorkflow's TaskIterator stops at 1000
MAX_ENGINE_STEPS = 5_000  # automatic steps in one advance: more is a loop that never waits for anyone
COMPACT_EVERY = 200  # automatic steps between compactions within one advance


class LoopLimitExceeded(WorkflowRunError):
    """A step refused at a bound of the process's own run: ``bound`` is ``steps`` (automatic steps in a row)
    or ``depth`` (a task tree ``compact`` cannot shorten); ``limit`` the number. The step is not stored. Like
    a script stopped at its bound it is an incident for the methodologist (the same fields: bound, limit,
    where)."""

    def __init__(self, bound: str, limit: int, message: str, *, where: str | None = None) -> None:
        self.bound, self.limit = bound, limit
        super().__init__(message, where=where)


def _workflows(workflow: BpmnWorkflow) -> list:
    return [workflow, *workflow.subprocesses.values()]


def _depths(wf) -> dict[UUID, int]:
    depths: dict[UUID, int] = {}
    for task in wf.tasks.values():
        chain = []
        node = task
        while node is not None and node.id not in depths:
            chain.append(node)
            node = wf.tasks.get(node._parent) if node._parent is not None else None
        base = depths[node.id] if node is not None else -1
        for step, item in enumerate(reversed(chain), start=1):
            depths[item.id] = base + step
    return depths


def max_depth(workflow: BpmnWorkflow) -> int:
    return max((max(_depths(wf).values(), default=0) for wf in _workflows(workflow)), default=0)


def _path(wf, task) -> list:
    path = [task]
    while path[-1]._parent is not None and path[-1]._parent in wf.tasks:
        path.append(wf.tasks[path[-1]._parent])
    return path[::-1]


def _finished_subtree(wf, task) -> bool:
    stack = [task]
    while stack:
        node = stack.pop()
        if not node.has_state(TaskState.FINISHED_MASK):
            return False
        stack.extend(wf.tasks[child] for child in node._children if child in wf.tasks)
    return True


def _subtree_ids(wf, task) -> list[UUID]:
    ids, stack = [], [task]
    while stack:
        node = stack.pop()
        ids.append(node.id)
        stack.extend(wf.tasks[child] for child in node._children if child in wf.tasks)
    return ids


def _removable(wf, path: list, k: int) -> bool:
    node, onward = path[k], path[k + 1].id
    return node.state == TaskState.COMPLETED and all(
        _finished_subtree(wf, wf.tasks[child]) for child in node._children if child != onward and child in wf.tasks)


def _longest_round_run(wf, path: list) -> tuple[int, int] | None:
    """(first, kept): the path's tasks ``first`` … ``kept - 1`` are completed rounds of a loop that may go,
    ``kept`` starts the last completed round; None when no run of completed tasks visits an element 3 times."""
    best: tuple[int, int] | None = None
    start = None
    for k in range(1, len(path)):
        ok = k < len(path) - 1 and _removable(wf, path, k)
        if ok and start is None:
            start = k
        if ok or start is None:
            continue
        seen: dict[str, list[int]] = {}
        for index in range(start, k + 1):  # the run and the task it leads to
            seen.setdefault(path[index].task_spec.name, []).append(index)
        for visits in seen.values():
            if len(visits) >= 3 and (best is None or visits[-2] - visits[0] > best[1] - best[0]):
                best = (visits[0], visits[-2])
        start = None
    return best


def _cut(workflow: BpmnWorkflow, wf, path: list) -> bool:
    """Drop the longest run of completed rounds on ``path`` (root … unfinished task); True when cut."""
    found = _longest_round_run(wf, path)
    if found is None:
        return False
    first, kept = found
    parent, keep = path[first - 1], path[kept]
    doomed: list[UUID] = []
    for k in range(first, kept):
        doomed.append(path[k].id)
        doomed += [task_id for child in path[k]._children if child != path[k + 1].id and child in wf.tasks
                   for task_id in _subtree_ids(wf, wf.tasks[child])]
    for task_id in doomed:
        if task_id in workflow.subprocesses:
            workflow.delete_subprocess(wf.tasks[task_id])
    for task_id in doomed:
        wf.tasks.pop(task_id, None)
    parent._children = [keep.id if child == path[first].id else child for child in parent._children]
    keep._parent = parent.id
    if wf.last_task is not None and wf.last_task.id not in wf.tasks:
        wf.last_task = keep
    return True


def compact(workflow: BpmnWorkflow) -> int:
    """Drop completed loop rounds from every (sub)workflow deeper than ``COMPACT_AT``; how many cuts."""
    cuts = 0
    for wf in _workflows(workflow):
        depths = _depths(wf)
        if max(depths.values(), default=0) < COMPACT_AT:
            continue
        deep = sorted((t for t in wf.tasks.values() if depths[t.id] >= COMPACT_AT
                       and not t.has_state(TaskState.FINISHED_MASK)), key=lambda t: -depths[t.id])
        for task in deep:
            while task.id in wf.tasks and _cut(workflow, wf, _path(wf, task)):
                cuts += 1
    return cuts


def require_shallow(workflow: BpmnWorkflow) -> None:
    """A tree SpiffWorkflow would no longer see whole is refused: the step is not stored."""
    depth = max_depth(workflow)
    if depth >= DEPTH_LIMIT:
        raise LoopLimitExceeded("depth", DEPTH_LIMIT,
            f"процесс остановлен: цепочка выполненных шагов слишком длинна ({depth} при пределе {DEPTH_LIMIT}) и "
            "не сокращается — вероятно, цикл без ожидания людей или сложная петля. Шаг не выполнен, данные "
            "процесса не изменены; исправьте схему (ограничьте число повторов цикла)")


class EngineSteps:
    """``did_complete_task`` of one advance: counts automatic steps, compacts every ``COMPACT_EVERY``, refuses a
    loop that has run ``MAX_ENGINE_STEPS`` steps without waiting for a person or an event."""

    def __init__(self, workflow: BpmnWorkflow) -> None:
        self.workflow = workflow
        self.count = 0

    def __call__(self, task) -> None:
        self.count += 1
        if self.count > MAX_ENGINE_STEPS:
            raise LoopLimitExceeded("steps", MAX_ENGINE_STEPS,
                f"процесс остановлен: более {MAX_ENGINE_STEPS} автоматических шагов подряд без участия людей — "
                "вероятно, бесконечный цикл. Шаг не выполнен, данные процесса не изменены",
                where=element_where(task.task_spec))
        if self.count % COMPACT_EVERY == 0:
            compact(self.workflow)
