"""The only module that imports SpiffWorkflow: parsing, our task specs, the sandboxed script
engine, clocked timers, messages and (de)serialization.

Definitions
- ``check_bpmn(data, filename, known_rulesets=) -> list[Problem]`` never raises;
  ``load_process(...) -> ProcessSpec`` raises ``WorkflowDefinitionError``.
- ``serialize_spec`` / ``deserialize_spec`` store a parsed definition once (key: ``spec.sha256``).

Running (``WorkflowRuntime``) — a workflow object is in-memory state: persist it with
``serialize`` after every call. When a call raises, the object may be half-changed (a task in
ERROR): discard it and reload the last saved state. Errors from scripts and rules surface as
``NastavnikError`` subclasses (``SandboxViolation``, the rules' own errors, ``WorkflowRunError``)
with ``where`` naming the BPMN element.

Timers read the runtime's ``Clock`` (via the script engine); they fire when due <= now.
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.parser.BpmnParser import XSD_PATH
from SpiffWorkflow.bpmn.parser.event_parsers import EventDefinitionParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.event_definition import TimerConditionalEventDefinitionConverter
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition, DurationTimerEventDefinition, TimeDateEventDefinition, TimerEventDefinition)
from SpiffWorkflow.spiff.parser.process import SPIFF_XSD, SpiffBpmnParser
from SpiffWorkflow.spiff.parser.task_spec import SpiffTaskParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.serializer.event_definition import MessageEventDefinitionConverter
from SpiffWorkflow.spiff.serializer.task_spec import SpiffBpmnTaskConverter
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.spiff.specs.spiff_task import SpiffBpmnTask
from SpiffWorkflow.util.task import TaskState

from engine.errors import NastavnikError, NotFound, WorkflowDefinitionError
from engine.workflow import bpmn_xml, sandbox
from engine.workflow.bpmn_xml import Problem, role_for_lane
from engine.workflow.clock import Clock, SystemClock, clock_functions, to_utc

Decide = Callable[[str, dict], dict]
WORKFLOW_FORMAT, WORKFLOW_VERSION = "nastavnik.workflow", 1
SPEC_FORMAT, SPEC_VERSION = "nastavnik.process", 1
# {from_version: fn(doc) -> doc}; each step upgrades the saved state by one version.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}


class WorkflowRunError(NastavnikError):
    """Running a process failed (bad data, a failing script, an unsupported element)."""


def _where(spec) -> str | None:
    bpmn_id = getattr(spec, "bpmn_id", None)
    if not bpmn_id:
        return None
    name = getattr(spec, "bpmn_name", None)
    return f"{bpmn_id} «{name}»" if name else bpmn_id


def _located(err: NastavnikError, spec) -> NastavnikError:
    where = _where(spec)
    if err.where is None and where:
        err = copy.copy(err)
        err.where = where
        err.args = (f"{where}: {err.message}",)
    return err


def _json_copy(value: Any, name: str) -> Any:
    try:
        sandbox.ensure_json(value, name)
    except sandbox.SandboxViolation as exc:
        raise WorkflowRunError(exc.message) from None
    return json.loads(json.dumps(value))


# ---- timers: all "now" comes from the runtime's clock ------------------------------------

def _now(my_task) -> datetime:
    clock = getattr(my_task.workflow.script_engine, "clock", None)
    return (clock or SystemClock()).now()


def _timer_value(my_task, expression: str, parse: Callable[[str], Any]) -> Any:
    """Parse an ISO literal as written (quotes optional), else a sandboxed expression's value."""
    text = (expression or "").strip()
    if not bpmn_xml.ISO_TIMER_LITERAL.match(text):
        text = str(my_task.workflow.script_engine.evaluate(my_task, text)).strip()
    try:
        return parse(text)
    except Exception:
        raise _located(WorkflowRunError(f"«{text}» — не время и не длительность ISO 8601"),
                       my_task.task_spec) from None


