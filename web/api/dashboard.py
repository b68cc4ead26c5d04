"""``/api/v1/dashboard``: the department's dashboard (issue 15, items 2 and 6) — its figures, the list behind each
figure and its tables as XLSX and PDF, with the page's filters and scope (the organizations where the token's person
is head or curator and every one under them; ``engine.services.monitoring``)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from engine.forms import MAX_ID
from engine.services.monitoring import dashboard as board
from engine.services.monitoring import exports, lists
from engine.services.people.actor import Role
from web.api.core import PAGINATION, api_actor, commit, make_blueprint, permission, require_any_role, set_count
from web.db import get_db
from web.downloads import download

bp = make_blueprint("dashboard", "", "Панель мониторинга: охват (цель 70 %), программы, просрочки, завершения, "
                    "нагрузка наставников, отчёты периода; список за каждым показателем; выгрузки XLSX и PDF")

VIEWERS = require_any_role(Role.HEAD, Role.CURATOR)
XLSX = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
    "schema": {"type": "string", "format": "binary"}}}
PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


class DashboardQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    organization_id = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID), metadata={
        "description": "одна организация из доступных и подчинённые ей (по умолчанию — все доступные)"})
    period_from = fields.Date(load_default=None, metadata={"description": "начало периода (по умолчанию — начало "
                                                                          "текущего полугодия)"})
    period_to = fields.Date(load_default=None, metadata={"description": "конец периода (по умолчанию — конец "
                                                                        "текущего полугодия)"})


class DashboardIndexQuerySchema(DashboardQuerySchema):
    fresh = fields.Boolean(load_default=False, metadata={
        "description": "true — пересчитать показатели сейчас, а не взять подсчитанные не раньше периода обновления"})


class DashboardItemSchema(ma.Schema):
    value = fields.String(metadata={"description": "значение для списка: /dashboard/<показатель>-<значение>"})
    label = fields.String()
    count = fields.Integer()


class DashboardFigureSchema(ma.Schema):
    title = fields.String()
    total = fields.Integer()
    items = fields.List(fields.Nested(DashboardItemSchema))


class DashboardKindSchema(ma.Schema):
    kind = fields.String(metadata={"description": "pedagogue, student или пусто"})
    label = fields.String()
    staff = fields.Integer()
    involved = fields.Integer()


class DashboardCoverageSchema(ma.Schema):
    organization_id = fields.Integer(allow_none=True)
    name = fields.String()
    staff = fields.Integer(metadata={"description": "знаменатель: активные люди реестра с местом работы или учёбы "
                                                    "в организации"})
    involved = fields.Integer()
    percent = fields.Float(allow_none=True, metadata={"description": "охват, %, один знак после запятой"})
    target_met = fields.Boolean()
    by_kind = fields.List(fields.Nested(DashboardKindSchema))


class DashboardOrganizationSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    parent_id = fields.Integer(allow_none=True)


class DashboardSchema(ma.Schema):
    organization_id = fields.Integer(allow_none=True)
    period_from = fields.Date()
    period_to = fields.Date()
    today = fields.Date()
    counted_at = fields.DateTime(allow_none=True, metadata={
        "description": "когда подсчитаны показатели (их обновляет фоновая работа; null — сейчас)"})
    organizations = fields.List(fields.Nested(DashboardOrganizationSchema))
    target_percent = fields.Integer()
    target_clause = fields.String()
    coverage = fields.Nested(DashboardCoverageSchema)
    coverage_by_organization = fields.List(fields.Nested(DashboardCoverageSchema))
    figures = fields.Dict(keys=fields.String(), values=fields.Nested(DashboardFigureSchema))


class DashboardLinkSchema(ma.Schema):
    kind = fields.String(metadata={"description": "program или person"})
    id = fields.Integer()


class DashboardListRowSchema(ma.Schema):
    values = fields.Dict(keys=fields.String(), metadata={"description": "по колонкам списка; даты — ГГГГ-ММ-ДД"})
    link = fields.Nested(DashboardLinkSchema, allow_none=True)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


@bp.route("/dashboard")
@permission(VIEWERS)
@bp.arguments(DashboardIndexQuerySchema, location="query")
@bp.response(200, DashboardSchema)
def index(query: dict):
    """Показатели панели мониторинга

    Руководитель и куратор видят свои организации и подчинённые им; другая организация — 403. Период
    относится к завершениям, продлениям и отчётам; охват считает людей, участвовавших в периоде.
    """
    found = board.dashboard(get_db(), api_actor(), **query)
    commit()  # the figures kept for the next viewer (engine.services.monitoring.snapshots)
    return found.as_dict()


@bp.route("/dashboard/<string:figure>")
@permission(VIEWERS)
@bp.arguments(DashboardQuerySchema, location="query")
@bp.response(200, DashboardListRowSchema(many=True))
@bp.paginate(**PAGINATION)
def figure_list(query: dict, figure: str, pagination_parameters):
    """Список за показателем: программы, люди, наставники, назначения или отчёты

    `figure` — показатель (`status`, `overdue`, `involved`, …) или показатель со значением (`status-active`,
    `load-3`, `involved-<организация>`), как в `items[].value` ответа `/dashboard`. Показанные люди
    записываются в журнал доступа (152-ФЗ).
    """
    listing = lists.dashboard_list(get_db(), api_actor(), figure[:80], page=pagination_parameters.page,
                                   size=pagination_parameters.page_size, past_end_empty=True, **query)
    commit()  # the access log
    set_count(pagination_parameters, listing.total, listing.more)
    return [{"values": {key: _plain(value) for key, value in row.values.items()},
             "link": {"kind": row.link[0], "id": row.link[1]} if row.link else None} for row in listing.rows]


@bp.route("/dashboard.xlsx")
@permission(VIEWERS)
@bp.arguments(DashboardQuerySchema, location="query")
@bp.doc(responses={"200": {"description": "таблицы панели: лист на раздел", "content": XLSX}})
def workbook(query: dict):
    """Таблицы панели мониторинга в Excel"""
    made = exports.dashboard_workbook(get_db(), api_actor(), **query)
    return download(made.data, made.file_name, made.mimetype)


@bp.route("/dashboard.pdf")
@permission(VIEWERS)
@bp.arguments(DashboardQuerySchema, location="query")
@bp.doc(responses={"200": {"description": "таблицы панели на листах A4", "content": PDF}})
def pdf(query: dict):
    """Таблицы панели мониторинга в PDF"""
    made = exports.dashboard_pdf(get_db(), api_actor(), **query)
    return download(made.data, made.file_name, made.mimetype)
