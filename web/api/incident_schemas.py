"""marshmallow schemas of ``/api/v1/incidents`` (background jobs that failed their last try, issue 13)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.forms import MAX_ID
from engine.services.jobs.incidents import REASON_LIMIT

STATUSES = ("incident", "waiting", "done", "skipped")


class IncidentSchema(ma.Schema):
    id = fields.Integer(metadata={"description": "номер фонового задания"})
    kind = fields.String(metadata={"description": "вид задания: fire_timers, send_email, …"})
    what = fields.String(metadata={"description": "что это за задание, по-русски"})
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={
        "description": "incident — открыт; после действия: waiting (повторено), skipped (пропущено), done"})
    organization_id = fields.Integer(allow_none=True)
    organization_name = fields.String(allow_none=True)
    instance_id = fields.Integer(allow_none=True, metadata={"description": "процесс, если задание относится к нему"})
    process_name = fields.String(allow_none=True)
    program_id = fields.Integer(allow_none=True, metadata={"description": "программа, если процесс — её"})
    element_id = fields.String(allow_none=True, metadata={"description": "элемент BPMN-схемы"})
    element_name = fields.String(allow_none=True)
    error = fields.String(metadata={"description": "ошибка последней попытки, по-русски"})
    first_tried_at = fields.DateTime(allow_none=True)
    last_tried_at = fields.DateTime(allow_none=True)
    attempts = fields.Integer(metadata={"description": "сколько попыток сделано"})


class IncidentsQuerySchema(ma.Schema):
    program_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID), metadata={
        "description": "только инциденты процессов этой программы"})


class SkipSchema(ma.Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=REASON_LIMIT),
                           metadata={"description": "почему задание не нужно выполнять; записывается в журнал"})
