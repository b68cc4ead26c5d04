"""``/api/v1/reports/analytic``: the semi-annual and final analytic reports (003 §3.3, 001 §2.4, 002 §5) — their
figures as JSON and the report as .xlsx and .pdf, with the same scope as the page «Аналитический отчёт» (the
curator and the head of the organization or of one above it; ``engine.services.monitoring.analytic_report``)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.forms import MAX_ID
from engine.services.monitoring import analytic_exports, analytic_report
from engine.services.monitoring.analytic_period import KINDS, YEARS
from engine.services.people.actor import Role
from web.api.core import api_actor, commit, make_blueprint, permission, require_any_role
from web.api.schemas import ErrorSchema
from web.db import get_db
from web.downloads import download

bp = make_blueprint("analytic_reports", "/reports", "Аналитические отчёты о реализации системы наставничества "
                    "(003 §3.3): полугодовой и итоговый, показатели, выводы куратора, XLSX и PDF")

XLSX = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
    "schema": {"type": "string", "format": "binary"}}}
PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
VIEWERS = (Role.CURATOR, Role.HEAD)


class AnalyticQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    organization = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID), metadata={
        "description": "организация (своя или подчинённая ей; по умолчанию — первая из ваших); отчёт считает её "
                       "вместе с подчинёнными"})
    kind = fields.String(load_default="semiannual", validate=validate.OneOf(list(KINDS)), metadata={
        "description": "semiannual — полугодовой (01.01–30.06 или 01.07–31.12), final — итоговый за календарный год"})
    year = fields.Integer(load_default=None, validate=validate.Range(*YEARS), metadata={
        "description": "год (по умолчанию — текущий)"})
    half = fields.Integer(load_default=None, validate=validate.OneOf([1, 2]), metadata={
        "description": "полугодие полугодового отчёта: 1 или 2 (по умолчанию — текущее)"})
    fresh = fields.Boolean(load_default=False, metadata={
        "description": "true — пересчитать показатели сейчас, а не взять подсчитанные не раньше периода обновления"})


class AnalyticRowSchema(ma.Schema):
    key = fields.String()
    cells = fields.List(fields.Raw(allow_none=True), metadata={
        "description": "подпись строки и значения: числа, тексты, даты ГГГГ-ММ-ДД, null — нет значения"})


class AnalyticTableSchema(ma.Schema):
    key = fields.String()
    title = fields.String()
    caption = fields.String()
    headings = fields.List(fields.String())
    rows = fields.List(fields.Nested(AnalyticRowSchema))


class AnalyticReportSchema(ma.Schema):
    organization_id = fields.Integer()
    organization = fields.String()
    organizations_counted = fields.Integer(metadata={"description": "организаций в отчёте (с подчинёнными)"})
    kind = fields.String()
    year = fields.Integer()
    half = fields.Integer(allow_none=True)
    period = fields.String(metadata={"description": "2026-1, 2026-2 или 2026"})
    period_from = fields.Date()
    period_to = fields.Date()
    at = fields.Date(metadata={"description": "день, на который считаются показатели «на конец периода»"})
    formed_on = fields.Date()
    figures = fields.Dict(metadata={"description": "показатели по разделам: participants, programs, stage_reports, "
                                                   "mentor_reports, indicators"})
    tables = fields.List(fields.Nested(AnalyticTableSchema), metadata={"description": "разделы отчёта, как на странице"})
    conclusions = fields.String()
    conclusions_by = fields.String(allow_none=True)
    conclusions_at = fields.DateTime(allow_none=True)
    may_write_conclusions = fields.Boolean()
    counted_at = fields.DateTime(allow_none=True, metadata={
        "description": "когда подсчитаны показатели (сводные показатели обновляются фоновой работой; null — сейчас)"})


def _report(query: dict):
    return analytic_report.analytic_report(get_db(), api_actor(), organization_id=query["organization"],
                                           kind=query["kind"], year=query["year"], half=query["half"],
                                           fresh=query["fresh"])


@bp.route("/analytic")
@permission(require_any_role(*VIEWERS))
@bp.arguments(AnalyticQuerySchema, location="query")
@bp.response(200, AnalyticReportSchema)
@bp.alt_response(404, schema=ErrorSchema, description="нет такой организации")
def report(query: dict):
    """Аналитический отчёт: показатели

    Участники, программы, отчёты об этапах и отчёты наставников за период, показатели 002 §5 из отчётов
    наставников; каждый показатель считается базой данных. Куратор и руководитель организации или вышестоящей.
    """
    found = _report(query)
    commit()  # the access log of the names shown (152-ФЗ)
    return found.as_dict()


@bp.route("/analytic.xlsx")
@permission(require_any_role(*VIEWERS))
@bp.arguments(AnalyticQuerySchema, location="query")
@bp.alt_response(404, schema=ErrorSchema, description="нет такой организации")
@bp.doc(responses={"200": {"description": "отчёт: лист на раздел, «Выводы», «Сведения»", "content": XLSX}})
def xlsx(query: dict):
    """Аналитический отчёт в Excel"""
    made = analytic_exports.workbook(_report(query))
    commit()
    return download(made.data, made.file_name, made.mimetype)


@bp.route("/analytic.pdf")
@permission(require_any_role(*VIEWERS))
@bp.arguments(AnalyticQuerySchema, location="query")
@bp.alt_response(404, schema=ErrorSchema, description="нет такой организации")
@bp.alt_response(503, schema=ErrorSchema, description="на сервере нет шрифтов или библиотеки вёрстки PDF")
@bp.doc(responses={"200": {"description": "отчёт в PDF (A4, шрифты встроены)", "content": PDF}})
def pdf(query: dict):
    """Аналитический отчёт в PDF"""
    made = analytic_exports.pdf(_report(query))
    commit()
    return download(made.data, made.file_name, made.mimetype)
