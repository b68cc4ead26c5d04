"""Our SpiffWorkflow building blocks: timers on the engine's clock, messages that keep their payload,
the ruleset business-rule task with its parser and serializer, the parser and serializer configured with
them, and the sandboxed script engine."""
from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from SpiffWorkflow.bpmn.parser.event_parsers import EventDefinitionParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.event_definition import TimerConditionalEventDefinitionConverter
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.parser.task_spec import SpiffTaskParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.serializer.event_definition import MessageEventDefinitionConverter
from SpiffWorkflow.spiff.serializer.task_spec import SpiffBpmnTaskConverter
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.spiff.specs.spiff_task import SpiffBpmnTask

from engine.errors import NastavnikError
from engine.workflow import bounded, bpmn_xml, sandbox
from engine.workflow.clock import Clock, SystemClock, to_utc
from engine.workflow.plain_expressions import is_plain_expression

Decide = Callable[[str, dict], dict]
WORKFLOW_FORMAT, WORKFLOW_VERSION = "nastavnik.workflow", 1
SPEC_FORMAT, SPEC_VERSION = "nastavnik.process", 1
# {from_version: fn(doc) -> doc}; each step upgrades the saved state by one version.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {}


class WorkflowRunError(NastavnikError):
    """Running a process failed (bad data, a failing script, an unsupported element)."""


def element_where(spec) -> str | None:
    bpmn_id = getattr(spec, "bpmn_id", None)
    if not bpmn_id:
        return None
    name = bpmn_xml.one_line(getattr(spec, "bpmn_name", None))
    return f"{bpmn_id} «{name}»" if name else bpmn_id


def located(err: NastavnikError, spec) -> NastavnikError:
    where = element_where(spec)
    if err.where is None and where:
        err = copy.copy(err)
        err.where = where
        err.args = (f"{where}: {err.message}",)
    return err


def json_copy(value: Any, name: str) -> Any:
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
        raise located(WorkflowRunError(f"«{text}» — не время и не длительность ISO 8601"),
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


# The mixin only ever precedes an event parser class (``_our_parser_classes``): the type checker sees that
# base (for its ``super()`` calls); at run time the base is ``object``, so the parser keeps its own MRO.
if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.parser.event_parsers import EventDefinitionParser as _EventParser
else:
    _EventParser = object


class _OurEventsMixin(_EventParser):
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

PACK_RULESET = "pack:"


def ruleset_of(ruleset: str, data: dict) -> str:
    """The ruleset id a task names: itself, or for «pack:<purpose>» the one the organization's regulation pack
    names for that purpose (the engine gives the pack's ``rulesets`` as start data)."""
    if not ruleset.startswith(PACK_RULESET):
        return ruleset
    purpose = ruleset.removeprefix(PACK_RULESET)
    named = (data.get("rulesets") or {}).get(purpose)
    if not named:
        raise WorkflowRunError(f"положение организации не задаёт набор правил «{purpose}»")
    return str(named)


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
            decision = decide(ruleset_of(self.ruleset, my_task.data), copy.deepcopy(facts))
            my_task.data[self.result_var] = json_copy(decision, self.result_var)
        except NastavnikError as err:
            raise located(err, self) from err
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
SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_CONFIG))


# ---- the sandboxed script engine ----------------------------------------------------------

class _SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """Every script and expression runs in a bounded child (``engine.workflow.bounded``); the date
    functions are rebuilt there from the clock's moment, ``functions`` go pickled by reference. A plain expression
    (``plain_expressions.is_plain_expression``: names, subscripts, comparisons, boolean logic — bounded by the data it reads)
    is evaluated here, checked the same way, its value a copy as the child's would be."""

    def __init__(self, functions: dict[str, Callable], clock: Clock) -> None:
        super().__init__({})
        self.functions, self.clock = functions, clock
        self.pickled = bounded.pickled_functions(functions)

    def _run(self, mode: str, source: str, data: dict, names: dict | None) -> Any:
        return bounded.pool().run(mode, source, data, now=self.clock.now().isoformat(), names=names,
                                  extra=self.pickled)

    def evaluate(self, expression, context, external_context=None):
        data = {**external_context, **context} if external_context else context
        if is_plain_expression(expression):
            return copy.deepcopy(sandbox.safe_eval(expression, data))
        try:
            return self._run("eval", expression, data, None)
        except sandbox.ScriptLimitExceeded as exc:
            exc.expression = True
            raise

    def execute(self, script, context, external_context=None):
        changed = self._run("exec", script, context, external_context)
        context.clear()
        context.update(changed)
        return True

    def call_service(self, context, **kwargs):
        raise sandbox.SandboxViolation("сервисные задачи не поддерживаются")


class SandboxScriptEngine(PythonScriptEngine):
    """Scripts/expressions in the sandbox; carries the clock (timers) and ``decide`` (rules)."""

    def __init__(self, *, functions: dict[str, Callable], clock: Clock, decide: Decide | None) -> None:
        super().__init__(environment=_SandboxEnvironment(functions, clock))
        self.clock, self.decide = clock, decide

    def call_service(self, task, **kwargs):  # the base class's error path is broken (undefined name)
        raise located(WorkflowRunError("сервисные задачи не поддерживаются"), task.task_spec)
