"""The only place that imports SpiffWorkflow (a test checks it): parsing, our task specs, the sandboxed
script engine, clocked timers, messages and (de)serialization — ``specs``, ``definitions``, ``runtime``.

Definitions
- ``check_bpmn(data, filename, known_rulesets=, known_hooks=None, form_check=None) -> list[Problem]`` never raises;
  ``load_process(...) -> ProcessSpec`` raises ``WorkflowDefinitionError``.
- ``serialize_spec`` / ``deserialize_spec`` store a parsed definition once (key: ``spec.sha256``).
- ``SpecPool`` (``spec_pool``): parsed specs kept per process to run again, each lent to one workflow at a time
  and kept only while no workflow has changed it (an event subprocess started wires itself into the spec).

Running (``WorkflowRuntime``) — a workflow object is in-memory state: persist it with
``serialize`` after every call (``serialize_without_spec`` / ``deserialize(text, spec)``: the same without the
spec, for a workflow on its definition's unchanged spec). When a call raises, the object may be half-changed (a task in
ERROR): discard it and reload the last saved state. Errors from scripts and rules surface as
``NastavnikError`` subclasses (``SandboxViolation``, the rules' own errors, ``WorkflowRunError``)
with ``where`` naming the BPMN element.

Timers read the runtime's ``Clock`` (via the script engine); they fire when due <= now.
"""
from engine.workflow.spiff.definitions import (
    ElementInfo,
    ProcessSpec,
    check_bpmn,
    content_hash,
    deserialize_spec,
    load_process,
    migrate_state,
    serialize_spec,
)
from engine.workflow.spiff.migration import MigrationPlan, Obstacle
from engine.workflow.spiff.runtime import SpecNeeded, UserTaskView, WorkflowRuntime
from engine.workflow.spiff.spec_pool import SpecLease, SpecPool
from engine.workflow.spiff.specs import MIGRATIONS, WORKFLOW_VERSION, WorkflowRunError
from engine.workflow.spiff.task_tree import LoopLimitExceeded

__all__ = [
    "LoopLimitExceeded", "MIGRATIONS", "MigrationPlan", "Obstacle", "WORKFLOW_VERSION", "ElementInfo", "ProcessSpec", "SpecLease", "SpecNeeded",
    "SpecPool", "UserTaskView", "WorkflowRunError",
    "WorkflowRuntime", "check_bpmn", "content_hash", "deserialize_spec", "load_process", "migrate_state",
    "serialize_spec",
]
