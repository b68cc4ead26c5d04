"""Stored instance state without the process spec: the spec is stored once, in the definition, and put
back on load (SpiffWorkflow writes the whole spec into every serialized workflow)."""
from __future__ import annotations

import json
import re

from engine.db.models import ProcessDefinition
from engine.errors import NastavnikError
from engine.services.process.definitions import spec_document

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
    return (f'{{"spec_sha256": "{definition.bpmn_sha256}", "spec_at": {at}, '
            + text[1:at] + text[at + len(spec):])


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
