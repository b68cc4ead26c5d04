"""«Панель мониторинга» (issue 15, item 2): the head's and the curator's figures over their organizations and every
one under them — coverage against the 70 % target, programs by status, stage, form, model and organization,
overdue stages and reports, completions, extensions, the mentors' load and terms, the reports of the period — each
with its chart (Chart.js, our static/dashboard.js; the data in ``data-`` attributes, no inline script) and its
table, each figure opening the list behind it (``/dashboard/<figure>``); the same tables as XLSX and PDF
(``engine.services.monitoring``)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from engine.services.monitoring import dashboard as board
from engine.services.monitoring import exports, lists
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.converters import date_arg, id_arg, page_arg
from web.db import get_db
from web.downloads import download

bp = Blueprint("dashboard", __name__)  # no prefix: /dashboard, /dashboard/<figure>, /dashboard.xlsx, /dashboard.pdf

PAGE_SIZE = 25
VIEWERS = (Role.HEAD, Role.CURATOR)


def filters() -> dict:
    """The filters of the query string: organization (``org``), period (``from``, ``to``; a bad date is a Russian
    error naming the field)."""
    return {"organization_id": id_arg("org"), "period_from": date_arg("from", _("Период с")),
            "period_to": date_arg("to", _("Период по"))}


def kept(scope) -> dict:
    """The filters as the links of the page keep them (the period always, so a list shows what its figure counted)."""
    args = {"from": scope.period_from.isoformat(), "to": scope.period_to.isoformat()}
    if scope.organization_id is not None:
        args["org"] = scope.organization_id
    return args


@bp.route("/dashboard")
@require_role(*VIEWERS)
def index():
    db = get_db()
    found = board.dashboard(db, require_actor(), **filters(), fresh=request.args.get("fresh") == "1")
    db.commit()  # the figures kept for the next viewer (engine.services.monitoring.snapshots)
    return render_template("dashboard/index.html", board=found, scope=found.scope, kept=kept(found.scope))


@bp.route("/dashboard/<string:figure>")
@require_role(*VIEWERS)
def figure_list(figure: str):
    db, actor = get_db(), require_actor()
    listing = lists.dashboard_list(db, actor, figure[:80], page=page_arg(from_end=True), size=PAGE_SIZE, **filters())
    db.commit()  # the access log (152-ФЗ)
    return render_template("dashboard/list.html", listing=listing, scope=listing.scope, kept=kept(listing.scope),
                           may_open_cards=bool(actor.organizations(Role.CURATOR)))


@bp.route("/dashboard.xlsx")
@require_role(*VIEWERS)
def workbook():
    made = exports.dashboard_workbook(get_db(), require_actor(), **filters())
    return download(made.data, made.file_name, made.mimetype)


@bp.route("/dashboard.pdf")
@require_role(*VIEWERS)
def pdf():
    made = exports.dashboard_pdf(get_db(), require_actor(), **filters())
    return download(made.data, made.file_name, made.mimetype)
