"""marshmallow schemas of the API's bodies and responses (documented in the OpenAPI components).

Request schemas refuse unknown fields (422 naming them); response schemas dump what the engine's
read services return.
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.forms import MAX_ID  # ids: the databases' integer columns


class ErrorSchema(ma.Schema):
    """Every error: 400, 401, 403, 404, 405, 409, 413, 415, 422 (and 500, which should never happen)."""

    code = fields.Integer(required=True, metadata={"description": "HTTP-статус"})
    status = fields.String(required=True, metadata={"description": "название статуса HTTP"})
    message = fields.String(required=True, metadata={"description": "что не так, по-русски, с именами полей"})
    errors = fields.Dict(metadata={"description": "по полям: {место: {поле: [сообщения]}} (422, 400) или "
                                                  "problems: [{element_id, element_name, message}]"})


def _str(**kw) -> fields.String:
    return fields.String(allow_none=True, **kw)


def _int(**kw) -> fields.Integer:
    return fields.Integer(allow_none=True, **kw)


# -- programs ------------------------------------------------------------------------------------

class ProgramSchema(ma.Schema):
    id = fields.Integer(required=True)
    roadmap_id = fields.String(required=True)
    status = fields.String(required=True)
    current_stage_id = _str()
    started_on = _str(metadata={"description": "ISO-дата"})
    planned_end_on = _str()
    completed_on = _str()
    completion_ground = _str()
    organization_id = fields.Integer(required=True)
    mentor = fields.String(required=True, metadata={"description": "ФИО наставника"})
    mentees = fields.List(fields.String(), required=True)
    workflow_instance_id = _int()


class EventSchema(ma.Schema):
    id = fields.Integer(metadata={"description": "номер записи мероприятия (для POST /programs/{id}/events)"})
    stage_id = fields.String()
    number = fields.String()
    name = fields.String()
    status = fields.String()
    due_on = _str()
    done_on = _str()
    report_form = _str()
    marked_by = _str(metadata={"description": "кто отметил мероприятие проведённым (наставник или наставляемый)"})
    comments = fields.List(fields.Dict(), metadata={"description": "комментарии участников: author, at, body"})


class EventMarkSchema(ma.Schema):
    event_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_ID))
    done = fields.Boolean(required=True, metadata={"description": "мероприятие проведено (false — отметка снята)"})
    held_on = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "день, когда мероприятие проведено: обязателен при done, не позже сегодняшнего дня и не "
                       "раньше начала этапа"})
    comment = fields.String(load_default="", validate=validate.Length(max=4000),
                            metadata={"description": "комментарий участника (виден участникам и куратору)"})


class MarkEventsSchema(ma.Schema):
    marks = fields.List(fields.Nested(EventMarkSchema), required=True, validate=validate.Length(min=1, max=200))


class ReportSchema(ma.Schema):
    stage_id = fields.String()
    attempt = fields.Integer()
    status = fields.String()
    form_name = _str()
    body = _str()
    review_comment = _str()
    submitted_at = _str()
    reviewed_at = _str()


class ProgramOrderSchema(ma.Schema):
    id = fields.Integer()
    type = fields.String()
    subject = fields.String()
    status = fields.String()
    number = _str()
    issued_on = _str()
    sha256 = _str()


class HistorySchema(ma.Schema):
    at = _str()
    action = fields.String()
    actor_id = _int()
    details = fields.Dict(allow_none=True)


class ReadyTaskSchema(ma.Schema):
    task_id = fields.String()
    name = _str()
    role = _str()
    form = _str()


class ProcessStateSchema(ma.Schema):
    instance_id = fields.Integer()
    status = fields.String()
    version = fields.Integer()
    definition = fields.String(metadata={"description": "процесс и версия описания, например «program_lifecycle v1»"})
    ready_tasks = fields.List(fields.Nested(ReadyTaskSchema))
    completed_elements = fields.List(fields.String())
    active_elements = fields.List(fields.String())
    next_timer_at = _str()


class ProgramDetailsSchema(ProgramSchema):
    events = fields.List(fields.Nested(EventSchema))
    reports = fields.List(fields.Nested(ReportSchema))
    decisions = fields.List(fields.Dict(), metadata={"description": "решения по правилам с пояснениями по критериям"})
    orders = fields.List(fields.Nested(ProgramOrderSchema))
    history = fields.List(fields.Nested(HistorySchema))
    process = fields.Nested(ProcessStateSchema)


# -- tasks -----------------------------------------------------------------------------------------

class TaskSchema(ma.Schema):
    instance_id = fields.Integer(required=True)
    task_id = fields.String(required=True)
    element_id = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    organization_id = fields.Integer(required=True)
    form_id = _str()
    assignee_id = _int()
    due_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    process_id = fields.Function(lambda task: task.instance.definition.process_id, dump_only=True,
                                 metadata={"type": "string"})
    kind = fields.Function(lambda task: task.instance.kind, dump_only=True, metadata={"type": "string"})


class FormOptionSchema(ma.Schema):
    value = fields.String(required=True, metadata={"description": "что отправить"})
    label = fields.String(required=True, metadata={"description": "как вариант называется"})


class FormFieldSchema(ma.Schema):
    """One field of a task's form: what to send in ``data`` (``engine.forms.field_list``)."""

    key = fields.String(required=True, metadata={"description": "имя поля в data"})
    label = fields.String(required=True, metadata={"description": "подпись поля по-русски"})
    type = fields.String(required=True, metadata={
        "description": "тип значения JSON: string, integer, number, boolean, date (строка ГГГГ-ММ-ДД), list, "
                       "object, any"})
    required = fields.Boolean(required=True)
    help = fields.String(metadata={"description": "пояснение к полю"})
    items = _str(metadata={"description": "тип элементов списка (type = list)"})
    options = fields.List(fields.Nested(FormOptionSchema), metadata={
        "description": "допустимые значения: одно из них (для списка — несколько)"})
    min_length = _int(metadata={"description": "не короче (знаков строки или элементов списка)"})
    max_length = _int(metadata={"description": "не длиннее (знаков строки или элементов списка)"})
    minimum = fields.Float(allow_none=True, metadata={"description": "не меньше"})
    maximum = fields.Float(allow_none=True, metadata={"description": "не больше"})
    pattern = _str(metadata={"description": "регулярное выражение, которому должна отвечать вся строка"})


