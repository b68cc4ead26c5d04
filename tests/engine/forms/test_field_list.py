"""The fields a client sends, read from the contracts the engine checks with: a system form without what the
registers fill (the ids the step checks itself kept), with its labels, types and limits; a choice with its Russian
options; a designed form with its kinds as JSON types and its limits."""
from __future__ import annotations

from engine.forms import SHIPPED, FormId
from engine.forms.designed import parse_schema
from engine.forms.field_list import from_contract, from_designed
from engine.services.tasks.completion import sendable


def test_a_system_form_lists_what_a_client_sends():
    pair = {f.key: f for f in from_contract(SHIPPED[FormId.PROPOSE_PAIR], sent=sendable(FormId.PROPOSE_PAIR))}
    assert list(pair) == ["mentor_id", "mentee_ids", "comment"]  # facts, mentee_facts, the form: the registers'
    assert (pair["mentor_id"].label, pair["mentor_id"].type, pair["mentor_id"].required) == ("Наставник", "integer",
                                                                                            True)
    assert (pair["mentee_ids"].type, pair["mentee_ids"].items, pair["mentee_ids"].min_length,
            pair["mentee_ids"].max_length) == ("list", "integer", 1, 50)
    chosen = [f for contract in SHIPPED.values() for f in from_contract(contract) if f.options]
    assert chosen and all(label and label != value for f in chosen for value, label in f.options)  # Russian labels


def test_a_designed_form_lists_its_kinds_and_limits():
    fields, problems = parse_schema({"components": [
        {"type": "textarea", "key": "notes", "label": "Заметки", "validate": {"maxLength": 500, "pattern": "[А-я ]+"}},
        {"type": "number", "key": "score", "label": "Балл", "validate": {"min": 0.5}},
        {"type": "checkbox", "key": "agreed", "label": "Согласовано", "validate": {"required": True}},
        {"type": "radio", "key": "mode", "label": "Форма", "values": [{"value": "a", "label": "Очно"}]}]})
    assert problems == []
    listed = {f.key: f for f in from_designed(fields)}
    assert (listed["notes"].type, listed["notes"].max_length, listed["notes"].pattern) == ("string", 500, "[А-я ]+")
    assert (listed["score"].type, listed["score"].minimum) == ("number", 0.5)
    assert (listed["agreed"].type, listed["agreed"].required) == ("boolean", True)
    assert listed["mode"].options == (("a", "Очно"),)
