"""``/api/v1/people/<id>/personal-data`` and ``/anonymize``: a 152-ФЗ request through the API — the export of
everything stored about a person (the person themself or an administrator of their organization), the
anonymization of a deactivated person (an administrator)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.services.administration import anonymization, personal_data
from web.api.core import api_actor, commit, make_blueprint
from web.db import get_db

bp = make_blueprint("personal_data", "/people", "Персональные данные: выгрузка по запросу и обезличивание (152-ФЗ)")


class PersonalDataSectionSchema(ma.Schema):
    title = fields.String(metadata={"description": "раздел по-русски"})
    rows = fields.List(fields.Dict(), metadata={"description": "записи: все поля, кроме секретов"})


class PersonalDataSchema(ma.Schema):
    person_id = fields.Integer()
    generated_at = fields.String(metadata={"description": "момент выгрузки, ISO 8601 (UTC)"})
    basis = fields.String(metadata={"description": "основание: 152-ФЗ, ст. 14"})
    withheld = fields.Dict(keys=fields.String(), values=fields.String(),
                           metadata={"description": "поля, которые не выдаются, и почему (таблица.поле)"})
    person = fields.Dict(metadata={"description": "запись о человеке: все поля, кроме хеша пароля"})
    sections = fields.Dict(keys=fields.String(), values=fields.Nested(PersonalDataSectionSchema),
                           metadata={"description": "записи, где назван человек, по разделам"})


class AnonymizeSchema(ma.Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000),
                           metadata={"description": "основание: например, заявление субъекта данных от …"})
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=300),
                              metadata={"description": "подтверждение: ФИО человека точно как в записи"})


class AnonymizedSchema(ma.Schema):
    id = fields.Integer()
    full_name = fields.String(metadata={"description": "«Обезличенный участник №…»"})
    login = fields.String()
    is_active = fields.Boolean()
    anonymized_at = fields.DateTime()


@bp.route("/<int(min=1, max=2147483647):person_id>/personal-data")
@bp.response(200, PersonalDataSchema)
def export(person_id: int):
    """Всё, что хранится о человеке (152-ФЗ, ст. 14)

    Самому человеку и администратору его организации (или вышестоящей). Выгрузка записывается в журнал доступа
    к персональным данным и в журнал действий.
    """
    found = personal_data.export_person(get_db(), api_actor(), person_id)
    commit()
    return found.document()


@bp.route("/<int(min=1, max=2147483647):person_id>/anonymize", methods=["POST"])
@bp.arguments(AnonymizeSchema)
@bp.response(200, AnonymizedSchema)
def anonymize(body: dict, person_id: int):
    """Обезличить персональные данные отключённого человека (администратор)

    ФИО, почта, телефон, табельный номер, дата рождения, должность и сведения для правил удаляются, логин
    заменяется, токены и ссылки для входа отзываются. Номера записей сохраняются; подписанные приказы сохраняют
    текст с прежним ФИО. Необратимо. Активный человек — 409 (сначала отключите); уже обезличенный — 409.
    """
    person = anonymization.anonymize_person(get_db(), api_actor(), person_id, body["reason"],
                                            confirmation=body["full_name"])
    commit()
    return person
