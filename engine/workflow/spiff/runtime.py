"""Running process instances on our parser, script engine and clock (``WorkflowRuntime``)."""
from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine.errors import NastavnikError, NotFound
from engine.workflow.bpmn_xml import one_line, role_for_lane
from engine.workflow.clock import Clock, SystemClock, clock_functions, to_utc
from engine.workflow.effects import EFFECT_PROPERTY, effects_of
from engine.workflow.sandbox import ScriptLimitExceeded
from engine.workflow.spiff.definitions import ProcessSpec, migrate_state
from engine.workflow.spiff.migration import MigrationPlan, migrate, plan_migration
from engine.workflow.spiff.specs import (
    SERIALIZER,
    WORKFLOW_FORMAT,
    WORKFLOW_VERSION,
    Decide,
    PayloadMessageEventDefinition,
    SandboxScriptEngine,
    WorkflowRunError,
    element_where,
    json_copy,
    located,
)
from engine.workflow.spiff.task_tree import EngineSteps, compact, require_shallow

# ---- running -------------------------------------------------------------------------------

@dataclass(frozen=True)
class UserTaskView:
    task_id: str
    element_id: str
    element_name: str | None
    lane: str | None
    role: str | None
    form: str | None
    data: dict
    fields: str | None = None  # the task's ``fields`` property: a diagram's own form declares its data
    hook: str | None = None  # the domain hook its completion runs (property ``hook``)
    petition: str | None = None  # the petition it decides (property ``petition``): the pack names the decider
    effects: tuple[str, ...] = ()  # the domain effects it carries (property ``effect``)


_ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED


def _is_timer(definition) -> bool:
    if isinstance(definition, MultipleEventDefinition):
        return any(_is_timer(d) for d in definition.event_definitions)
    return isinstance(definition, TimerEventDefinition)


def _message_names(definition) -> set[str]:
    """The messages an event waits for: its own, or one of several (an event-based gateway, a multiple event)."""
    if isinstance(definition, MultipleEventDefinition):
        return set().union(*(_message_names(d) for d in definition.event_definitions))
    return {definition.name} if isinstance(definition, MessageEventDefinition) else set()


def _timer_tasks(workflow) -> list:
    return [t for t in workflow.event_manager.tasks.values() if _is_timer(t.task_spec.event_definition)]


def _advance(workflow) -> None:
    """Engine steps until only people or events are awaited (a timer found due by the final
    refresh of ``do_engine_steps`` is READY but not yet run). Completed loop rounds are dropped as it goes
    and a tree still too deep, or a loop that never waits, is refused (``task_tree``)."""
    previous = None
    steps = EngineSteps(workflow)
    for _ in range(100):
        workflow.do_engine_steps(did_complete_task=steps)
        ready = {t.id for t in workflow.get_tasks(state=TaskState.READY) if not t.task_spec.manual}
        if not ready or ready == previous:
            break
        previous = ready
    compact(workflow)
    require_shallow(workflow)


def _timer_marker(task) -> tuple:
    value = task._get_internal_data("event_value")
    return task.state, (value.get("cycles"), value.get("next")) if isinstance(value, dict) else None


def _has_fired(before: tuple, task) -> bool:
    """A waiting timer ran (or became ready), or a cycle timer moved on to its next round."""
    state, cycle = _timer_marker(task)
    left_waiting = before[0] == TaskState.WAITING and state & (TaskState.READY | TaskState.STARTED | TaskState.COMPLETED)
    return bool(left_waiting) or cycle != before[1]


