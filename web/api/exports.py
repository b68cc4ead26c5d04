"""``/api/v1/registries``: the curator's registries and the statistical form of 003 §3.3 as XLSX files — the same
services as the pages' «Выгрузить в Excel», so the same scoping (the curator's organizations only; 403 otherwise)
and the same access log of the people in a file."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.forms import MAX_ID
from engine.services.curation import registry_exports, statistical_form
from engine.services.people.actor import Role
from web.api.core import api_actor, commit, make_blueprint, permission, require_any_role
from web.db import get_db
from web.downloads import download

bp = make_blueprint("exports", "/registries",
                    "Выгрузки в Excel: реестры куратора и статистическая форма (003 §3.3)")

XLSX = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
    "schema": {"type": "string", "format": "binary"}}}


class RegistryQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "часть ФИО, как в поиске реестра"})


class StatisticalFormQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    organization_id = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID), metadata={
        "description": "организация куратора (по умолчанию — первая из его организаций)"})
    on = fields.Date(load_default=None, metadata={"description": "на дату (по умолчанию — сегодня в организации)"})
    since = fields.Date(load_default=None, metadata={
        "description": "завершения программ с этого дня (по умолчанию — с 1 января года даты)"})


@bp.route("/<string:registry>.xlsx")
@permission(require_any_role(Role.CURATOR))
@bp.arguments(RegistryQuerySchema, location="query")
@bp.doc(responses={"200": {"description": "реестр: все найденные строки, лист «Сведения»", "content": XLSX}})
def registry(query: dict, registry: str):
    """Реестр в Excel: mentors, mentees, pairs или programs

    Все строки, которые находит поиск реестра `q` (не одна страница), только организаций куратора; каждый
    человек в файле записывается в журнал доступа к персональным данным (152-ФЗ).
    """
    made = registry_exports.export_registry(get_db(), api_actor(), registry, query=query["q"])
    commit()  # the access log
    return download(made.data, made.file_name, made.mimetype)


@bp.route("/statistical-form.xlsx")
@permission(require_any_role(Role.CURATOR))
@bp.arguments(StatisticalFormQuerySchema, location="query")
@bp.doc(responses={"200": {"description": "статистическая форма: строки, показатели, количества, пункты",
                           "content": XLSX}})
def statistical(query: dict):
    """Статистическая форма (003 §3.3) в Excel

    Количество участников программ на дату: наставники, наставляемые по категориям, пары и группы по формам,
    программы выполняемые и завершённые по основаниям 003 §7.1, базы наставников и наставляемых.
    """
    made = statistical_form.statistical_form_file(get_db(), api_actor(), organization_id=query["organization_id"],
                                                  on=query["on"], since=query["since"])
    return download(made.data, made.file_name, made.mimetype)
