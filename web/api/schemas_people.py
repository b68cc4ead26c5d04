"""marshmallow schemas of the administrator's people operations (issue 12): a person's record with every field of
their organization, the bodies that create and change one, the one-time link. A person's fields are the
organization's person fields (``engine.services.people.person_fields``: the base data and the rule files' facts),
so they travel as one object ``fields`` checked by that contract — an unknown name or a wrong value is a 422
naming the field, the same as on the form."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.forms import MAX_ID
from web.api.schemas import PersonSchema


def _id(**kw) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kw)


class RoleHeldSchema(ma.Schema):
    organization_id = fields.Integer()
    organization = fields.String(allow_none=True, metadata={"description": "краткое название организации"})
    role = fields.String()
    label = fields.String(metadata={"description": "название роли по-русски"})


class AdminPersonSchema(PersonSchema):
    """A person in a list: staff see the minimal fields; an administrator also the login, contacts and access."""

    login = fields.String(metadata={"description": "только администратору"})
    email = fields.String(allow_none=True, metadata={"description": "только администратору"})
    phone = fields.String(allow_none=True, metadata={"description": "только администратору"})
    personnel_number = fields.String(allow_none=True, metadata={"description": "табельный номер; администратору"})
    organization = fields.String(allow_none=True, metadata={"description": "место работы (краткое название)"})
    has_password = fields.Boolean(metadata={"description": "пароль задан (администратору)"})


class PersonRecordSchema(AdminPersonSchema):
    roles = fields.List(fields.Nested(RoleHeldSchema))
    values = fields.Dict(data_key="fields", metadata={"description": "значения всех полей человека его организации: основные сведения "
                                                  "и факты, которые читают файлы правил (null — не известно)"})


class AdminPeopleQuerySchema(ma.Schema):
    q = fields.String(validate=validate.Length(max=100), metadata={"description": "часть ФИО (администратору — "
                                                                                   "также почты или логина)"})
    organization_id = _id(metadata={"description": "администратору: люди одной из его организаций"})
    state = fields.String(validate=validate.OneOf(("active", "deactivated", "all")), metadata={
        "description": "администратору: active (по умолчанию), deactivated, all"})


FIELDS_DESCRIPTION = ("{имя поля: значение}: full_name, position, email, phone, personnel_number, birth_date (ГГГГ-ММ-ДД, "
                      "где правила читают возраст) и факты файлов правил положения организации (число, true/false, "
                      "значение перечисления, список строк); null очищает поле. Неизвестное имя или неверное "
                      "значение — 422 с полем в errors.json.fields")


class PersonCreateSchema(ma.Schema):
    organization_id = _id(required=True, metadata={"description": "место работы: организация, которую вы "
                                                                  "администрируете"})
    login = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "логин; без него составится из почты или ФИО"})
    values = fields.Dict(keys=fields.String(), required=True, data_key="fields", metadata={"description": FIELDS_DESCRIPTION})


class PersonUpdateSchema(ma.Schema):
    organization_id = _id(metadata={"description": "перевод в другую организацию, которую вы администрируете"})
    values = fields.Dict(keys=fields.String(), data_key="fields", metadata={"description": "только изменяемые поля; " + FIELDS_DESCRIPTION})


class AccountLinkSchema(ma.Schema):
    url = fields.String(required=True, allow_none=True, metadata={
        "description": "ссылка для пароля — показывается один раз; null, если она отправлена письмом"})
    emailed_to = fields.String(required=True, allow_none=True, metadata={
        "description": "адрес, на который ссылка отправлена письмом; null, если почта выключена или адреса нет"})
    purpose = fields.String(required=True, metadata={"description": "invitation (первый пароль) или password_reset "
                                                                    "(текущий пароль уже не действует)"})
    expires_at = fields.String(required=True, metadata={"description": "ISO 8601, UTC"})