class WorkflowRuntime:
    """Runs process instances; ``functions`` are offered to scripts by name, next to the clock's
    ``now()``, ``today()``, ``add_days(iso, n)`` and ``add_months(iso, n)``."""

    def __init__(self, *, decide: Decide | None = None, functions: dict[str, Callable] | None = None,
                 clock: Clock | None = None) -> None:
        self.clock = clock or SystemClock()
        self.functions = {**clock_functions(self.clock), **(functions or {})}
        self.engine = SandboxScriptEngine(functions=functions or {}, clock=self.clock, decide=decide)

    def _run(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except NastavnikError:
            raise
        except Exception as exc:
            spec = getattr(exc, "task_spec", None)
            cause: BaseException | None = exc
            while cause is not None and not isinstance(cause, NastavnikError):
                cause = cause.__cause__ or cause.__context__
            element_id = getattr(spec, "bpmn_id", None)
            if isinstance(cause, ScriptLimitExceeded) and element_id:
                raise cause.for_element(element_id, one_line(getattr(spec, "bpmn_name", None))) from exc
            if cause is not None:
                raise located(cause, spec) from exc
            raise WorkflowRunError(f"ошибка выполнения процесса: {type(exc).__name__}: {exc}",
                                   where=element_where(spec)) from exc

    def start(self, spec: ProcessSpec, data: dict | None = None) -> BpmnWorkflow:
        initial = json_copy(data or {}, "data")
        workflow = BpmnWorkflow(spec.spiff_spec, spec.subprocess_specs, script_engine=self.engine)
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(copy.deepcopy(initial))
        self._run(lambda: _advance(workflow))
        return workflow

    def ready_user_tasks(self, workflow: BpmnWorkflow) -> list[UserTaskView]:
        views = []
        for task in workflow.get_tasks(state=TaskState.READY, manual=True):
            spec = task.task_spec
            props = getattr(spec, "extensions", {}).get("properties", {})
            views.append(UserTaskView(str(task.id), spec.bpmn_id, one_line(spec.bpmn_name), spec.lane,
                                      role_for_lane(spec.lane), props.get("form"), copy.deepcopy(task.data),
                                      fields=props.get("fields"), hook=props.get("hook"),
                                      petition=props.get("petition"),
                                      effects=effects_of(props.get(EFFECT_PROPERTY))))
        return views

    def _ready_task(self, workflow: BpmnWorkflow, task_id: str):
        try:
            task = workflow.get_task_from_id(UUID(str(task_id)))
        except Exception:
            task = None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise NotFound("задача не найдена или уже выполнена", where=str(task_id))
        return task

    def complete_user_task(self, workflow: BpmnWorkflow, task_id: str, data: dict | None = None) -> None:
        """Merge ``data`` into the task, complete it and run the engine until it waits again."""
        task = self._ready_task(workflow, task_id)
        update = json_copy(data or {}, "data")
        if not isinstance(update, dict):
            raise WorkflowRunError("данные задачи должны быть словарём")

        def action():
            task.data.update(update)
            task.run()
            _advance(workflow)
        self._run(action)

    def fire_due_timers(self, workflow: BpmnWorkflow) -> int:
        """Fire the timers due by the clock and run the engine; returns how many fired."""
        tasks = _timer_tasks(workflow)
        before = {task.id: _timer_marker(task) for task in tasks}

        def action():
            workflow.refresh_timers()
            _advance(workflow)
        self._run(action)
        return sum(1 for task in tasks if _has_fired(before[task.id], task))

    def next_timer_at(self, workflow: BpmnWorkflow) -> datetime | None:
        """The earliest time a waiting timer is due (for scheduling ``fire_due_timers``)."""
        due = []
        for task in _timer_tasks(workflow):
            value = task._get_internal_data("event_value")
            value = value.get("next") if isinstance(value, dict) else value
            if isinstance(value, str):
                due.append(to_utc(value))
        return min(due, default=None)

    def send_message(self, workflow: BpmnWorkflow, name: str, payload: dict | None = None) -> int:
        """Deliver a message to the events waiting for it; NotFound when none is waiting."""
        body = json_copy(payload or {}, "payload")
        event = BpmnEvent(PayloadMessageEventDefinition(name), payload=body)

        def action():
            caught = workflow.event_manager.catch(event, internal=False)
            if caught:
                _advance(workflow)
            return caught
        caught = self._run(action)
        if not caught:
            raise NotFound(f"процесс сейчас не ожидает сообщения «{name}»")
        return caught

    def waiting_messages(self, workflow: BpmnWorkflow) -> list[str]:
        """Names of the messages ``send_message`` can deliver right now."""
        if workflow.is_completed():
            return []
        names: set[str] = set()
        for task in workflow.event_manager.tasks.values():
            names |= _message_names(task.task_spec.event_definition)
        for process in [workflow, *workflow.get_active_subprocesses()]:  # event subprocess starts
            for spec_name in getattr(process.spec.start, "trigger_specs", {}):
                for start in workflow.subprocess_specs[spec_name].bpmn_start_events:
                    if isinstance(start.event_definition, MessageEventDefinition):
                        names.add(start.event_definition.name)
        return sorted(names)

    @staticmethod
    def is_completed(workflow: BpmnWorkflow) -> bool:
        return workflow.is_completed()

    @staticmethod
    def workflow_data(workflow: BpmnWorkflow) -> dict:
        """Process data: the final data when completed, else the merged data of active tasks."""
        if workflow.is_completed():
            return copy.deepcopy(workflow.data)
        merged: dict = {}
        for task in sorted(workflow.get_tasks(state=_ACTIVE), key=lambda t: t.last_state_change):
            merged.update(task.data)
        return copy.deepcopy(merged)

    @staticmethod
    def _element_ids(workflow: BpmnWorkflow, mask: int) -> set[str]:
        return {t.task_spec.bpmn_id for t in workflow.get_tasks()
                if t.state & mask and getattr(t.task_spec, "bpmn_id", None)}

    def completed_element_ids(self, workflow: BpmnWorkflow) -> set[str]:
        return self._element_ids(workflow, TaskState.COMPLETED)

    def active_element_ids(self, workflow: BpmnWorkflow) -> set[str]:
        return self._element_ids(workflow, _ACTIVE)

    @staticmethod
    def serialize(workflow: BpmnWorkflow) -> str:
        # What serialize_json does (SpiffWorkflow 3.2.0, pinned), inside our envelope and encoded once.
        registry = SERIALIZER.registry
        registry._encoder_mode = True
        try:
            state = SERIALIZER.to_dict(workflow)
            state[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
            return json.dumps({"format": WORKFLOW_FORMAT, "version": WORKFLOW_VERSION, "spiff": state},
                              cls=SERIALIZER._encoder_cls, ensure_ascii=False)
        finally:
            registry._encoder_mode = False

    @staticmethod
    def serialize_without_spec(workflow: BpmnWorkflow) -> tuple[str, int]:
        """``serialize``'s text without the spec members (``"spec": …, "subprocess_specs": …, ``) and where they
        stood: ``text[:at] + members + text[at:]`` is ``serialize``'s text, byte for byte — but the spec is never
        converted or encoded (for a workflow running on its definition's unchanged spec, which is stored once)."""
        registry = SERIALIZER.registry
        encoder = SERIALIZER._encoder_cls
        registry._encoder_mode = True
        try:  # BpmnWorkflowConverter.to_dict's members, in its order, the spec's left out
            head = {
                "data": registry.convert(registry.clean(workflow.data)),
                "correlations": workflow.correlations,
                "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
                "success": workflow.success,
                "completed": workflow.completed,
                "tasks": {str(k): registry.convert(v) for k, v in workflow.tasks.items()},
                "root": str(workflow.task_tree.id),
            }
            tail = {
                "subprocesses": {str(k): registry.convert(v) for k, v in workflow.subprocesses.items()},
                "bpmn_events": registry.convert(workflow.bpmn_events),
                "typename": registry.typenames[type(workflow)],
                SERIALIZER.VERSION_KEY: SERIALIZER.VERSION,
            }
            prefix = json.dumps({"format": WORKFLOW_FORMAT, "version": WORKFLOW_VERSION, "spiff": {}})[:-2]
            first = prefix + json.dumps(head, cls=encoder, ensure_ascii=False)[1:-1] + ", "
            return first + json.dumps(tail, cls=encoder, ensure_ascii=False)[1:-1] + "}}", len(first)
        finally:
            registry._encoder_mode = False

    @staticmethod
    def plan_move(workflow: BpmnWorkflow, spec: ProcessSpec) -> MigrationPlan:
        """Whether ``workflow`` can move to ``spec`` (another version of its process) and what stands in the way
        (``migration``); nothing is changed."""
        return plan_migration(workflow, spec)

    def move(self, workflow: BpmnWorkflow, spec: ProcessSpec) -> MigrationPlan:
        """Move ``workflow`` onto ``spec`` and run the engine until it waits again; ``WorkflowRunError`` naming the
        elements when it cannot (then the object is unchanged) or when the moved state would not restore (then
        discard the object, as after any failed call)."""
        def action() -> MigrationPlan:
            plan = migrate(workflow, spec)
            _advance(workflow)
            return plan
        plan = self._run(action)
        self.deserialize(self.serialize(workflow))  # the moved state must read back on the new version
        return plan

    def adopt(self, workflow: BpmnWorkflow) -> BpmnWorkflow:
        """A workflow restored earlier (by another runtime), to run on this one's clock, rules and functions."""
        workflow.script_engine = self.engine
        return workflow

    def deserialize(self, text: str, spec: ProcessSpec | None = None) -> BpmnWorkflow:
        """The workflow saved in ``text``; with ``spec``, a text without the spec members
        (``serialize_without_spec``) run on ``spec``'s objects (which the workflow may change: lend it to one
        workflow only, ``spec_pool``). ``SpecNeeded`` when such a text is of an older engine version (its
        migration may rewrite the spec: restore the whole text instead)."""
        try:
            doc = json.loads(text)
        except (TypeError, ValueError):
            raise WorkflowRunError("сохранённое состояние процесса повреждено") from None
        if spec is not None and isinstance(doc, dict) and doc.get("version") != WORKFLOW_VERSION:
            raise SpecNeeded("состояние процесса сохранено прежней версией формата")
        state = migrate_state(doc).get("spiff")
        if spec is not None:
            if not isinstance(state, dict) or state.get(SERIALIZER.VERSION_KEY) != SERIALIZER.VERSION:
                raise SpecNeeded("состояние процесса сохранено другой версией движка")
            state["spec"], state["subprocess_specs"] = spec.spiff_spec, dict(spec.subprocess_specs)
        try:
            SERIALIZER.migrate(state)
            workflow = SERIALIZER.from_dict(state)
        except Exception as exc:
            raise WorkflowRunError(f"сохранённое состояние процесса не читается: {type(exc).__name__}: {exc}") from exc
        workflow.script_engine = self.engine
        return workflow


class SpecNeeded(WorkflowRunError):
    """A state saved without its spec cannot be run on a spec object as it is (``WorkflowRuntime.deserialize``)."""
