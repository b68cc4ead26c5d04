"""Stored instance state without the process spec: the spec is stored once, in the definition, and put
back on load (SpiffWorkflow writes the whole spec into every serialized workflow).

    with restored(runtime, instance) as running:      # the instance's workflow, on a spec lent by the pool
        ... runtime.fire_due_timers(running.workflow) ...
        instance.state = running.state(runtime, instance.definition)
    with started(runtime, definition, data) as running: ...     # a new workflow, likewise

A state stored without its spec (``pack_state``: ``{"spec_sha256": …, "spec_at": …, <the rest>}``) is restored on a
spec of its definition taken from the per-process pool (``definitions.lease_spec``): nothing of the spec is parsed
or built per step. Saving a workflow whose spec is still the definition's writes its tasks and data only: the spec
is never converted or encoded. The spec goes back to the pool when the ``with`` block ends — unless the workflow
changed it (SpiffWorkflow wires an event subprocess into ``Start`` when one starts): then that instance's state
is stored whole from then on, restored from its own text, and the changed spec is never lent again.
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


@contextmanager
def _lent(lease: SpecLease) -> Iterator[SpecLease]:
    try:
        yield lease
    finally:
        give_back_spec(lease)  # kept for the next workflow only if this one left it as it was


@contextmanager
def restored(runtime: WorkflowRuntime, instance: WorkflowInstance) -> Iterator[Running]:
    """The instance's workflow as stored, for the ``with`` block."""
    definition = instance.definition
    packed = _PACKED.match(instance.state or "")
    if packed is not None and packed.group(1) == definition.bpmn_sha256:
        with _lent(lease_spec(definition)) as lease:
            try:
                workflow = runtime.deserialize(instance.state, lease.spec)
            except SpecNeeded:  # an older format: its migration needs the spec as text
                workflow = None
            if workflow is not None:
                yield Running(workflow, lease)
                return
    yield Running(runtime.deserialize(unpack_state(instance.state, definition)))


@contextmanager
def started(runtime: WorkflowRuntime, definition: ProcessDefinition, data: dict | None) -> Iterator[Running]:
    """A new workflow of ``definition`` started with ``data``, for the ``with`` block."""
    with _lent(lease_spec(definition)) as lease:
        yield Running(runtime.start(lease.spec, data), lease)
