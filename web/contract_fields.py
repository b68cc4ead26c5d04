"""Page form fields made from the engine's form contracts (``engine.forms``): the label, the length
or number limits and whether the field is required come from the contract, so a page can neither show
another name nor accept what the engine refuses. The page adds only presentation (widget, rows, the
buttons of a decision) and the domain's extra demands with their messages (a comment to return a
report, a reason to refuse).

    contract_field(form_id, name, field_class=TextAreaField, *, required=None, too_long=None,
                   out_of_range=None, **field_kwargs)
    contract_label(form_id, name)      # the label alone (a choice among given options bounds its value)

A page form says which contract it shows (``contract``) and which of its fields carries a contract
field under another name (``contract_names``); tests/web/test_form_contracts.py checks every page form
against its contract (each field a person types is there, with the contract's label and limits).
The labels are translated at render time: their English is in ``web/translations`` like any other.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from engine.forms import describe


def contract_field(form_id: str, name: str, field_class: type[Field] = TextAreaField, *, required: Any = None,
                   too_long: Any = None, out_of_range: Any = None, **field_kwargs: Any) -> Any:
    """An (unbound) WTForms field for the contract field ``name`` of ``form_id``. ``required``: the
    message when the page demands a value the contract leaves optional (or its own wording when the
    contract requires it); ``too_long`` / ``out_of_range``: the page's messages for the limits."""
    spec = describe(form_id)[name]
    validators: list[Any] = []
    if required is not None or spec.required:
        numeric = spec.minimum is not None or spec.maximum is not None
        validators.append((InputRequired if numeric else DataRequired)(required))
    if spec.max_length is not None:
        validators.append(Length(max=spec.max_length, message=too_long))
    if spec.minimum is not None or spec.maximum is not None:
        validators.append(NumberRange(min=spec.minimum, max=spec.maximum, message=out_of_range))
    return field_class(_l(spec.label), validators=validators, **field_kwargs)


def contract_label(form_id: str, name: str) -> Any:
    return _l(describe(form_id)[name].label)
