"""The council's API schemas (``web.api.council``): what the councils, sessions and protocols look like, and what the
council's work sends — the members and the chair (the curator), a session with its agenda and the questions the pack's
body considers, who came and the secretary elected, an item's record, the head's agreement (000 §4–5, 004 прил. 1
п. 3.1.1)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.db.models import VoteChoice
from engine.forms import MAX_ID
from engine.regulations.council_bodies import BODY_KINDS, CONSIDERED_ORDERS, MENTORS_COUNCIL
from engine.services.council.base import TEXT_MAX, TITLE_MAX

BODIES = list(BODY_KINDS)
BODY_HELP = ("коллегиальный орган из положения организации: mentors_council — совет наставников (000 §4–5), "
             "pedagogical_council — педагогический совет (004 прил. 1 п. 3.1.1); по умолчанию совет наставников")


def _id(**kw) -> fields.Integer:  # noqa: ANN003 - marshmallow's field options
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kw)


def _body_field() -> fields.String:
    return fields.String(load_default=MENTORS_COUNCIL, validate=validate.OneOf(BODIES), metadata={"description": BODY_HELP})


class CouncilQuerySchema(ma.Schema):
    organization_id = fields.Integer(validate=validate.Range(min=1, max=2147483647),
                                     metadata={"description": "только совет этой организации"})
    body = fields.String(validate=validate.OneOf(BODIES), metadata={"description": "только этот орган"})


class CouncilMemberSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String(metadata={"description": "ФИО"})


class SessionRowSchema(ma.Schema):
    id = fields.Integer()
    number = fields.Integer(metadata={"description": "номер протокола в совете"})
    held_on = fields.Date()
    place = fields.String()
    status = fields.String(metadata={"description": "planned, held, signing, signed"})
    status_label = fields.String()


class TopicSchema(ma.Schema):
    order = fields.String(metadata={"description": "вид приказа, который утвердит рассмотренное: implementation_plan, "
                                                   "regulation"})
    title = fields.String(metadata={"description": "формулировка вопроса повестки по положению"})


class CouncilSchema(ma.Schema):
    organization_id = fields.Integer()
    organization = fields.String()
    body = fields.String(metadata={"description": "коллегиальный орган: mentors_council, pedagogical_council"})
    body_label = fields.String(metadata={"description": "его название по положению"})
    body_clause = fields.String(metadata={"description": "пункт положения"})
    members = fields.List(fields.Nested(CouncilMemberSchema))
    chair_id = fields.Integer(allow_none=True, metadata={"description": "председатель (000 §4.4)"})
    sessions = fields.List(fields.Nested(SessionRowSchema), metadata={"description": "новые первыми"})
    retention_months = fields.Integer(metadata={"description": "срок хранения протоколов по положению, месяцев"})
    topics = fields.List(fields.Nested(TopicSchema), metadata={
        "description": "вопросы, которые орган рассматривает по положению (considers при назначении сессии)"})
    candidates = fields.List(fields.Nested(CouncilMemberSchema), metadata={
        "description": "кого куратор может включить в состав (работники с ролью в организации); другим — пусто"})
    may = fields.Dict(keys=fields.String(), values=fields.Boolean(),
                      metadata={"description": "что может тот, чей токен: form (состав, председатель), schedule"})


class TallySchema(ma.Schema):
    votes_for = fields.Integer()
    against = fields.Integer()
    abstained = fields.Integer()
    present = fields.Integer()
    members = fields.Integer()
    quorum = fields.Boolean()
    adopted = fields.Boolean()
    words = fields.String(metadata={"description": "итог словами, с кворумом"})


class AgendaItemSchema(ma.Schema):
    id = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    considers = fields.String(allow_none=True, metadata={"description": "вопрос положения: вид приказа, который "
                                                                       "утвердит рассмотренное"})
    key_points = fields.String(allow_none=True)
    proposals = fields.String(allow_none=True)
    decision = fields.String(allow_none=True)
    responsible = fields.String(allow_none=True)
    tally = fields.Nested(TallySchema, allow_none=True, metadata={"description": "нет, пока сессия не проведена"})
    mine = fields.String(allow_none=True, metadata={"description": "мой голос: for, against, abstain (чужие "
                                                                   "голоса — только в итоге, как на странице)"})
    result = fields.String(allow_none=True, metadata={"description": "adopted или rejected — по оформленному протоколу"})
    agreement = fields.String(allow_none=True, metadata={"description": "agreed или refused — согласование "
                                                                        "администрацией (000 §4.3)"})
    agreement_note = fields.String(allow_none=True)


class ProtocolSchema(ma.Schema):
    session_id = fields.Integer()
    number = fields.Integer()
    held_on = fields.Date()
    drawn_up = fields.Boolean(metadata={"description": "протокол оформлен секретарём"})
    signed = fields.Boolean(metadata={"description": "подписан председателем и секретарём"})
    signed_on = fields.Date(allow_none=True)
    sha256 = fields.String(allow_none=True, metadata={"description": "SHA-256 текста протокола"})
    verified = fields.Boolean(metadata={"description": "текст совпадает с хешем"})
    stamps = fields.List(fields.String(), metadata={"description": "отметки подписей"})
    kept_until = fields.Date(allow_none=True, metadata={"description": "хранится до (срок по положению)"})
    pdf = fields.String(allow_none=True, metadata={"description": "адрес PDF (нет — протокол не оформлен)"})
    docx = fields.String(allow_none=True, metadata={"description": "адрес DOCX"})


class SessionSchema(SessionRowSchema):
    organization_id = fields.Integer()
    organization = fields.String()
    body = fields.String(metadata={"description": "коллегиальный орган: mentors_council, pedagogical_council"})
    body_label = fields.String()
    chair_id = fields.Integer(allow_none=True)
    chair = fields.String()
    secretary_id = fields.Integer(allow_none=True, metadata={"description": "секретарь, избранный на сессии (000 §5.1)"})
    secretary = fields.String()
    secretary_votes = fields.String(allow_none=True)
    members = fields.List(fields.Nested(CouncilMemberSchema))
    members_total = fields.Integer(allow_none=True, metadata={"description": "членов совета на день сессии"})
    present = fields.List(fields.Integer(), metadata={"description": "присутствовавшие члены совета"})
    agenda = fields.List(fields.Nested(AgendaItemSchema))
    may = fields.Dict(keys=fields.String(), values=fields.Boolean(),
                      metadata={"description": "что может тот, чей токен: vote, record, sign, agree, hold, add_item"})
    protocol = fields.Nested(ProtocolSchema)


class VoteSchema(ma.Schema):
    choice = fields.String(required=True, validate=validate.OneOf([c.value for c in VoteChoice]),
                           metadata={"description": "for — за, against — против, abstain — воздержался"})


# --- what the council's work sends -------------------------------------------------------------------


class CouncilPersonSchema(ma.Schema):
    person_id = _id(required=True, metadata={"description": "работник организации (из candidates)"})
    body = _body_field()


class CouncilBodySchema(ma.Schema):
    body = _body_field()


class ScheduleSessionSchema(ma.Schema):
    body = _body_field()
    held_on = fields.Date(required=True, metadata={"description": "дата проведения"})
    place = fields.String(load_default="", validate=validate.Length(max=300), metadata={"description": "место"})
    agenda = fields.List(fields.String(validate=validate.Length(max=TITLE_MAX)), load_default=list,
                         validate=validate.Length(max=50), metadata={"description": "вопросы повестки своими словами"})
    considers = fields.List(fields.String(validate=validate.OneOf(CONSIDERED_ORDERS)), load_default=list,
                            validate=validate.Length(max=len(CONSIDERED_ORDERS)),
                            metadata={"description": "вопросы положения (topics органа), первыми в повестке"})


class NewItemSchema(ma.Schema):
    title = fields.String(required=True, validate=validate.Length(max=TITLE_MAX),
                          metadata={"description": "вопрос повестки"})


class HoldSessionSchema(ma.Schema):
    present = fields.List(_id(), required=True, validate=validate.Length(max=500),
                          metadata={"description": "пришедшие члены совета"})
    secretary_id = _id(required=True, metadata={"description": "секретарь, избранный из присутствующих (000 §5.1)"})
    votes_for = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=500),
                               metadata={"description": "голосов «за» при избрании секретаря"})
    votes_against = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=500))
    abstained = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=500))


class RecordItemSchema(ma.Schema):
    key_points = fields.String(load_default="", validate=validate.Length(max=TEXT_MAX),
                               metadata={"description": "ключевые моменты обсуждения (000 §5.2)"})
    proposals = fields.String(load_default="", validate=validate.Length(max=TEXT_MAX),
                              metadata={"description": "предложения и замечания"})
    decision = fields.String(required=True, validate=validate.Length(max=TEXT_MAX),
                             metadata={"description": "решение, поставленное на голосование"})
    responsible = fields.String(load_default="", validate=validate.Length(max=300), metadata={"description": "ответственные"})


class DecisionAgreementSchema(ma.Schema):
    agreed = fields.Boolean(required=True, metadata={"description": "true — согласовать, false — отказать (с замечанием)"})
    note = fields.String(load_default="", validate=validate.Length(max=TEXT_MAX),
                         metadata={"description": "замечание (при отказе обязательно)"})


class OrderProtocolSchema(ma.Schema):
    id = fields.Integer(metadata={"description": "сессия: council_protocol_id приказа"})
    number = fields.Integer()
    held_on = fields.Date()
    label = fields.String(metadata={"description": "«Протокол № 1 от 29.08.2025: Рассмотрение плана…»"})
