"""The individual plan of a teacher's professional development (ИППР, 000 §2.2) in the browser: the list (mine as the
teacher, those I guide as the mentor, my organizations' as their curator, head or methodologist), opening a plan
(the curator or the head), one plan with its sections and items — added, changed and removed in a draft by the
teacher and the mentor, agreed by the mentor, approved or returned by the head, marked done or not at the year's end,
closed with the year's results — and the plan as DOCX or PDF. Thin: parse → ``engine.services.development_plans`` →
render; a refusal is shown on the page (409/422), a plan not the person's to see is 403."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm

from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.development_plans import items, pages, permissions, plans, states
from engine.services.development_plans.items import ItemData
from web.access import require_actor
from web.db import get_db
from web.downloads import download
from web.errors import status_for

bp = Blueprint("ippr", __name__, url_prefix="/ippr")
_STALE = "Форма устарела; обновите страницу."


class CsrfOnlyForm(FlaskForm):
    """The pages' forms: their fields are read from the request by name, the engine checks them."""


def _csrf() -> None:
    if not CsrfOnlyForm().validate_on_submit():
        raise NastavnikError(_(_STALE), where="csrf_token")


def _int(name: str) -> int | str:
    raw = request.form.get(name, "").strip()
    return int(raw) if raw.isdigit() else raw


def _index(status: int = 200, error: str | None = None, typed: dict | None = None):
    db, actor = get_db(), require_actor()
    lists = pages.plan_lists(db, actor)
    choices = {o.id: pages.staff_choices(db, actor, o.id) for o in lists.openable}
    years = {o.id: pages.year_choices(db, o) for o in lists.openable}
    return render_template("ippr/index.html", lists=lists, choices=choices, years=years, error=error,
                           typed=typed or {}, form=CsrfOnlyForm(formdata=None), states=plans.STATE_LABELS), status


@bp.route("")
@login_required
def index():
    return _index()


@bp.route("/open/<int:organization_id>", methods=["POST"])
@login_required
def open_plan(organization_id: int):
    db, actor = get_db(), require_actor()
    permissions.require_opener(actor, organization_id)
    _csrf()
    typed = {key: request.form.get(key, "") for key in ("teacher_id", "mentor_id", "academic_year")}
    try:
        plan = plans.open_plan(db, actor, organization_id, _int("teacher_id"), _int("mentor_id"),
                               academic_year=_int("academic_year"))
        db.commit()
    except (NotFound, PermissionDenied):
        raise
    except NastavnikError as error:
        db.rollback()
        return _index(status_for(error), error.message, typed)
    flash(_("ИППР открыт: педагог и наставник вносят пункты разделов плана."), "success")
    return redirect(url_for("ippr.show", plan_id=plan.id))


def _show(plan_id: int, *, status: int = 200, error: str | None = None, typed: dict | None = None):
    db, actor = get_db(), require_actor()
    page = pages.plan_page(db, actor, plan_id)
    db.commit()  # the access log of what the page shows
    return render_template("ippr/show.html", page=page, error=error, typed=typed or {},
                           form=CsrfOnlyForm(formdata=None)), status


@bp.route("/<int:plan_id>")
@login_required
def show(plan_id: int):
    return _show(plan_id)


def _done(plan_id: int, message: str, action, typed: dict | None = None):  # noqa: ANN001 - a callable of the db
    db = get_db()
    try:
        action(db, require_actor())
        db.commit()
    except NastavnikError as error:
        db.rollback()
        if isinstance(error, (NotFound, PermissionDenied)):
            raise
        return _show(plan_id, status=status_for(error), error=error.message, typed=typed)
    flash(message, "success")
    return redirect(url_for("ippr.show", plan_id=plan_id))


def _item_data() -> tuple[ItemData, dict]:
    typed = {key: request.form.get(key, "") for key in ("section", "what", "due_on", "expected_result")}
    return ItemData(typed["section"], typed["what"], typed["due_on"], typed["expected_result"]), typed


@bp.route("/<int:plan_id>/items", methods=["POST"])
@login_required
def add_item(plan_id: int):
    _csrf()
    data, typed = _item_data()
    return _done(plan_id, _("Пункт внесён в план."),
                 lambda db, actor: items.add_item(db, actor, plan_id, data), typed)


@bp.route("/<int:plan_id>/items/<int:item_id>", methods=["POST"])
@login_required
def change_item(plan_id: int, item_id: int):
    _csrf()
    data, typed = _item_data()
    return _done(plan_id, _("Пункт плана изменён."),
                 lambda db, actor: items.change_item(db, actor, plan_id, item_id, data), typed)


@bp.route("/<int:plan_id>/items/<int:item_id>/remove", methods=["POST"])
@login_required
def remove_item(plan_id: int, item_id: int):
    _csrf()
    return _done(plan_id, _("Пункт удалён из плана."),
                 lambda db, actor: items.remove_item(db, actor, plan_id, item_id))


@bp.route("/<int:plan_id>/items/<int:item_id>/mark", methods=["POST"])
@login_required
def mark_item(plan_id: int, item_id: int):
    _csrf()
    outcome, result = request.form.get("outcome", ""), request.form.get("result", "")
    return _done(plan_id, _("Выполнение пункта отмечено."),
                 lambda db, actor: items.mark_item(db, actor, plan_id, item_id, outcome, result))


@bp.route("/<int:plan_id>/agree", methods=["POST"])
@login_required
def agree(plan_id: int):
    _csrf()
    return _done(plan_id, _("План согласован наставником и передан администрации на утверждение."),
                 lambda db, actor: states.agree(db, actor, plan_id))


@bp.route("/<int:plan_id>/return", methods=["POST"])
@login_required
def return_plan(plan_id: int):
    _csrf()
    note = request.form.get("note", "")
    return _done(plan_id, _("План возвращён на доработку."),
                 lambda db, actor: states.return_to_draft(db, actor, plan_id, note))


@bp.route("/<int:plan_id>/approve", methods=["POST"])
@login_required
def approve(plan_id: int):
    _csrf()
    return _done(plan_id, _("План утверждён."), lambda db, actor: states.approve(db, actor, plan_id))


@bp.route("/<int:plan_id>/close", methods=["POST"])
@login_required
def close(plan_id: int):
    _csrf()
    conclusion = request.form.get("conclusion", "")
    return _done(plan_id, _("Итоги года подведены."), lambda db, actor: states.close(db, actor, plan_id, conclusion))


@bp.route("/<int:plan_id>/document.<any(pdf, docx):kind>")
@login_required
def document(plan_id: int, kind: str):
    db = get_db()
    made = pages.plan_file(db, require_actor(), plan_id, kind)
    db.commit()  # the access log
    return download(made.data, made.file_name, made.mimetype)