class ClockTimeDateEventDefinition(TimeDateEventDefinition):
    def has_fired(self, my_task):
        value = my_task._get_internal_data("event_value")
        if value is None:
            value = _timer_value(my_task, self.expression, to_utc).isoformat()
            my_task._set_internal_data(event_value=value)
        if to_utc(value) <= _now(my_task):
            my_task._set_internal_data(event_fired=True)
        return my_task._get_internal_data("event_fired", False)


class ClockDurationTimerEventDefinition(DurationTimerEventDefinition):
    def has_fired(self, my_task):
        value = my_task._get_internal_data("event_value")
        if value is None:
            duration = _timer_value(my_task, self.expression, TimerEventDefinition.parse_iso_duration)
            start = _now(my_task)
            value = (start + TimerEventDefinition.get_timedelta_from_start(duration, start)).isoformat()
            my_task._set_internal_data(event_value=value)
        if to_utc(value) <= _now(my_task):
            my_task._set_internal_data(event_fired=True)
        return my_task._get_internal_data("event_fired", False)


class ClockCycleTimerEventDefinition(CycleTimerEventDefinition):
    def cycle_complete(self, my_task):
        now = _now(my_task)
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            cycles, start, duration = _timer_value(my_task, self.expression, lambda v: _parse_cycle(v, now))
            event_value = {"cycles": cycles, "next": start.isoformat(), "duration": duration.total_seconds()}
        ready = False
        if event_value["cycles"] != 0:
            next_event = to_utc(event_value["next"])
            if next_event <= now:
                event_value["next"] = (next_event + timedelta(seconds=event_value["duration"])).isoformat()
                event_value["cycles"] -= 1
                ready = True
        else:
            my_task.internal_data.pop("event_value", None)
            my_task.internal_data["event_fired"] = True
        my_task._set_internal_data(event_value=event_value)
        return ready


def _parse_cycle(expression: str, now: datetime) -> tuple[int, datetime, timedelta]:
    parts = expression.upper().replace("--", "/").strip("R").split("/")
    if len(parts) == 2 and parts[1].startswith("P"):
        duration = TimerEventDefinition.get_timedelta_from_start(
            TimerEventDefinition.parse_iso_duration(parts[1]), now)
        return (int(parts[0]) if parts[0] else -1), now + duration, duration
    return TimerEventDefinition.parse_iso_recurring_interval(expression)


_CLOCK_TIMERS = {
    TimeDateEventDefinition: ClockTimeDateEventDefinition,
    DurationTimerEventDefinition: ClockDurationTimerEventDefinition,
    CycleTimerEventDefinition: ClockCycleTimerEventDefinition,
}


class PayloadMessageEventDefinition(MessageEventDefinition):
    """A message whose payload goes to ``messageVariable`` or, without one, into the task data."""

    def update_task_data(self, my_task):
        if self.message_var is not None:
            return super().update_task_data(my_task)
        payload = my_task.internal_data.pop(self.name, None)
        if isinstance(payload, dict):
            my_task.data.update(copy.deepcopy(payload))


class _OurEventsMixin:
    def parse_timer_event(self, event):
        definition = super().parse_timer_event(event)
        ours = _CLOCK_TIMERS.get(type(definition))
        return ours(definition.name, definition.expression, description=definition.description) if ours else definition

    def parse_message_event(self, message_event):
        d = super().parse_message_event(message_event)
        return PayloadMessageEventDefinition(
            d.name, d.correlation_properties, d.expression, d.message_var, d.process_correlations,
            description=d.description)


# ---- business rules: a businessRuleTask calls the injected decide(ruleset, facts) --------

class RulesetTask(SpiffBpmnTask):
    def __init__(self, wf_spec, bpmn_id, ruleset=None, facts_var="facts", result_var="decision", **kwargs):
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.ruleset, self.facts_var, self.result_var = ruleset, facts_var, result_var

    def _run_hook(self, my_task):
        decide = getattr(my_task.workflow.script_engine, "decide", None)
        try:
            if decide is None:
                raise WorkflowRunError("движок правил не подключён к процессу")
            facts = my_task.data.get(self.facts_var)
            if not isinstance(facts, dict):
                raise WorkflowRunError(f"в данных процесса нет словаря фактов «{self.facts_var}»")
            decision = decide(self.ruleset, copy.deepcopy(facts))
            my_task.data[self.result_var] = _json_copy(decision, self.result_var)
        except NastavnikError as err:
            raise _located(err, self) from err
        return True


