"""The head's orders: the list awaiting signature and the decided ones, one order as the document reads,
sign / refuse with a reason (through the workflow waiting for the signature), the text as a file."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired

from engine.errors import NastavnikError
from engine.forms import FormId
from engine.services.audit import integrity as integrity_service
from engine.services.mentorship import bonus
from engine.services.orders import views as order_views
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.contract_fields import contract_field
from web.converters import page_arg
from web.db import get_db
from web.downloads import attachment
from web.errors import place_error, status_for

bp = Blueprint("orders", __name__, url_prefix="/orders")


@bp.context_processor
def _roles() -> dict:
    return {"Role": Role}


ORDER_TYPES = {
    "pair_formation": _l("Формирование наставнических пар (групп)"),
    "extension": _l("Продление программы"),
    "completion": _l("Завершение программы"),
    "appointment_of_mentors": _l("Назначение наставников"),
    "mentor_replacement": _l("Замена наставника"),
    "mentor_release": _l("Освобождение наставника"),
    "curator_appointment": _l("Назначение куратора"),
    "bonus": _l("Премирование наставников"),
    "target_model": _l("Внедрение целевой модели наставничества"),
    "implementation_plan": _l("Утверждение плана реализации целевой модели"),
    "regulation": _l("Утверждение положения о наставничестве"),
    "final_event": _l("Итоговое мероприятие"),
}
ORDER_STATUS = {"draft": _l("проект"), "awaiting_signature": _l("на подписи"), "signed": _l("подписан"),
                "refused": _l("отказано в подписании")}
TABS = ("awaiting", "decided")


class SignForm(FlaskForm):
    version = IntegerField(validators=[InputRequired()])


class RefuseForm(FlaskForm):
    contract = FormId.SIGN_ORDER  # signed: the buttons «Подписать» / «Отказать в подписании»
    contract_names = {"refusal_reason": "reason"}
    version = IntegerField(validators=[InputRequired()])
    reason = contract_field(
        contract, "refusal_reason", required=_l("Укажите причину отказа: она вернётся куратору вместе с приказом."),
        too_long=_l("Причина отказа — не длиннее %(max)s знаков."))  # WTForms fills in the contract's limit


@bp.route("")
@require_role(Role.HEAD)
def index():
    actor = require_actor()
    tab = request.args.get("tab", "awaiting")
    tab = tab if tab in TABS else "awaiting"
    page = page_arg()
    size = current_app.config.get("ORDERS_PAGE_SIZE", 20)
    db = get_db()
    waiting, waiting_total = order_views.awaiting_page(db, actor, page=page if tab == "awaiting" else 1, size=size)
    decided, total = order_views.decided(db, actor, page=page if tab == "decided" else 1, size=size)
    shown = waiting_total if tab == "awaiting" else total
    pages = max((shown.value + size - 1) // size, 1)  # known pages (more may follow: shown.more)
    return render_template("orders/index.html", tab=tab, waiting=waiting, waiting_total=waiting_total,
                           decided=decided, total=total, page=page, pages=pages, more=shown.more, order_types=ORDER_TYPES,
                           order_status=ORDER_STATUS)


@bp.route("/integrity")
@require_role(Role.HEAD)
def integrity():
    """Are the audit trail, the access log and the signed orders as written (``nastavnik verify`` in a page)?"""
    report = integrity_service.report_for(get_db(), require_actor())
    get_db().rollback()
    return render_template("orders/integrity.html", report=report)


def _render_show(order_id: int, *, refuse_form: RefuseForm | None = None, status: int = 200):
    page = order_views.order_page(get_db(), require_actor(), order_id)
    sign_form, refuse_form = SignForm(formdata=None), refuse_form or RefuseForm(formdata=None)
    sign_form.version.data = page.version
    refuse_form.version.data = page.version
    bonuses = bonus.bonuses_of(get_db(), list(page.program_ids)) if page.order.type == "completion" else []
    return render_template("orders/show.html", page=page, order=page.order, doc=page.document,
                           sign_form=sign_form, refuse_form=refuse_form, order_types=ORDER_TYPES,
                           order_status=ORDER_STATUS, bonuses=bonuses), status


@bp.route("/<int:order_id>")
@login_required
def show(order_id: int):
    return _render_show(order_id)


@bp.route("/<int:order_id>/document.txt")
@login_required
def text(order_id: int):
    """The order's text exactly as stored (for a signed order: the text whose SHA-256 is recorded)."""
    order = order_views.get_order(get_db(), require_actor(), order_id)
    name = f"prikaz-{order.number or 'proekt-' + str(order.id)}.txt"
    return Response(order.body, mimetype="text/plain; charset=utf-8",
                    headers={"Content-Disposition": attachment(name)})


def _order_file(order_id: int, suffix: str, render, mimetype: str) -> Response:
    order = order_views.get_order(get_db(), require_actor(), order_id)
    name = f"prikaz-{order.number or 'proekt-' + str(order.id)}.{suffix}"
    return Response(render(order), headers={"Content-Disposition": attachment(name)}, mimetype=mimetype)


@bp.route("/<int:order_id>/document.docx")
@login_required
def docx(order_id: int):
    """The order as a Word document, laid out from the stored text (which stays the signed record)."""
    return _order_file(order_id, "docx", order_views.word_document,
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.route("/<int:order_id>/document.pdf")
@login_required
def pdf(order_id: int):
    """The order as PDF (Cyrillic fonts embedded; a signed one with its stamp and SHA-256)."""
    return _order_file(order_id, "pdf", order_views.pdf_document, "application/pdf")


@bp.route("/<int:order_id>/sign", methods=["POST"])
@login_required
def sign(order_id: int):
    form = SignForm()
    db = get_db()
    order_views.decidable(db, require_actor(), order_id)  # 404 / 403 / 409 before anything else
    if not form.validate():
        raise NastavnikError(_("Форма подписи пришла без версии приказа; обновите страницу."), where="version")
    order = order_views.sign(db, require_actor(), order_id, expected_version=form.version.data)
    db.commit()
    flash(_("Приказ подписан: № %(number)s.", number=order.number), "success")
    return redirect(url_for("orders.show", order_id=order_id))


@bp.route("/<int:order_id>/refuse", methods=["POST"])
@login_required
def refuse(order_id: int):
    form = RefuseForm()
    db = get_db()
    order_views.decidable(db, require_actor(), order_id)  # 404 / 403 / 409 before the form is checked
    if not form.validate():
        return _render_show(order_id, refuse_form=form, status=422)
    try:
        order_views.refuse(db, require_actor(), order_id, form.reason.data, expected_version=form.version.data)
    except NastavnikError as error:
        db.rollback()
        if status_for(error) != 422 or place_error(form, error) is not None:
            raise  # not about the reason typed: the error page
        return _render_show(order_id, refuse_form=form, status=422)
    db.commit()
    flash(_("В подписании отказано; приказ с причиной отказа возвращён в процесс."), "success")
    return redirect(url_for("orders.show", order_id=order_id))
