"""«Аналитический отчёт» (003 §3.3, 001 §2.4, 002 §5): the semi-annual and the final analytic reports of the
mentorship system for the curator and the head — pick the organization (one's own or one under it), the kind and the
period; the report's tables; the curator's conclusions (the curator of the organization writes them, the head reads
them); the report as .xlsx and .pdf (``engine.services.monitoring.analytic_report``, ``analytic_exports``)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from engine.errors import NastavnikError, PermissionDenied
from engine.services.monitoring import analytic_exports, analytic_period, analytic_report
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.converters import id_arg
from web.db import get_db
from web.downloads import download
from web.errors import place_error, status_for

bp = Blueprint("analytic_reports", __name__, url_prefix="/reports/analytic")

VIEWERS = (Role.CURATOR, Role.HEAD)
KINDS = {"semiannual": _l("Полугодовой"), "final": _l("Итоговый (за год)")}


class ConclusionsForm(FlaskForm):
    conclusions = TextAreaField(_l("Текст выводов: результаты, вовлечённость, риски, предложения"), validators=[Length(
        max=analytic_report.CONCLUSIONS_MAX, message=_l("Выводы — не длиннее %(max)s знаков."))],
        render_kw={"rows": 8})


def _number(name: str, label: str) -> int | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 4:
        raise NastavnikError(_("%(label)s: ожидается число, получено «%(raw)s»", label=label, raw=raw[:20]),
                             where=name)
    return int(raw)


def _asked() -> dict:
    """The organization, kind and period of the query string (``org``, ``kind``, ``year``, ``half``)."""
    return {"organization_id": id_arg("org"), "kind": (request.args.get("kind") or "semiannual").strip()[:20],
            "year": _number("year", _("Год")),
            "half": _number("half", _("Полугодие"))}


def _report():
    return analytic_report.analytic_report(get_db(), require_actor(), **_asked(),
                                           fresh=request.args.get("fresh") == "1")


def _render(form: ConclusionsForm | None = None, *, error: str | None = None, status: int = 200):
    db = get_db()
    report = _report()
    organizations = analytic_period.viewable_organizations(db, require_actor())
    db.commit()  # the access log of the names shown (152-ФЗ)
    if form is None:
        form = ConclusionsForm(formdata=None, data={"conclusions": report.conclusions})
    years = list(range(report.formed_on.year, report.formed_on.year - 6, -1))
    return render_template("analytic_reports/index.html", report=report, organizations=organizations, kinds=KINDS,
                           years=years, form=form, error=error), status


@bp.route("")
@require_role(*VIEWERS)
def index():
    return _render()


@bp.route("/conclusions", methods=["POST"])
@require_role(*VIEWERS)
def conclusions():
    db, form, asked = get_db(), ConclusionsForm(), _asked()
    report = _report()  # 404 / 403 and a bad period before the form is read
    if not report.may_write:
        raise PermissionDenied(_("Выводы аналитического отчёта пишет куратор этой организации (003 §3.3)."))
    if not form.validate():
        return _render(form, status=422)
    try:
        analytic_report.save_conclusions(db, require_actor(), text=form.conclusions.data or "",
                                         **{**asked, "organization_id": report.organization.id})
    except NastavnikError as error:
        db.rollback()
        if status_for(error) in (401, 403, 404):
            raise
        return _render(form, error=place_error(form, error), status=status_for(error))
    db.commit()
    flash(_("Выводы аналитического отчёта сохранены."), "success")
    return redirect(url_for("analytic_reports.index", org=report.organization.id, kind=report.period.kind,
                            year=report.period.year, half=report.period.half, _anchor="conclusions"))


@bp.route("/report.xlsx")
@require_role(*VIEWERS)
def xlsx():
    made = analytic_exports.workbook(_report())
    get_db().commit()  # the access log
    return download(made.data, made.file_name, made.mimetype)


@bp.route("/report.pdf")
@require_role(*VIEWERS)
def pdf():
    made = analytic_exports.pdf(_report())
    get_db().commit()  # the access log
    return download(made.data, made.file_name, made.mimetype)
