"""Process definitions (BPMN) and their execution.

Public API (details in ``spiff/``, ``bpmn_xml.py``, ``bpmn_conventions.py``, ``unsupported.py`` (what SpiffWorkflow 3.2
parses but runs wrongly, refused by the check), ``sandbox.py``, ``plain_expressions.py``, ``clock.py``):

    check_bpmn(data: bytes, filename, *, known_rulesets, known_hooks=None, form_check=None) -> list[Problem]
    load_process(data: bytes, filename, *, known_rulesets, known_hooks=None, form_check=None) -> ProcessSpec
    content_hash(data) -> str; serialize_spec(spec) -> str; deserialize_spec(text) -> ProcessSpec
    runtime = WorkflowRuntime(decide=..., functions={...}, clock=SystemClock())
    runtime.start / ready_user_tasks / complete_user_task / fire_due_timers / next_timer_at /
    send_message / waiting_messages / is_completed / workflow_data / completed_element_ids /
    active_element_ids / serialize / deserialize / serialize_without_spec
    SpecPool: parsed specs to run again, lent to one workflow at a time (kept only while unchanged)

Only the ``spiff`` package imports SpiffWorkflow; workflow objects are opaque to callers. Scripts and
expressions run in bounded child processes (``bounded.py``: 5 s, 256 MB, 1 000 000 operations); a breach
raises ``sandbox.ScriptLimitExceeded`` naming the element (``scripts_running_for(organization_id)``: one
organization's scripts hold at most all the children but one); a loop past the run's own bounds (``spiff/task_tree.py``:
automatic steps in a row, task-tree depth) raises ``LoopLimitExceeded``. Both are incidents for the methodologist.
"""
from engine.workflow.bounded import running_for as scripts_running_for
from engine.workflow.bpmn_xml import MAX_BPMN_BYTES, ROLE_BY_LANE, Problem, role_for_lane
from engine.workflow.clock import Clock, FixedClock, SystemClock, add_days, add_months
from engine.workflow.sandbox import SandboxViolation, ScriptLimitExceeded, check_code
from engine.workflow.spiff import (
    MIGRATIONS,
    WORKFLOW_VERSION,
    ElementInfo,
    LoopLimitExceeded,
    ProcessSpec,
    SpecLease,
    SpecNeeded,
    SpecPool,
    UserTaskView,
    WorkflowRunError,
    WorkflowRuntime,
    check_bpmn,
    content_hash,
    deserialize_spec,
    load_process,
    migrate_state,
    serialize_spec,
)

__all__ = [
    "MAX_BPMN_BYTES", "ROLE_BY_LANE", "Problem", "role_for_lane",
    "Clock", "FixedClock", "SystemClock", "add_days", "add_months",
    "scripts_running_for", "SandboxViolation", "ScriptLimitExceeded", "LoopLimitExceeded", "check_code",
    "MIGRATIONS", "WORKFLOW_VERSION", "ElementInfo", "ProcessSpec", "SpecLease", "SpecNeeded", "SpecPool",
    "UserTaskView", "WorkflowRunError",
    "WorkflowRuntime", "check_bpmn", "content_hash", "deserialize_spec", "load_process", "migrate_state",
    "serialize_spec",
]