class TaskFormSchema(ma.Schema):
    task = fields.Nested(TaskSchema, required=True)
    form_title = fields.String(required=True, metadata={"description": "название формы"})
    form_fields = fields.List(fields.Nested(FormFieldSchema), required=True, data_key="fields",
                              metadata={"description": "поля формы: что отправить в data"})


class CompleteTaskSchema(ma.Schema):
    data = fields.Dict(load_default=dict, metadata={
        "description": "данные формы задачи; поля формы описаны в схемах Form* (проверяются по форме задачи)"})
    expected_version = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "версия процесса, которую видел клиент; другая версия — 409"})


class InstanceResultSchema(ma.Schema):
    instance_id = fields.Integer(required=True)
    status = fields.String(required=True)
    version = fields.Integer(required=True)
    ready_tasks = fields.List(fields.Nested(ReadyTaskSchema), required=True)


# -- pairs -----------------------------------------------------------------------------------------

class PersonRefSchema(ma.Schema):
    id = fields.Integer()
    full_name = fields.String()


class MemberSchema(PersonRefSchema):
    left_on = _str()


class GroupSchema(ma.Schema):
    id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    form = fields.String()
    roadmap_id = fields.String()
    status = fields.String()
    order_id = _int()
    created_at = _str()
    mentor = fields.Nested(PersonRefSchema)
    mentees = fields.List(fields.Nested(MemberSchema))
    program_ids = fields.List(fields.Integer())


def _id_field(**kw) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kw)


class ProposePairSchema(ma.Schema):
    organization_id = _id_field(required=True)
    mentor_id = _id_field(required=True)
    mentee_ids = fields.List(_id_field(), required=True, validate=validate.Length(min=1, max=50))
    form = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=32), metadata={
        "description": "форма наставничества (MentorshipForm); по умолчанию — модель категории наставляемого "
                       "(003 §2.4: reservist_head для резервиста, head_head для руководителя)"})


class ProposedPairSchema(ma.Schema):
    instance_id = fields.Integer(required=True)
    group_id = _int()
    status = fields.String(required=True, metadata={"description": "состояние процесса формирования"})
    decision = fields.Dict(allow_none=True, metadata={"description": "решение о наставнике по критериям (003 §3.5)"})
    mentee_decisions = fields.List(fields.Dict(), metadata={"description": "категории наставляемых (003 §3.6.1)"})
    explanation = fields.List(fields.String())
    ready_tasks = fields.List(fields.Nested(ReadyTaskSchema))


# -- people ----------------------------------------------------------------------------------------

class RoleSchema(ma.Schema):
    organization_id = fields.Integer()
    role = fields.String()


