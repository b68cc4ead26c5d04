"""marshmallow schemas of ``/api/v1/organizations`` (the administrator's organizations and roles, issue 12).
Request schemas refuse unknown fields; the service checks every value again and names the field."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.forms import MAX_ID

ROLES = ("admin", "head", "curator", "methodologist", "mentor", "mentee")


def _id(**kw) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kw)


def _text(limit: int, description: str, **kw) -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(max=limit), metadata={"description": description},
                         **kw)


class DocumentSettingsSchema(ma.Schema):
    kind = _text(16, "вид распорядительного акта: «ПРИКАЗ» или «РАСПОРЯЖЕНИЕ»")
    number_suffix = _text(16, "суффикс номера: «р» → «№ 100р»; без пробелов, не начинается с цифры")
    issuer_lines = fields.List(fields.String(validate=validate.Length(max=200)), allow_none=True,
                               validate=validate.Length(max=6),
                               metadata={"description": "шапка документа: строки издающей организации; пусто — из "
                                                        "наименования"})
    time_zone = _text(64, "часовой пояс документов (IANA, например Asia/Tomsk); пусто — как в положении")
    place = _text(120, "место издания («г. Томск»); пусто — как в положении")


class OrganizationDetailsSchema(ma.Schema):
    name = _text(500, "полное наименование")
    short_name = _text(120, "краткое наименование")
    kind = _text(16, "вид организации из допустимых положением (department, school, kindergarten, …)")
    inn = _text(12, "ИНН: 10 или 12 цифр с контрольным числом")
    ogrn = _text(15, "ОГРН: 13 цифр (ОГРНИП — 15) с контрольным числом")
    document_settings = fields.Nested(DocumentSettingsSchema, allow_none=True,
                                      metadata={"description": "настройки документов; заменяют прежние целиком"})
    report_dates = fields.List(fields.String(validate=validate.Length(max=5)), allow_none=True,
                               validate=validate.Length(max=12),
                               metadata={"description": "даты отчётов наставников «день.месяц» (003 п. 3: «10.06», "
                                                        "«10.12»); пусто или null — как в положении"})
    calendar_days = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=64)),
        values=fields.String(allow_none=True, validate=validate.Length(max=10)), allow_none=True,
        validate=validate.Length(max=24),
        metadata={"description": "сроки календаря куратора «день.месяц» по записям календаря положения (001 §2.4: "
                                 "{\"monitoring_december\": \"25.12\"}); пусто или null — как в положении; "
                                 "заменяют прежние целиком. Ещё не открытая задача переносится на новый срок, "
                                 "открытая сохраняет свой, новый действует со следующего раза"})


class NewOrganizationSchema(OrganizationDetailsSchema):
    parent_id = _id(required=True, metadata={"description": "вышестоящая организация, которой вы управляете"})
    name = _text(500, "полное наименование", required=True)
    kind = _text(16, "вид организации из допустимых положением", required=True)


class CalendarDaySchema(ma.Schema):
    id = fields.String(required=True, metadata={"description": "запись календаря положения (monitoring_december, …)"})
    task = fields.String(metadata={"description": "задача куратора: monitoring, base_review"})
    label = fields.String(metadata={"description": "название срока с его днём"})
    clause = fields.String(metadata={"description": "пункт положения"})
    day = fields.String(metadata={"description": "день срока (месяц-день): заданный организации или положения"})
    pack_day = fields.String(metadata={"description": "день срока по положению (месяц-день)"})


class OrganizationSchema(ma.Schema):
    id = fields.Integer(required=True)
    parent_id = fields.Integer(allow_none=True)
    name = fields.String(required=True)
    short_name = fields.String(allow_none=True)
    kind = fields.String(required=True)
    kind_label = fields.String()
    regulation = fields.String(required=True, metadata={"description": "положение (пакет), по которому работает"})
    regulation_title = fields.String()
    inn = fields.String(allow_none=True)
    ogrn = fields.String(allow_none=True)
    document_settings = fields.Dict(metadata={"description": "настройки, заданные организации"})
    effective_document_settings = fields.Dict(metadata={"description": "настройки, по которым оформляются её "
                                                                       "документы (с умолчаниями положения)"})
    heading_example = fields.String(metadata={"description": "заголовок документа, например «РАСПОРЯЖЕНИЕ № 1р»"})
    report_dates = fields.List(fields.String(), allow_none=True,
                               metadata={"description": "даты отчётов наставников, заданные организации (месяц-день)"})
    effective_report_dates = fields.List(fields.String(), metadata={
        "description": "даты, к которым наставники отчитываются (заданные организации или положения), месяц-день"})
    calendar_days = fields.Dict(allow_none=True, metadata={
        "description": "сроки календаря куратора, заданные организации: {запись: месяц-день}; null — как в положении"})
    effective_calendar_days = fields.List(fields.Nested(CalendarDaySchema), metadata={
        "description": "сроки календаря куратора (мониторинг, сверка базы), по которым открываются его задачи"})
    depth = fields.Integer(allow_none=True, metadata={"description": "глубина в дереве (0 — верхняя)"})


class ChangeSchema(ma.Schema):
    field = fields.String()
    label = fields.String()
    old = fields.String()
    new = fields.String()


class ChangedOrganizationSchema(OrganizationSchema):
    changes = fields.List(fields.Nested(ChangeSchema), metadata={"description": "что изменилось: было → стало"})


class HolderSchema(ma.Schema):
    assignment_id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    position = fields.String(allow_none=True)
    login = fields.String()
    is_active = fields.Boolean()
    granted_at = fields.DateTime()


class RoleHoldersSchema(ma.Schema):
    role = fields.String(required=True)
    label = fields.String(required=True)
    holders = fields.List(fields.Nested(HolderSchema), required=True)


class GrantRoleSchema(ma.Schema):
    person_id = _id(required=True, metadata={"description": "человек, работающий в организации, которой вы "
                                                            "управляете"})
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class AssignmentSchema(ma.Schema):
    assignment_id = fields.Integer(required=True)
    organization_id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    role = fields.String(required=True)
    label = fields.String()
    active = fields.Boolean(required=True)
    granted_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)
