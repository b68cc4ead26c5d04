"""Form contracts: one per BPMN form id, the data a user task's form writes into the process.

A room of the domain beside ``rules`` and ``workflow`` (it imports neither services nor the database):

* ``ids``       — ``FormId``, the form ids of the shipped diagrams (use these, not string literals);
* ``fields``    — the field types (Russian messages; label, help and how the value arrives as metadata);
* ``contracts`` — the shipped forms' contracts (``SHIPPED``): change a form's fields or limits here;
* ``declared``  — a diagram's own form, whose fields the user task declares in its ``fields`` property;
* ``registry``  — finding a contract, checking data against it, describing fields for pages.

    contract_for(form_id, declared=None) -> type[FormContract] | None
    validated(form_id, data, *, declared=None, partial=()) -> dict   # FormDataError (where = the field)
    system_fields(form_id) -> (names,)                          # what the engine fills from the registers
    form_problem(form_id, declared) -> str | None               # what ``workflow check`` says
    describe(form_id) -> {name: FieldSpec}                      # label, limits, how it arrives

``engine.services.process.instances.complete_task`` checks every channel's data (pages, the JSON API,
the command line) with ``validated``; the API and the command line come through
``engine.services.tasks.completion``, which also refuses the fields the registers fill (``input`` «system»:
``system_fields``) before the domain builds the step's data; ``workflow check`` refuses a user task whose form has
no contract.
"""
from engine.forms.contracts import EXTENSION_MONTHS, SHIPPED
from engine.forms.declared import FIELD_TYPES, parse_fields
from engine.forms.fields import MAX_ID, TEXT_MAX, FormContract, FormDataError, StrictBoolean
from engine.forms.ids import FormId
from engine.forms.registry import FieldSpec, contract_for, describe, form_problem, system_fields, validated

__all__ = [
    "EXTENSION_MONTHS", "SHIPPED", "FIELD_TYPES", "parse_fields", "MAX_ID", "TEXT_MAX", "FormContract", "FormDataError",
    "StrictBoolean", "FormId", "FieldSpec", "contract_for", "describe", "form_problem", "system_fields",
    "validated",
]