class RulesetTaskParser(SpiffTaskParser):
    @staticmethod
    def get_decision_ref(node):  # asked by SpiffWorkflow's DMN dependency scan; we use no DMN
        return None

    def create_task(self):
        extensions = self.parse_extensions()
        props = extensions.get("properties", {})
        return self.spec_class(
            self.spec, self.bpmn_id, ruleset=props.get("ruleset"), facts_var=props.get("facts") or "facts",
            result_var=props.get("result") or "decision", prescript=extensions.get("preScript"),
            postscript=extensions.get("postScript"), **self.bpmn_attributes)


class RulesetTaskConverter(SpiffBpmnTaskConverter):
    def to_dict(self, spec):
        dct = super().to_dict(spec)
        dct.update(ruleset=spec.ruleset, facts_var=spec.facts_var, result_var=spec.result_var)
        return dct


def _our_parser_classes() -> dict:
    classes = {}
    for tag, (parser_class, spec_class) in SpiffBpmnParser.OVERRIDE_PARSER_CLASSES.items():
        if issubclass(parser_class, EventDefinitionParser):
            parser_class = type(parser_class.__name__, (_OurEventsMixin, parser_class), {})
        classes[tag] = (parser_class, spec_class)
    classes[full_tag("businessRuleTask")] = (RulesetTaskParser, RulesetTask)
    return classes


class NastavnikBpmnParser(SpiffBpmnParser):
    OVERRIDE_PARSER_CLASSES = _our_parser_classes()


_CONFIG = dict(SPIFF_CONFIG)
_CONFIG.update({cls: TimerConditionalEventDefinitionConverter for cls in _CLOCK_TIMERS.values()})
_CONFIG[PayloadMessageEventDefinition] = MessageEventDefinitionConverter
_CONFIG[RulesetTask] = RulesetTaskConverter
_SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_CONFIG))


# ---- the sandboxed script engine ----------------------------------------------------------

class _SandboxEnvironment(BasePythonScriptEngineEnvironment):
    def __init__(self, functions: dict[str, Callable]) -> None:
        super().__init__({})
        self.functions = functions

    def evaluate(self, expression, context, external_context=None):
        data = {**external_context, **context} if external_context else context
        return sandbox.safe_eval(expression, data, self.functions)

    def execute(self, script, context, external_context=None):
        sandbox.safe_exec(script, context, {**(external_context or {}), **self.functions})
        return True

    def call_service(self, context, **kwargs):
        raise sandbox.SandboxViolation("сервисные задачи не поддерживаются")


class SandboxScriptEngine(PythonScriptEngine):
    """Scripts/expressions in the sandbox; carries the clock (timers) and ``decide`` (rules)."""

    def __init__(self, *, functions: dict[str, Callable], clock: Clock, decide: Decide | None) -> None:
        super().__init__(environment=_SandboxEnvironment(functions))
        self.clock, self.decide = clock, decide

    def call_service(self, task, **kwargs):  # the base class's error path is broken (undefined name)
        raise _located(WorkflowRunError("сервисные задачи не поддерживаются"), task.task_spec)


# ---- definitions ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ElementInfo:
    element_id: str
    name: str | None
    kind: str
    lane: str | None
    role: str | None
    form: str | None = None
    ruleset: str | None = None


