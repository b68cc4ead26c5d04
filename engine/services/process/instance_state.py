"""Stored instance state without the process spec: the spec is stored once, in the definition, and put
back on load (SpiffWorkflow writes the whole spec into every serialized workflow).

    with restored(runtime, instance) as running:      # the instance's workflow, on a spec lent by the pool
        ... runtime.fire_due_timers(running.workflow) ...
        instance.state = running.state(runtime, instance.definition)
    with started(runtime, definition, data, instance) as running: ...   # a new workflow, likewise

A state stored without its spec (``pack_state``: ``{"spec_sha256": …, "spec_at": …, <the rest>}``) is restored on a
spec of its definition taken from the per-process pool (``definitions.lease_spec``): nothing of the spec is parsed
or built per step. Saving a workflow whose spec is still the definition's writes its tasks and data only: the spec
is never converted or encoded. After a step the workflow is kept, with its spec, for the instance's next step in
this process (``workflow_cache``); when it leaves the cache (or the step fails) the spec goes back to the pool —
unless the workflow changed it (SpiffWorkflow wires an event subprocess into ``Start`` when one starts): then that
instance's state is stored whole from then on, restored from its own text, and the changed spec is never lent again.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from engine.db.models import ProcessDefinition, WorkflowInstance
from engine.errors import NastavnikError
from engine.services.process.definitions import give_back_spec, lease_spec, spec_document
from engine.services.process.workflow_cache import keep_when_committed, release, workflows
from engine.workflow import SpecLease, SpecNeeded, WorkflowRuntime

STRIPPED_KEYS = ("spec", "subprocess_specs")


def _spec_text(definition: ProcessDefinition) -> str:
    """The spec members exactly as ``WorkflowRuntime.serialize`` writes them (cached per sha256)."""
    text = _spec_texts.get(definition.bpmn_sha256)
    if text is None:
        doc = spec_document(definition)
        text = "".join(f'"{key}": {json.dumps(doc[key], ensure_ascii=False)}, ' for key in STRIPPED_KEYS)
        _spec_texts[definition.bpmn_sha256] = text
    return text


_spec_texts: dict[str, str] = {}
_PACKED = re.compile(r'\{"spec_sha256": "([0-9a-f]{64})", "spec_at": (\d+), ')


def _packed(text: str, at: int, definition: ProcessDefinition) -> str:
    """``text`` (the runtime's serialized workflow with the spec members cut out at ``at``) marked as such."""
    return f'{{"spec_sha256": "{definition.bpmn_sha256}", "spec_at": {at}, ' + text[1:]


def pack_state(text: str, definition: ProcessDefinition) -> str:
    """The runtime's serialized workflow without the embedded process spec, when that spec is still
    exactly the definition's (found verbatim in the text); the cut is marked at the front, so
    ``unpack_state`` restores the runtime's text byte for byte. No JSON parsing: string search.
    SpiffWorkflow edits an instance's own spec when an event subprocess is triggered (it wires the
    subprocess into ``Start``); such a state no longer matches and is stored whole."""
    spec = _spec_text(definition)
    at = text.find(spec)
    if at < 1 or not text.startswith("{"):
        return text
    return _packed(text[:at] + text[at + len(spec):], at, definition)


def unpack_state(text: str, definition: ProcessDefinition) -> str:
    """A stored state made whole again with the spec of its pinned definition."""
    packed = _PACKED.match(text or "")
    if packed is None:  # stored whole (or not ours at all: the runtime will say so)
        return text
    if packed.group(1) != definition.bpmn_sha256:
        raise NastavnikError("состояние процесса относится к другой версии описания",
                             where=f"{definition.process_id} v{definition.version}")
    body, at = "{" + text[packed.end():], int(packed.group(2))
    return body[:at] + _spec_text(definition) + body[at:]


@dataclass
class Running:
    """A workflow being stepped, and the pool's spec it runs on (None: it runs on a spec of its own)."""

    workflow: Any
    lease: SpecLease | None = None

    def state(self, runtime: WorkflowRuntime, definition: ProcessDefinition) -> str:
        """The text to store: without the spec while the workflow's spec is the definition's, unchanged."""
        if self.lease is not None and self.lease.pristine():
            text, at = runtime.serialize_without_spec(self.workflow)
            return _packed(text, at, definition)
        return pack_state(runtime.serialize(self.workflow), definition)


def _restore(runtime: WorkflowRuntime, instance: WorkflowInstance) -> Running:
    """The instance's workflow read back from its stored state (on a spec lent by the pool when it was stored
    without one)."""
    definition = instance.definition
    packed = _PACKED.match(instance.state or "")
    if packed is not None and packed.group(1) == definition.bpmn_sha256:
        lease = lease_spec(definition)
        try:
            return Running(runtime.deserialize(instance.state, lease.spec), lease)
        except SpecNeeded:  # an older format: its migration needs the spec as text
            give_back_spec(lease)
        except BaseException:
            give_back_spec(lease)
            raise
    return Running(runtime.deserialize(unpack_state(instance.state, definition)))


@contextmanager
def restored(runtime: WorkflowRuntime, instance: WorkflowInstance, *, read_only: bool = False) -> Iterator[Running]:
    """The instance's workflow as stored, for the ``with`` block: kept from an earlier step in this process when it
    is exactly the stored state (``workflow_cache``), else read back. After the block it is kept again — at once
    when ``read_only`` (the block only looked at it), else when the step's session commits; a block that raises
    drops it, and so does a step that stored nothing (the workflow may have moved on from the stored state)."""
    stored = instance.state
    kept = workflows().take(instance)
    if isinstance(kept, Running):
        running = kept
        runtime.adopt(running.workflow)
    else:
        running = _restore(runtime, instance)
    try:
        yield running
    except BaseException:
        release(running)
        raise
    if read_only:
        workflows().keep(instance, running)
    elif instance.state is not stored:
        keep_when_committed(instance, running)
    else:
        release(running)


@contextmanager
def started(runtime: WorkflowRuntime, definition: ProcessDefinition, data: dict | None,
            instance: WorkflowInstance) -> Iterator[Running]:
    """A new workflow of ``definition`` started with ``data``, for the ``with`` block that stores it in ``instance``
    (kept for the instance's next step once the session commits, like ``restored``)."""
    lease = lease_spec(definition)
    try:
        running = Running(runtime.start(lease.spec, data), lease)
    except BaseException:
        give_back_spec(lease)
        raise
    try:
        yield running
    except BaseException:
        release(running)
        raise
    if instance.state:
        keep_when_committed(instance, running)
    else:
        release(running)
