"""«Приказы о модели наставничества» (004 прил. 1 п. 3.1.1): the curator or the administrator chooses a kind of order
the organization's pack lists, fills its form (fields from ``engine.forms.contracts_orders``) and sends the draft
for signature; the head signs it on «Приказы на подпись» (``engine.services.mentorship.model_orders``)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from engine.errors import NastavnikError
from engine.forms import FormDataError
from engine.forms.contracts_orders import ORDER_FORMS
from engine.services.mentorship import model_orders
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.converters import id_arg
from web.db import get_db
from web.errors import status_for

bp = Blueprint("model_orders", __name__, url_prefix="/model-orders")


def _organization() -> int:
    """The organization asked for (``?org=``), else the first one where the person prepares these orders."""
    actor = require_actor()
    mine = sorted(actor.organizations(Role.CURATOR) | actor.organizations(Role.ADMIN))
    chosen = id_arg("org")
    if chosen is None and mine:
        return mine[0]
    if chosen is None:
        abort(403)
    return chosen


@bp.route("")
@require_role(Role.CURATOR, Role.ADMIN)
def index():
    organization_id = _organization()
    choices = model_orders.order_choices(get_db(), require_actor(), organization_id)
    return render_template("model_orders/index.html", choices=choices, organization_id=organization_id)


def _render_form(kind: str, organization_id: int, values: dict, errors: dict[str, str], *, error: str | None = None,
                 status: int = 200):
    db, actor = get_db(), require_actor()
    choice = next((c for c in model_orders.order_choices(db, actor, organization_id) if c.kind == kind), None)
    if choice is None:
        abort(404)
    return render_template("model_orders/form.html", choice=choice, organization_id=organization_id,
                           fields=model_orders.order_fields(db, actor, organization_id, kind), values=values, errors=errors, error=error,
                           people=model_orders.people_to_name(db, actor, organization_id),
                           protocols=model_orders.council_protocols(db, actor, organization_id, kind),
                           csrf=FlaskForm(meta={"csrf": True})), status


@bp.route("/<kind>", methods=["GET"])
@require_role(Role.CURATOR, Role.ADMIN)
def new(kind: str):
    return _render_form(kind, _organization(), {}, {})


@bp.route("/<kind>", methods=["POST"])
@require_role(Role.CURATOR, Role.ADMIN)
def create(kind: str):
    organization_id, db = _organization(), get_db()
    if kind not in ORDER_FORMS:
        abort(404)
    if not FlaskForm().validate():
        return _render_form(kind, organization_id, dict(request.form), {}, status=400,
                            error=_("Форма устарела: откройте страницу заново и повторите."))
    fields = model_orders.order_fields(db, require_actor(), organization_id, kind)
    values: dict[str, object] = {}
    for field in fields:
        raw = (request.form.get(field.name) or "").strip()
        if raw:
            values[field.name] = int(raw) if field.kind in ("person", "protocol") and raw.isdigit() else raw
    try:
        model_orders.start_order(db, require_actor(), organization_id, kind, values)
    except (NastavnikError, FormDataError) as error:
        db.rollback()
        if status_for(error) in (401, 403, 404):
            raise
        where = error.where if error.where in {f.name for f in fields} else None
        return _render_form(kind, organization_id, dict(request.form), {where: error.message} if where else {},
                            error=None if where else error.message, status=status_for(error))
    db.commit()
    flash(_("Проект приказа направлен на подпись руководителю: он появится в «Приказах на подпись»."), "success")
    return redirect(url_for("model_orders.index", org=organization_id))