@dataclass(frozen=True)
class ProcessSpec:
    process_id: str
    name: str
    filename: str
    sha256: str
    spiff_spec: Any = field(repr=False, compare=False)
    subprocess_specs: dict = field(repr=False, compare=False)

    def elements(self) -> list[ElementInfo]:
        """Every diagram element that becomes a task (incl. subprocesses), in no special order."""
        found = {}
        for process in [self.spiff_spec, *self.subprocess_specs.values()]:
            for ts in process.task_specs.values():
                if getattr(ts, "bpmn_id", None) and ts.bpmn_id not in found:
                    props = getattr(ts, "extensions", {}).get("properties", {})
                    found[ts.bpmn_id] = ElementInfo(
                        ts.bpmn_id, ts.bpmn_name, type(ts).__name__, ts.lane, role_for_lane(ts.lane),
                        props.get("form"), getattr(ts, "ruleset", None))
        return list(found.values())


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _schema():
    return bpmn_xml.load_schema(XSD_PATH, ((bpmn_xml.SPIFF_NS, SPIFF_XSD),))


def _parse_with_spiff(root, filename: str, sha256: str) -> tuple[ProcessSpec | None, list[Problem]]:
    parser = NastavnikBpmnParser()  # always fresh: a failed get_spec leaves a parser unusable
    try:
        parser.add_bpmn_xml(root, filename)
        called = parser.get_process_dependencies()
        roots = [pid for pid in parser.get_process_ids() if pid not in called]
        if len(roots) != 1:
            return None, []  # reported by bpmn_xml.check_conventions
        spec = parser.get_spec(roots[0])
        subprocesses = parser.get_subprocess_specs(roots[0])
    except ValidationException as exc:
        return None, [Problem(filename, exc.id or None, exc.name or None, f"движок не принял описание: {exc}")]
    except Exception as exc:  # SpiffWorkflow raises assorted errors on unsupported BPMN
        return None, [Problem(filename, None, None, f"движок не принял описание: {type(exc).__name__}: {exc}")]
    return ProcessSpec(roots[0], spec.description or roots[0], filename, sha256, spec, subprocesses), []


def _analyse(data: bytes, filename: str, known_rulesets) -> tuple[list[Problem], ProcessSpec | None]:
    try:
        root, problems = bpmn_xml.parse_bpmn(data, filename)
        if root is None:
            return problems, None
        schema_problems = bpmn_xml.validate_schema(root, _schema(), filename)
        problems = schema_problems + bpmn_xml.check_conventions(
            root, filename, known_rulesets=set(known_rulesets))
        if schema_problems or len(bpmn_xml.root_process_ids(root)[0]) != 1:
            return problems, None
        spec, spiff_problems = _parse_with_spiff(root, filename, content_hash(bytes(data)))
        return problems + spiff_problems, (None if problems or spiff_problems else spec)
    except Exception as exc:  # an upload must never crash the caller
        return [Problem(filename, None, None, f"внутренняя ошибка проверки: {type(exc).__name__}: {exc}")], None


def check_bpmn(data: bytes, filename: str, *, known_rulesets: set[str]) -> list[Problem]:
    return _analyse(data, filename, known_rulesets)[0]


def load_process(data: bytes, filename: str, *, known_rulesets: set[str]) -> ProcessSpec:
    problems, spec = _analyse(data, filename, known_rulesets)
    if problems or spec is None:
        raise WorkflowDefinitionError(problems, where=filename)
    return spec


def serialize_spec(spec: ProcessSpec) -> str:
    registry = _SERIALIZER.registry
    return json.dumps({
        "format": SPEC_FORMAT, "version": SPEC_VERSION, "spiff_version": _SERIALIZER.VERSION,
        "process_id": spec.process_id, "name": spec.name, "filename": spec.filename, "sha256": spec.sha256,
        "spec": registry.convert(spec.spiff_spec),
        "subprocess_specs": {k: registry.convert(v) for k, v in spec.subprocess_specs.items()},
    }, ensure_ascii=False)


