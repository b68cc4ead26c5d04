"""The data each workflow form accepts (the contract in the header comments of ``workflows/*.bpmn``).

``POST /tasks/<instance>/<task>/complete`` validates ``data`` against the schema of the task's form:
unknown fields and wrong types are refused with 422 naming the field. A form not listed here (a
methodologist's new diagram) passes its data through; the engine's own checks still apply.
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from web.api.schemas import MAX_ID

_TEXT = validate.Length(max=20000)


class StrictBoolean(fields.Boolean):
    """JSON true or false only: "yes", 1 or "on" must not sign an order."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def _text(**kw) -> fields.String:
    return fields.String(validate=_TEXT, **kw)


def _id(**kw) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kw)


class FormProposeMentor(ma.Schema):
    """propose_mentor (куратор): кандидат в наставники; факты для правил заполняет система."""
    candidate_id = _id(required=True)
    candidate_name = fields.String(validate=validate.Length(max=300))
    facts = fields.Dict(keys=fields.String())
    direction = fields.String(validate=validate.Length(max=200))
    comment = _text()


class FormSignOrder(ma.Schema):
    """sign_order (руководитель): подписать (signed: true) или отказать с причиной (refusal_reason)."""
    signed = StrictBoolean(required=True)
    refusal_reason = _text()
    order_number = fields.String(validate=validate.Length(max=32))
    order_date = fields.Date()


class FormComment(ma.Schema):
    """acknowledge_reminder, handle_escalation: комментарий (принятые меры)."""
    comment = _text()


class FormProposePair(ma.Schema):
    """propose_pair (куратор): наставник и наставляемые (003 §6.1)."""
    mentor_id = _id(required=True)
    facts = fields.Dict(keys=fields.String())
    mentee_ids = fields.List(_id(), required=True, validate=validate.Length(min=1, max=50))
    mentee_facts = fields.List(fields.Dict(keys=fields.String()))
    form_of_mentorship = fields.String(validate=validate.Length(max=32))
    comment = _text()


class FormGiveConsent(ma.Schema):
    """give_consent (наставник, наставляемый): согласие на участие в паре (003 §6.2)."""
    consent = StrictBoolean(required=True)
    comment = _text()


class FormStageWork(ma.Schema):
    """stage_work (наставник): выполненные мероприятия этапа и справка."""
    events_done = fields.List(fields.String(validate=validate.Length(max=32)), validate=validate.Length(max=500))
    report = _text()


class FormReviewStageReport(ma.Schema):
    """review_stage_report (куратор): утвердить справку или вернуть с комментарием."""
    approved = StrictBoolean(required=True)
    comment = _text()


class FormDecidePetition(ma.Schema):
    """decide_petition (куратор): решение по ходатайству; new_mentor_id — при замене наставника."""
    approved = StrictBoolean(required=True)
    comment = _text()
    new_mentor_id = _id(allow_none=True)


class FormAgreeExtension(ma.Schema):
    """agree_extension (наставник, наставляемый): согласие на продление (003 §7.2)."""
    agreed = StrictBoolean(required=True)
    comment = _text()


class FormPetitionExtension(ma.Schema):
    """petition_extension (куратор): на сколько месяцев продлить и обоснование (003 §7.2)."""
    extension_months = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=24))
    justification = _text()


class FormCompleteProgram(ma.Schema):
    """complete_program (куратор): итоговый отчёт; факты для премии (003 §9.3) заполняет система."""
    final_report = _text()
    bonus_facts = fields.Dict(keys=fields.String())


FORMS: dict[str, type[ma.Schema]] = {
    "propose_mentor": FormProposeMentor,
    "sign_order": FormSignOrder,
    "acknowledge_reminder": FormComment,
    "handle_escalation": FormComment,
    "propose_pair": FormProposePair,
    "give_consent": FormGiveConsent,
    "stage_work": FormStageWork,
    "review_stage_report": FormReviewStageReport,
    "decide_petition": FormDecidePetition,
    "agree_extension": FormAgreeExtension,
    "petition_extension": FormPetitionExtension,
    "complete_program": FormCompleteProgram,
}


def validate_form(form_id: str | None, data: dict) -> dict:
    """``data`` checked against the form's schema (``ValidationError`` names the fields); dates come
    back as ISO strings, as the workflow stores them."""
    schema_class = FORMS.get(form_id or "")
    if schema_class is None:
        return data
    loaded = schema_class().load(data)
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in loaded.items()}
