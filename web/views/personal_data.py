"""Personal data requests (152-ФЗ): the export of everything stored about a person — for the administrator of
their organization at ``/admin/people/<id>/personal-data`` (with the anonymization of a deactivated person), for
the person themself at ``/my/personal-data`` — as a page and as a JSON file."""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.administration import anonymization, personal_data, personal_data_access
from web.access import require_actor
from web.db import get_db
from web.errors import place_error, status_for
from web.filters import date_short, datetime_short
from web.forms_personal_data import AnonymizeForm

bp = Blueprint("personal_data", __name__)


@bp.app_template_filter("personal_value")
def personal_value(value: object) -> str:
    """A value of the export as the page shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, datetime):
        return datetime_short(value)
    if isinstance(value, date):
        return date_short(value)
    return str(value)


def _json(export: personal_data.PersonalDataExport) -> Response:
    response = Response(export.json_text(), mimetype="application/json")
    response.headers["Content-Disposition"] = f"attachment; filename=personal-data-{export.person_id}.json"
    return response


def _admin_page(person_id: int, form: AnonymizeForm, *, status: int = 200, error: str | None = None):
    db = get_db()
    export = personal_data.export_for_administrator(db, require_actor(), person_id)
    db.commit()  # the access log and the audit of the export
    return render_template("personal_data/show.html", export=export, form=form, error=error, admin=True,
                           json_url=url_for("personal_data.admin_json", person_id=person_id)), status


@bp.route("/admin/people/<int:person_id>/personal-data")
@login_required
def admin_page(person_id: int):
    return _admin_page(person_id, AnonymizeForm(formdata=None))


@bp.route("/admin/people/<int:person_id>/personal-data.json")
@login_required
def admin_json(person_id: int):
    db = get_db()
    export = personal_data.export_for_administrator(db, require_actor(), person_id)
    db.commit()
    return _json(export)


@bp.route("/admin/people/<int:person_id>/anonymize", methods=["POST"])
@login_required
def anonymize(person_id: int):
    db, actor = get_db(), require_actor()
    personal_data_access.require_person_administrator(db, actor, personal_data_access.person_or_404(db, person_id),
                                                      action="обезличивание персональных данных")
    form = AnonymizeForm()
    if not form.validate():
        return _admin_page(person_id, form, status=422)
    try:
        anonymization.anonymize_person(db, actor, person_id, form.reason.data,
                                       confirmation=form.confirmation.data)
        db.commit()
    except (NotFound, PermissionDenied):
        raise
    except NastavnikError as error:
        db.rollback()
        return _admin_page(person_id, form, status=status_for(error), error=place_error(form, error))
    flash(_("Персональные данные обезличены. Подписанные приказы сохранили свой текст."), "success")
    return redirect(url_for("personal_data.admin_page", person_id=person_id))


@bp.route("/my/personal-data")
@login_required
def mine():
    db, actor = get_db(), require_actor()
    export = personal_data.export_person(db, actor, actor.person_id or 0)
    db.commit()
    return render_template("personal_data/show.html", export=export, form=None, error=None, admin=False,
                           json_url=url_for("personal_data.mine_json"))


@bp.route("/my/personal-data.json")
@login_required
def mine_json():
    db, actor = get_db(), require_actor()
    export = personal_data.export_person(db, actor, actor.person_id or 0)
    db.commit()
    return _json(export)