def deserialize_spec(text: str) -> ProcessSpec:
    """Raises ``WorkflowRunError`` for another format/engine version: re-parse the BPMN bytes then."""
    doc = json.loads(text)
    if doc.get("format") != SPEC_FORMAT or doc.get("version") != SPEC_VERSION \
            or doc.get("spiff_version") != _SERIALIZER.VERSION:
        raise WorkflowRunError("описание процесса сохранено в другом формате: загрузите BPMN-файл заново")
    registry = _SERIALIZER.registry
    return ProcessSpec(doc["process_id"], doc["name"], doc["filename"], doc["sha256"],
                       registry.restore(doc["spec"]),
                       {k: registry.restore(v) for k, v in doc["subprocess_specs"].items()})


def migrate_state(doc: dict) -> dict:
    """Bring a saved workflow document up to ``WORKFLOW_VERSION`` through ``MIGRATIONS``."""
    if not isinstance(doc, dict) or doc.get("format") != WORKFLOW_FORMAT:
        raise WorkflowRunError("это не сохранённое состояние процесса «Наставник»")
    version = doc.get("version")
    if not isinstance(version, int) or version > WORKFLOW_VERSION:
        raise WorkflowRunError(f"неизвестная версия сохранённого состояния процесса: {version!r}")
    while version < WORKFLOW_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise WorkflowRunError(f"нет миграции состояния процесса с версии {version}")
        doc = step(copy.deepcopy(doc))
        version += 1
        doc["version"] = version
    return doc


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


_ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED


def _is_timer(definition) -> bool:
    if isinstance(definition, MultipleEventDefinition):
        return any(_is_timer(d) for d in definition.event_definitions)
    return isinstance(definition, TimerEventDefinition)


def _timer_tasks(workflow) -> list:
    return [t for t in workflow.event_manager.tasks.values() if _is_timer(t.task_spec.event_definition)]


def _advance(workflow) -> None:
    """Engine steps until only people or events are awaited (a timer found due by the final
    refresh of ``do_engine_steps`` is READY but not yet run)."""
    previous = None
    for _ in range(100):
        workflow.do_engine_steps()
        ready = {t.id for t in workflow.get_tasks(state=TaskState.READY) if not t.task_spec.manual}
        if not ready or ready == previous:
            return
        previous = ready


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
        self.engine = SandboxScriptEngine(functions=self.functions, clock=self.clock, decide=decide)

    def _run(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except NastavnikError:
            raise
        except Exception as exc:
            spec = getattr(exc, "task_spec", None)
            cause = exc
            while cause is not None and not isinstance(cause, NastavnikError):
                cause = cause.__cause__ or cause.__context__
            if cause is not None:
                raise _located(cause, spec) from exc
            raise WorkflowRunError(f"ошибка выполнения процесса: {type(exc).__name__}: {exc}",
                                   where=_where(spec)) from exc

    def start(self, spec: ProcessSpec, data: dict | None = None) -> BpmnWorkflow:
        initial = _json_copy(data or {}, "data")
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
            views.append(UserTaskView(str(task.id), spec.bpmn_id, spec.bpmn_name, spec.lane,
                                      role_for_lane(spec.lane), props.get("form"), copy.deepcopy(task.data)))
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
        update = _json_copy(data or {}, "data")
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
        body = _json_copy(payload or {}, "payload")
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
        names = {t.task_spec.event_definition.name for t in workflow.event_manager.tasks.values()
                 if isinstance(t.task_spec.event_definition, MessageEventDefinition)}
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
        state = json.loads(_SERIALIZER.serialize_json(workflow))
        return json.dumps({"format": WORKFLOW_FORMAT, "version": WORKFLOW_VERSION, "spiff": state},
                          ensure_ascii=False)

    def deserialize(self, text: str) -> BpmnWorkflow:
        try:
            doc = json.loads(text)
        except (TypeError, ValueError):
            raise WorkflowRunError("сохранённое состояние процесса повреждено") from None
        state = migrate_state(doc).get("spiff")
        try:
            _SERIALIZER.migrate(state)
            workflow = _SERIALIZER.from_dict(state)
        except Exception as exc:
            raise WorkflowRunError(f"сохранённое состояние процесса не читается: {type(exc).__name__}: {exc}") from exc
        workflow.script_engine = self.engine
        return workflow