class PersonSchema(ma.Schema):
    id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    position = _str()
    organization_id = _int()
    is_active = fields.Boolean()
    roles = fields.List(fields.Nested(RoleSchema))


class AppointmentSchema(ma.Schema):
    id = fields.Integer()
    organization_id = fields.Integer()
    status = fields.String()
    starts_on = _str()
    ends_on = _str(metadata={"description": "окончание срока наставника"})
    direction = _str()
    order_id = _int()


class MenteeEntrySchema(ma.Schema):
    id = fields.Integer()
    organization_id = fields.Integer()
    category = fields.String()
    status = fields.String()
    registered_on = _str()


class PersonDetailsSchema(PersonSchema):
    mentor_appointments = fields.List(fields.Nested(AppointmentSchema))
    mentee_entries = fields.List(fields.Nested(MenteeEntrySchema))


class PeopleQuerySchema(ma.Schema):
    q = fields.String(validate=validate.Length(max=100), metadata={"description": "часть ФИО"})


# -- orders ----------------------------------------------------------------------------------------

ORDER_STATUSES = ("draft", "awaiting_signature", "signed", "refused")


class OrderSchema(ma.Schema):
    id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    type = fields.String(required=True)
    subject = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String()
    number = _str()
    issued_on = _str()
    signed_at = _str()
    signer_id = _int()
    sha256 = _str(metadata={"description": "SHA-256 подписанного текста"})
    refusal_reason = _str()
    workflow_instance_id = _int()
    created_at = _str()


class OrderDocumentSchema(OrderSchema):
    text = fields.String(required=True, metadata={"description": "текст приказа, как он читается (подписан)"})
    verified = fields.Boolean(required=True, metadata={
        "description": "подписан; текст совпадает с SHA-256, подпись CMS верна, звено цепочки подписанных приказов цело"})
    signature_cms = _str(metadata={
        "description": "открепленная подпись CMS (PKCS#7, DER в base64) текста подписанного приказа (UTF-8) "
                       "сертификатом организации"})
    integrity_problems = fields.List(fields.String(), required=True, metadata={
        "description": "что нарушено в подписанном приказе (пусто, если всё цело)"})


class OrdersQuerySchema(ma.Schema):
    awaiting_signature = fields.Boolean(load_default=False, metadata={
        "description": "только приказы, которые я могу подписать"})
    status = fields.String(validate=validate.OneOf(ORDER_STATUSES))


class RefuseSchema(ma.Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"description": "причина отказа в подписании; возвращается в процесс"})


# -- rules -----------------------------------------------------------------------------------------

class FactSchema(ma.Schema):
    name = fields.String()
    type = fields.String()
    label = fields.String()
    unit = _str()
    minimum = fields.Float(allow_none=True)
    maximum = fields.Float(allow_none=True)
    integer = fields.Boolean()
    values = fields.Dict(keys=fields.String(), values=fields.String())


class RulesetSchema(ma.Schema):
    id = fields.String(required=True)
    version = fields.String(required=True)
    title = _str()
    versions = fields.List(fields.String(), metadata={"description": "версии, загруженные с запуска"})
    facts = fields.List(fields.Nested(FactSchema))


class EvaluateSchema(ma.Schema):
    facts = fields.Dict(keys=fields.String(), required=True, metadata={"description": "факты по их именам"})


class DecisionSchema(ma.Schema):
    ruleset = fields.String(required=True)
    version = fields.String(required=True)
    verdict = fields.String(required=True)
    verdict_label = fields.String()
    criteria = fields.List(fields.Dict(), metadata={"description": "каждый критерий: passed, message, source"})
    outputs = fields.Dict()


# -- workflows -------------------------------------------------------------------------------------

class BpmnSourceSchema(ma.Schema):
    bpmn = fields.String(required=True, validate=validate.Length(min=1), metadata={"description": "BPMN 2.0 XML"})
    filename = fields.String(validate=validate.Length(min=1, max=200), metadata={"description": "имя файла"})


class ProblemSchema(ma.Schema):
    element_id = _str()
    element_name = _str()
    message = fields.String(required=True)


class CheckResultSchema(ma.Schema):
    ok = fields.Boolean(required=True)
    problems = fields.List(fields.Nested(ProblemSchema), required=True)


class DefinitionSchema(ma.Schema):
    id = fields.Integer(required=True)
    process_id = fields.String(required=True)
    name = fields.String()
    version = fields.Integer(required=True)
    sha256 = fields.String(required=True, attribute="bpmn_sha256")
    status = fields.String()
    created = fields.Boolean(required=True, metadata={"description": "false: те же байты уже были развёрнуты"})
